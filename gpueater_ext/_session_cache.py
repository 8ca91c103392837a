"""An optional on-disk cache of the session cookie, so that short-lived processes (the
command line) do not log in on every run.

It lives in the user's cache directory (platformdirs), one file per service URL and
account, in a 0700 folder with mode 0600, written atomically; never in a shared temp
folder (the 1.5 library's `/tmp/gpueater_cookie.txt` was readable by other users). A cache
file that is not the user's own or is readable by others is ignored. The file name is a
hash, so it does not reveal the account either.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import httpx
import platformdirs

from gpueater_ext._config import Config

__all__ = ["SessionCache"]


class SessionCache:
    """The cached cookies of one account on one service URL."""

    def __init__(self, config: Config, folder: Path | None = None) -> None:
        credentials = config.credentials
        identity = credentials.email or credentials.access_token or ""
        digest = hashlib.sha256(f"{config.url}\0{identity}".encode()).hexdigest()[:32]
        self.folder = folder or platformdirs.user_cache_path("gpueater") / "sessions"
        self.path = self.folder / f"{digest}.json"

    def load(self, cookies: httpx.Cookies) -> bool:
        """Put the cached cookies into `cookies`; answer whether there were any."""
        try:
            info = self.path.stat()
            if info.st_uid != os.getuid() or info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
                return False
            entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
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
        with contextlib.suppress(OSError):
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".session.")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump(entries, stream)
                os.replace(temporary, self.path)
            except OSError:
                os.unlink(temporary)
                raise

    def clear(self) -> None:
        """Forget the cached session (after it was refused)."""
        with contextlib.suppress(OSError):
            self.path.unlink()


_KEYS = ("name", "value", "domain", "path")
