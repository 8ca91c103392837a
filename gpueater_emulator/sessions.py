"""Login sessions: opaque cookie values that expire a fixed time after login.

Only a SHA-256 digest of each session is kept, so the table (which a state folder stores,
to let logins survive a restart as they do on the service) holds nothing a client could
present.
"""

from __future__ import annotations

import hashlib
import secrets

from .errors import ApiError
from .settings import EmulatorClock

__all__ = ["SESSION_COOKIE", "SessionStore"]

SESSION_COOKIE = "gpueater_session"


def _digest(session: str) -> str:
    return hashlib.sha256(session.encode()).hexdigest()


class SessionStore:
    def __init__(
        self,
        accounts: dict[str, str],
        tokens: dict[str, str],
        ttl_seconds: float,
        clock: EmulatorClock,
    ) -> None:
        self._accounts = dict(accounts)
        self._tokens = dict(tokens)
        self._ttl = ttl_seconds
        self._clock = clock
        # digest of the session -> when it expires (emulator clock)
        self._expiry_by_session: dict[str, float] = {}

    def export(self) -> dict[str, float]:
        return dict(self._expiry_by_session)

    def resume(self, expiry_by_digest: dict[str, float]) -> None:
        self._expiry_by_session = dict(expiry_by_digest)

    def log_in(self, form: dict[str, str]) -> str:
        """Check one complete credential pair and answer a new session id."""
        if "email" in form or "password" in form:
            pair = ("email", "password")
            known = self._accounts
        elif "access_token" in form or "secret_token" in form:
            pair = ("access_token", "secret_token")
            known = self._tokens
        else:
            raise ApiError(
                "email: is required (or access_token and secret_token)", "invalid_request", "email"
            )
        for name in pair:
            if not form.get(name):
                raise ApiError(f"{name}: is required", "invalid_request", name)
        identity, secret = form[pair[0]], form[pair[1]]
        expected = known.get(identity)
        # Compare in constant time and say nothing about which half was wrong.
        if expected is None or not secrets.compare_digest(expected.encode(), secret.encode()):
            raise ApiError(f"wrong {pair[0]} or {pair[1]}", "invalid_credentials")
        now = self._clock.now()
        # Forget expired sessions here, so a long run of logins does not grow the table.
        self._expiry_by_session = {
            kept: expiry for kept, expiry in self._expiry_by_session.items() if expiry > now
        }
        session = secrets.token_urlsafe(32)
        self._expiry_by_session[_digest(session)] = now + self._ttl
        return session

    def is_valid(self, session: str | None) -> bool:
        if session is None:
            return False
        digest = _digest(session)
        expiry = self._expiry_by_session.get(digest)
        if expiry is None:
            return False
        if self._clock.now() >= expiry:
            del self._expiry_by_session[digest]
            return False
        return True

    def drop(self, session: str | None) -> None:
        if session is not None:
            self._expiry_by_session.pop(_digest(session), None)
