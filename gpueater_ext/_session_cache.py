"""An optional on-disk cache of the session cookie, so that short-lived processes (the
command line) do not log in on every run.

It lives in the user's cache directory (platformdirs), one file per service URL and
account, in a 0700 folder with mode 0600; never in a shared temp folder (the 1.5 library's
`/tmp/gpueater_cookie.txt` was readable by other users). A cache file that is not the
user's own or is readable by others is ignored. The file name is a hash, so it does not
reveal the account either.

A cached session is used only with the credentials it was made with: the file records a
salted hash of the whole credential pair (scrypt over a random per-user salt kept 0600 in
the same folder, never the secret itself), and a changed password or token logs in anew
instead of riding on the old session. scrypt's cost (n=2**12, about 10 ms, once per
process) makes guessing a password from a copied cache folder slow without slowing the
command line noticeably.

Writes go through `_local_files` (under a lock, through a private temporary file moved
into place), so parallel commands and a kill at any instant leave a whole file.

`prefetch_fingerprint` lets a process that knows its configuration early (the command
line) start that scrypt in a thread while it is still importing the SDK: hashlib's scrypt
releases the GIL, so its ~15-30 ms run beside the imports instead of after them (issue 25).
Nothing about the check changes: the same scrypt of the same credentials and salt, kept in
this process's memory only, and used only if the salt read at the check is the one it was
computed with.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from gpueater_ext._config import Config, Credentials
from gpueater_ext._local_files import locked, write_file

if TYPE_CHECKING:
    # Only named: the command line imports this module before httpx (prefetch_fingerprint).
    import httpx

__all__ = ["SessionCache", "prefetch_fingerprint"]

_SALT_FILE = "salt"
_SCRYPT = {"n": 2**12, "r": 8, "p": 1, "dklen": 32}


class SessionCache:
    """The cached cookies of one account on one service URL."""

    def __init__(self, config: Config, folder: Path | None = None) -> None:
        credentials = config.credentials
        identity = credentials.email or credentials.access_token or ""
        digest = hashlib.sha256(f"{config.url}\0{identity}".encode()).hexdigest()[:32]
        self.folder = folder or _default_folder()
        self.path = self.folder / f"{digest}.json"
        self._credentials = credentials
        self._fingerprint: str | None = None

    def load(self, cookies: httpx.Cookies) -> bool:
        """Put the cached cookies into `cookies`; answer whether there were any.

        Nothing is loaded from a file made with other credentials than this config's."""
        try:
            document = json.loads(_read_private(self.path))
            fingerprint = self._credentials_fingerprint(create_salt=False)
        except (OSError, ValueError):
            return False
        if not isinstance(document, dict) or not isinstance(document.get("credentials"), str):
            return False  # 2.0's format (a bare list) knew nothing of the credentials
        if fingerprint is None or not hmac.compare_digest(document["credentials"], fingerprint):
            return False
        entries = document.get("cookies")
        if not isinstance(entries, list):
            return False
        loaded = False
        for entry in entries:
            if isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in _KEYS):
                cookies.set(entry["name"], entry["value"], entry["domain"], entry["path"])
                loaded = True
        return loaded

    def save(self, cookies: httpx.Cookies) -> None:
        """Replace the cache with `cookies` (best effort: a cache is never worth failing for)."""
        entries: list[dict[str, Any]] = [
            {"name": c.name, "value": c.value, "domain": c.domain, "path": c.path}
            for c in cookies.jar
            if c.value is not None
        ]
        with contextlib.suppress(OSError, ValueError):
            self._make_folder()
            fingerprint = self._credentials_fingerprint(create_salt=True)
            document = {"credentials": fingerprint, "cookies": entries}
            write_file(self.path, json.dumps(document).encode())

    def clear(self) -> None:
        """Forget the cached session (after it was refused), unless it was made with other
        credentials: a mistyped password must not log the right one out."""
        with contextlib.suppress(OSError), locked(self.path) as real:
            try:
                cached = json.loads(_read_private(real)).get("credentials")
                mine = self._credentials_fingerprint(create_salt=False)
            except (ValueError, AttributeError):
                cached = mine = None  # unreadable or of 2.0's format: nobody's session
            if cached is None or mine is None or hmac.compare_digest(str(cached), mine):
                real.unlink()

    def _make_folder(self) -> None:
        if not self.folder.is_dir():
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)

    def _credentials_fingerprint(self, *, create_salt: bool) -> str | None:
        if self._fingerprint is None:
            salt = self._salt(create=create_salt)
            if salt is None:
                return None
            self._fingerprint = _prefetched(self.folder, self._credentials, salt)
            if self._fingerprint is None:
                self._fingerprint = _fingerprint(self._credentials, salt)
        return self._fingerprint

    def _salt(self, *, create: bool) -> bytes | None:
        path = self.folder / _SALT_FILE
        try:
            return _read_private(path)
        except FileNotFoundError:
            if not create:
                return None
        # Linked into place: parallel first runs agree on the one salt that won.
        with contextlib.suppress(FileExistsError):
            write_file(path, secrets.token_bytes(32), keep_existing=True)
        return _read_private(path)


def _default_folder() -> Path:
    return platformdirs.user_cache_path("gpueater") / "sessions"


class _Prefetch:
    """One fingerprint being computed in a thread (see `prefetch_fingerprint`)."""

    def __init__(self, folder: Path, credentials: Credentials, salt: bytes) -> None:
        self.folder, self.credentials, self.salt = folder, credentials, salt
        self._value: str | None = None
        self._thread = threading.Thread(target=self._compute, daemon=True)
        self._thread.start()

    def _compute(self) -> None:
        # A failure leaves the value None: the check then computes it itself, and fails
        # there the way it always did.
        with contextlib.suppress(Exception):
            self._value = _fingerprint(self.credentials, self.salt)

    def value(self) -> str | None:
        self._thread.join()
        return self._value


_prefetch: _Prefetch | None = None
_prefetch_lock = threading.Lock()


def prefetch_fingerprint(config: Config, folder: Path | None = None) -> None:
    """Start the scrypt that a `SessionCache(config, folder)` check will need, in a thread.
    Best effort: without a salt yet (no session was ever cached) there is nothing to do."""
    global _prefetch
    folder = folder or _default_folder()
    try:
        salt = _read_private(folder / _SALT_FILE)
    except (OSError, ValueError):
        return
    with _prefetch_lock:
        _prefetch = _Prefetch(folder, config.credentials, salt)


def _prefetched(folder: Path, credentials: Credentials, salt: bytes) -> str | None:
    """The prefetched fingerprint of exactly these credentials, folder and salt, or None."""
    with _prefetch_lock:
        pending = _prefetch
    if pending is None or (pending.folder, pending.credentials, pending.salt) != (
        folder,
        credentials,
        salt,
    ):
        return None
    return pending.value()


def _fingerprint(credentials: Credentials, salt: bytes) -> str:
    pair = credentials.login_form()
    material = json.dumps(sorted(pair.items())).encode()
    return hashlib.scrypt(material, salt=salt, **_SCRYPT).hex()


def _read_private(path: Path) -> bytes:
    """The content of a file that is this user's own and private; ValueError otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            raise ValueError(f"{path} is not a file of this user's")
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ValueError(f"{path} is readable by others")
        return stream.read()


_KEYS = ("name", "value", "domain", "path")
