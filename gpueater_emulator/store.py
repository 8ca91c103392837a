"""`--state-dir`: the emulated world kept in SQLite, so a restart (after kill -9 too) resumes it.

Layout: `DIR/world.sqlite3` (WAL; 0600) next to the disks of `--sshd` (disks.py), and
`DIR/lock`, held while an emulator uses the folder so two cannot write one world.

- One transaction per API call: after a call, the rows that changed are written and
  committed before its answer is sent, so an acknowledged write survives the process's
  death, kill -9 included. `synchronous=NORMAL`: no fsync per call (WAL keeps that safe for
  a process that dies); only a power cut of this machine may lose the last calls, a fair
  price for an emulator. A call that changed nothing writes nothing.
- Credentials belong to the folder: made (or taken from `--account`/`--token`) when it is
  first used, then reused. A later start that names other credentials is refused
  (`CredentialsMismatch`): saved profiles keep working, and nothing changes silently.
- The file holds the account's passwords and secret tokens (a client's saved profile needs
  them back): the folder is 0700 and the file 0600. Sessions are kept as digests only.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .world_rows import SSHD_MODE_ROW, Rows

__all__ = [
    "Credentials",
    "CredentialsMismatch",
    "StateDirBusy",
    "StateDirUnusable",
    "WorldStore",
    "default_state_dir",
]

# email -> password, access token -> secret token
Credentials = tuple[dict[str, str], dict[str, str]]

_DATABASE = "world.sqlite3"
# The layout of the rows (world_rows.py); a change that older files do not fit raises it.
_FORMAT = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS credentials (
    kind TEXT NOT NULL CHECK (kind IN ('account', 'token')),
    identity TEXT NOT NULL,
    secret TEXT NOT NULL,
    PRIMARY KEY (kind, identity)
) WITHOUT ROWID;
"""


def default_state_dir() -> Path:
    """`gpueater emulator --persist`'s folder: under the user's data directory."""
    import platformdirs  # the SDK's own dependency; imported only when asked

    return Path(platformdirs.user_data_dir("gpueater-emulator")) / "state"


def _check_format(connection: sqlite3.Connection, database: Path) -> None:
    """Refuse a file another version of the emulator wrote in a layout this one does not
    read (a new file is marked with this layout)."""
    (version,) = connection.execute("PRAGMA user_version").fetchone()
    if version == 0:
        connection.execute(f"PRAGMA user_version = {_FORMAT}")
    elif version != _FORMAT:
        raise StateDirUnusable(
            f"{database} was written in format {version} by another version of the emulator"
            f" (this one reads format {_FORMAT}); use another --state-dir"
        )


class StateDirUnusable(Exception):
    """The state folder's file is not one this emulator can read."""


class StateDirBusy(Exception):
    """Another emulator is using the state folder."""


class CredentialsMismatch(Exception):
    """The command line names credentials other than the state folder's."""


class WorldStore:
    """The SQLite file of one state folder, open for one emulator process."""

    def __init__(self, state_dir: Path, connection: sqlite3.Connection, lock: IO[bytes]) -> None:
        self.state_dir = state_dir
        self._connection = connection
        self._lock = lock
        # What the file holds now, so a write sends only the rows that changed.
        self._written: Rows = {}

    @classmethod
    def open(cls, state_dir: Path) -> WorldStore:
        """Open (or create) the folder's world; StateDirBusy if an emulator already has it,
        StateDirUnusable, OSError or sqlite3.Error if it cannot be used."""
        state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = os.fdopen(os.open(state_dir / "lock", os.O_WRONLY | os.O_CREAT, 0o600), "wb")
        connection: sqlite3.Connection | None = None
        try:
            try:
                # Released by the kernel when the process ends, kill -9 included.
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StateDirBusy(
                    f"another emulator is using the state folder {state_dir}"
                ) from None
            database = state_dir / _DATABASE
            # Made 0600 before SQLite writes a byte of secrets into it.
            os.close(os.open(database, os.O_RDWR | os.O_CREAT, 0o600))
            connection = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript(_SCHEMA)
            _check_format(connection, database)
        except BaseException:
            if connection is not None:
                connection.close()
            lock.close()
            raise
        store = cls(state_dir, connection, lock)
        store._written = store.load()
        return store

    # ---- credentials ----------------------------------------------------------------------

    def credentials(self) -> Credentials | None:
        """The folder's credentials, or None before its first use."""
        accounts: dict[str, str] = {}
        tokens: dict[str, str] = {}
        for kind, identity, secret in self._connection.execute(
            "SELECT kind, identity, secret FROM credentials"
        ):
            (accounts if kind == "account" else tokens)[identity] = secret
        return (accounts, tokens) if accounts or tokens else None

    def claim_credentials(self, given: Credentials, made: Credentials) -> Credentials:
        """The credentials this start uses: the folder's own once it has some (`given`,
        from the command line, may then name only those), else `given` or, when nothing
        was given, `made` (fresh ones), which become the folder's."""
        kept = self.credentials()
        accounts, tokens = given
        if kept is not None:
            # Naming some of the folder's own credentials is fine; any other is refused.
            if not (accounts.items() <= kept[0].items() and tokens.items() <= kept[1].items()):
                raise CredentialsMismatch(
                    f"the state folder {self.state_dir} has other credentials than --account/"
                    "--token name; start without them to use its own, or use another folder"
                )
            return kept
        chosen = given if accounts or tokens else made
        with self._transaction():
            self._connection.executemany(
                "INSERT INTO credentials VALUES (?, ?, ?)",
                [("account", email, password) for email, password in chosen[0].items()]
                + [("token", access, secret) for access, secret in chosen[1].items()],
            )
        return chosen

    # ---- the world ------------------------------------------------------------------------

    def load(self) -> Rows:
        """Every row the file holds (empty for a new folder)."""
        return {
            (kind, key): body
            for kind, key, body in self._connection.execute("SELECT kind, key, body FROM records")
        }

    def check_sshd_mode(self, sshd: bool) -> None:
        """StateDirUnusable when the folder's world was made with the other `--sshd` mode:
        instances with disks and loopback addresses cannot become records only, nor back."""
        kept = self._written.get(SSHD_MODE_ROW)
        if kept is not None and json.loads(kept) != sshd:
            made = "with" if not sshd else "without"
            raise StateDirUnusable(
                f"the state folder {self.state_dir} was used {made} --sshd; start the"
                f" emulator {made} it again, or use another --state-dir"
            )

    def write(self, rows: Rows) -> None:
        """Make the file hold exactly `rows`, in one transaction (nothing if nothing changed)."""
        changed = [(k[0], k[1], body) for k, body in rows.items() if self._written.get(k) != body]
        gone = [k for k in self._written if k not in rows]
        if not changed and not gone:
            return
        with self._transaction():
            self._connection.executemany("DELETE FROM records WHERE kind = ? AND key = ?", gone)
            self._connection.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?)", changed)
        self._written = dict(rows)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._connection.close()
        self._lock.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._connection.execute("ROLLBACK")
            raise
        self._connection.execute("COMMIT")
