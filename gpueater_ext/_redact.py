"""Keeping secrets out of logs, httpx's and httpcore's DEBUG output included.

httpcore logs response headers at DEBUG, `Set-Cookie` included, so the session cookie would
reach any handler a user configures. `install_log_redaction()` puts a filter on the
`httpx`, `httpcore` and `gpueater_ext` loggers and on each of their existing child loggers
(a filter on a parent does not see records that children propagate to it). The filter
rewrites a record whose text holds a registered secret value or a cookie header.

The SDK itself never logs request bodies, and secrets only travel in form bodies (which
httpx does not log) and cookies (redacted here). A URL in a record loses its user-info part
(`http://user:pw@host/` is logged as `http://host/`): a proxy URL from the environment
may carry a password, and the service URL is refused when it does (see `_config`).
"""

from __future__ import annotations

import logging
import re
import threading

__all__ = ["REDACTED", "install_log_redaction", "redact", "register_secret"]

REDACTED = "[REDACTED]"
_SHORTEST_SECRET = 6
_LOGGER_ROOTS = ("httpx", "httpcore", "gpueater_ext", "gpueater")
_lock = threading.Lock()
_secrets: set[str] = set()
# Header values of cookies, as httpcore prints them (b'set-cookie', b'...') and as text.
_COOKIE_PATTERNS = (
    re.compile(r"""(b?['"](?:set-)?cookie['"],\s*b?)(['"])(.*?)\2""", re.IGNORECASE),
    re.compile(r"""((?:set-)?cookie:\s*)([^\r\n]+)""", re.IGNORECASE),
)

# scheme://user:password@ up to the authority's last `@` (a password may hold one).
_USER_INFO = re.compile(r"""\b([a-z][a-z0-9+.-]*://)[^/?#\s'"]*@""", re.IGNORECASE)


def _without_user_info(text: str) -> str:
    """`text` with every URL's `user:password@` part removed."""
    return _USER_INFO.sub(r"\1", text)


def register_secret(value: str | None) -> None:
    """Redact this value wherever it appears in a log record from now on."""
    # Very short values (a cookie "1", a flag "true") would redact ordinary words.
    if value and len(value) >= _SHORTEST_SECRET:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """`text` with registered secrets and cookie header values replaced by [REDACTED], and
    URLs without their user-info."""
    text = _without_user_info(text)
    text = _COOKIE_PATTERNS[0].sub(
        lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}{m.group(2)}", text
    )
    text = _COOKIE_PATTERNS[1].sub(lambda m: f"{m.group(1)}{REDACTED}", text)
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken record: leave it to logging to report
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_FILTER = _RedactingFilter()


def install_log_redaction() -> None:
    """Attach the redacting filter to the SDK's and httpx's loggers (idempotent)."""
    # httpx imports httpcore only when its first client is built, and httpcore's child
    # loggers (httpcore.http11 logs Set-Cookie) come into being with its modules: import it
    # now, or a fresh process would log the session cookie through loggers not yet filtered.
    import httpcore  # noqa: F401

    names = set(_LOGGER_ROOTS)
    names.update(
        name
        for name in list(logging.Logger.manager.loggerDict)
        if name.split(".", 1)[0] in _LOGGER_ROOTS
    )
    for name in names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
