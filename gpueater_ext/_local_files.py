"""Local files that survive parallel commands and a kill at any instant.

Every file the tool writes (`~/.eater`, the project's known_hosts and ssh_config, the
`Include` line in `~/.ssh/config`, the session cache, private keys, invoice PDFs) goes
through this module:

- **One writer at a time:** `locked(path)` holds an exclusive `fcntl.flock` on a lock file
  in the tool's own state folder (platformdirs `user_state_dir("gpueater")/locks`, one file
  per target, named after its real path), never beside the user's files. The kernel drops
  the lock when the process dies, even by SIGKILL, so a killed writer never leaves a lock
  behind. flock locks belong to an open file, so threads of one process exclude each other
  too. Callers read, modify and write while holding it.
- **Old or new, never partial:** `write_locked` writes a private temporary file in the
  target's own folder (`.<name>.gpueater-tmp-<random>`, created with O_EXCL and mode 0600
  from the first instant, so a secret is never readable by others), flushes and fsyncs it,
  then moves it into place with `os.replace`, or with `os.link` when an existing file must
  never be replaced (private keys, invoices without --force). A kill before the move leaves
  the old file; after it, the complete new one.
- **No strays:** a killed writer can leave its temporary behind (SIGKILL cannot be caught).
  Every write first removes the folder's stale temporaries of this tool: a temporary whose
  target's lock can be taken is nobody's work in progress, because a writer holds its
  target's lock for as long as its temporary exists.

The test hook: with `GPUEATER_TEST_KILL_AT_STEP=N` in the environment the process SIGKILLs
itself at the N-th `kill_point()` it passes, and content is written in small pieces with a
kill point after each, so tests can stop a write at every step deterministically.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import signal
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "KILL_AT_STEP",
    "TEMPORARY_MARK",
    "kill_point",
    "lock_folder",
    "locked",
    "remove_stale_temporaries",
    "write_file",
    "write_locked",
]

TEMPORARY_MARK = ".gpueater-tmp-"
KILL_AT_STEP = "GPUEATER_TEST_KILL_AT_STEP"
_PIECE = 16  # bytes per write while the kill hook is on, so kills land inside the content
# A file system without hard links (FAT, some network mounts) answers os.link with these.
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.ENOSYS}
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_steps_passed = 0


def kill_point() -> None:
    """A step of a write at which the test hook may kill this process (see the docstring)."""
    global _steps_passed
    wanted = os.environ.get(KILL_AT_STEP, "")
    if not wanted.isdigit():
        return
    _steps_passed += 1
    if _steps_passed == int(wanted):
        os.kill(os.getpid(), signal.SIGKILL)


def lock_folder() -> Path:
    """Where the lock files live: `locks` in the user's state folder for gpueater."""
    import platformdirs  # only writers need it

    return platformdirs.user_state_path("gpueater") / "locks"


def _real(path: Path) -> Path:
    """The path a write lands on: its folder resolved (so two spellings of one file share
    a lock), its own name not (a symlink at the name is replaced or refused, never followed;
    a caller that means to write through a link resolves it first)."""
    path = Path(path).expanduser().absolute()
    return Path(os.path.realpath(path.parent)) / path.name


def _lock_file(real: Path) -> Path:
    digest = hashlib.sha256(os.fsencode(real)).hexdigest()[:16]
    readable = _UNSAFE_IN_NAME.sub("_", real.name)[:40]
    return lock_folder() / f"{readable}-{digest}.lock"


def _open_lock(real: Path) -> int:
    folder = lock_folder()
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    return os.open(_lock_file(real), flags, 0o600)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[Path]:
    """Hold the exclusive lock of `path` (waiting for it); yields the path writes land on.

    Not re-entrant: taking the lock of the same file twice in one thread waits forever.
    """
    import fcntl  # POSIX; the tool's SSH layer needs a POSIX system anyway

    real = _real(path)
    descriptor = _open_lock(real)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        kill_point()
        yield real
    finally:
        os.close(descriptor)  # releases the lock


def _try_lock(real: Path) -> int | None:
    import fcntl

    descriptor = _open_lock(real)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    return descriptor


def remove_stale_temporaries(folder: Path, *, holding: Path | None = None) -> None:
    """Remove this tool's temporaries in `folder` that no running writer owns.

    `holding` is the real path whose lock the caller already holds (its temporaries are
    stale by definition: the caller is its only writer).
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return
    uid = os.getuid()
    for name in names:
        if not name.startswith(".") or TEMPORARY_MARK not in name:
            continue
        target = folder / name[1:].rsplit(TEMPORARY_MARK, 1)[0]
        temporary = folder / name
        with contextlib.suppress(OSError):
            if temporary.lstat().st_uid != uid:
                continue  # not ours to remove
            if holding is not None and target == holding:
                temporary.unlink()
                continue
            descriptor = _try_lock(target)
            if descriptor is None:
                continue  # its writer is at work
            try:
                temporary.unlink()
            finally:
                os.close(descriptor)


def _new_temporary(real: Path, mode: int) -> tuple[int, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    while True:
        temporary = real.parent / f".{real.name}{TEMPORARY_MARK}{secrets.token_hex(6)}"
        try:
            # 0600 at creation whatever the umask allows less; widened only if asked.
            descriptor = os.open(temporary, flags, 0o600)
        except FileExistsError:
            continue
        if mode != 0o600:
            os.fchmod(descriptor, mode)
        return descriptor, temporary


def _write_all(descriptor: int, data: bytes) -> None:
    piece = _PIECE if os.environ.get(KILL_AT_STEP, "").isdigit() else max(len(data), 1)
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view[:piece])
        view = view[written:]
        kill_point()


def _sync_folder(folder: Path) -> None:
    """Make the rename durable too (a power cut after it must not bring the old name back)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_locked(
    real: Path,
    data: bytes,
    *,
    mode: int = 0o600,
    keep_existing: bool = False,
    durable: bool = True,
) -> None:
    """Put `data` at `real` (the path `locked` yielded, whose lock the caller holds).

    `keep_existing`: never replace a file that exists (FileExistsError instead), even one
    that appeared a moment ago, by linking the finished temporary into place.
    `durable=False`, for caches only: no fsync (two of them cost ~50-110 ms of a
    `gpueater instances` call, issue 25). Readers still see the old file or the new one,
    never part of one; only a power cut may leave it empty, which a cache reads as absent.
    """
    remove_stale_temporaries(real.parent, holding=real)
    descriptor, temporary = _new_temporary(real, mode)
    try:
        kill_point()
        try:
            _write_all(descriptor, data)
            if durable:
                os.fsync(descriptor)
        finally:
            os.close(descriptor)
        kill_point()
        if keep_existing:
            _link_into_place(temporary, real)
        else:
            os.replace(temporary, real)
        kill_point()
        if durable:
            _sync_folder(real.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    kill_point()


def _link_into_place(temporary: Path, real: Path) -> None:
    try:
        os.link(temporary, real, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        # No hard links here: look, then move (a file appearing in between is replaced).
        if os.path.lexists(real):
            raise FileExistsError(errno.EEXIST, "File exists", str(real)) from None
        os.replace(temporary, real)


def write_file(
    path: Path,
    data: bytes,
    *,
    mode: int = 0o600,
    keep_existing: bool = False,
    durable: bool = True,
) -> Path:
    """Write `data` to `path` under its lock (see `write_locked`); returns where it landed."""
    with locked(path) as real:
        write_locked(real, data, mode=mode, keep_existing=keep_existing, durable=durable)
    return real
