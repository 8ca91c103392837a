"""The project's own known_hosts file, and what to say when a recorded host key changes.

Host keys are recorded under `host_key_alias(...)` (HostKeyAlias), not under the address:
cloud addresses are reused, and renew_ipv4 changes them, while an instance's key stays its
own. Terminating an instance through the SDK forgets its alias (`forget_host_key`).

Who writes the file, and why no line is ever lost:

- Only ssh adds keys: it learns a new instance's key (`StrictHostKeyChecking=accept-new`)
  and appends one line, opening the file with O_APPEND (stdio's "a") outside any lock of
  ours; one short line is one write(2), which the kernel places at the end of the file.
  Every ssh the tool starts or configures says `UpdateHostKeys no`: with it, ssh would
  rewrite the file by rename, the one thing this design cannot allow.
- The tool only removes keys, and never rewrites or replaces the file: under the file's
  lock (`_local_files.locked`) it overwrites each of the instance's lines IN PLACE, with
  pwrite, by a comment line of the same length (`#` first, in its own write, so a kill
  in between leaves a comment too). The file never shrinks, so every byte ssh appends
  lands at an offset at or past the end the tool read, and the tool writes only below
  that end: the two cannot touch each other's bytes. A rewrite through a temporary and a
  rename would lose a line that ssh appended to the old file in the meantime; `ssh-keygen
  -R` did exactly that (and parallel runs collided on `known_hosts.old`).
- Removals exclude each other through the lock (20 parallel terminations each blank their
  own lines; none sees a half-blanked file), and a line ssh is still appending (no line
  break yet) is never looked at.
The price: a forgotten key leaves a comment line of its size behind (about 100 bytes per
terminated instance). The file is created empty with mode 0600 before ssh first runs, so
ssh's appends keep it private.

Knowing without reading that there is nothing to forget (`may_record_host_key`): a bulk
termination of 200 instances handed each forget to a worker thread (lock, read, scan) even
when no key of the instance was ever recorded, about 1.3 ms of the client's CPU per
termination (scripts/bench.py's bulk row; the thread hand-offs cost more than the read).
Each forget remembers, per file, its (device, inode, size, mtime) and the host names its
lines record; a later forget whose file still has that signature and whose alias is not
among those names is provably a no-op, decided by one stat. Any change to the file (ssh
appends a line: the size grows; a rewrite: another inode or mtime) invalidates it, and a
file with hashed names (HashKnownHosts) is always read, as only HMACs can test those.

Entries recorded under the 2.0 alias (`gpueater-<instance_id>`, without the service) are
left as they are: nothing reads them any more, and which service they belonged to is not
known, so forgetting them could drop a key that is still right.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import shlex
from pathlib import Path

import platformdirs

from gpueater_ext._errors import SSHError
from gpueater_ext._local_files import kill_point, locked
from gpueater_ext._ssh.target import SshTarget, host_key_alias

__all__ = [
    "HostKeyChangedError",
    "forget_host_key",
    "host_key_changed_error",
    "known_hosts_file",
    "known_hosts_of",
    "may_record_host_key",
    "prepare_known_hosts",
]

# What OpenSSH prints when a recorded key does not match (present since OpenSSH 3.x).
_CHANGED_MARKERS = (b"REMOTE HOST IDENTIFICATION HAS CHANGED", b"has changed and you have")


class HostKeyChangedError(SSHError):
    """The instance presented a host key other than the one recorded for it."""


def known_hosts_file() -> Path:
    """`known_hosts` in the user's config folder for gpueater (platformdirs decides where)."""
    return Path(platformdirs.user_config_dir("gpueater")) / "known_hosts"


def known_hosts_of(target: SshTarget) -> Path:
    return target.known_hosts if target.known_hosts is not None else known_hosts_file()


def prepare_known_hosts(target: SshTarget) -> Path:
    """Create the known_hosts folder (0700) and an empty file (0600) when missing: ssh
    creates only ~/.ssh itself, and would create the file with the umask's mode."""
    path = known_hosts_of(target)
    if not path.parent.is_dir():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, flags, 0o600))
    return path


def _names_alias(host_field: bytes, alias: bytes) -> bool:
    """Whether a known_hosts line's host list names `alias` (plain, `[alias]:port`, or
    hashed as ssh writes it with HashKnownHosts)."""
    for name in host_field.split(b","):
        if name.startswith(b"|1|"):
            salt, _, hashed = name[3:].partition(b"|")
            try:
                digest = hmac.new(base64.b64decode(salt), alias, hashlib.sha1).digest()
                if hmac.compare_digest(base64.b64encode(digest), hashed):
                    return True
            except ValueError:
                continue
        elif name.startswith(b"[") and b"]:" in name:
            if name[1 : name.index(b"]:")].lower() == alias.lower():
                return True
        elif name.lower() == alias.lower():
            return True
    return False


# path -> (signature of the file when a forget last read it, the names its complete lines
# recorded then, lower-cased; None when some are hashed and only a read can test them)
_Signature = tuple[int, int, int, int]
_read_before: dict[Path, tuple[_Signature, frozenset[bytes] | None]] = {}


def _signature(status: os.stat_result) -> _Signature:
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def _host_names(host_field: bytes) -> list[bytes] | None:
    """The names a host field records, lower-cased and without `[...]:port`; None if one
    of them is hashed."""
    names: list[bytes] = []
    for name in host_field.split(b","):
        if name.startswith(b"|1|"):
            return None
        if name.startswith(b"[") and b"]:" in name:
            name = name[1 : name.index(b"]:")]
        names.append(name.lower())
    return names


def _recorded_names(content: bytes) -> frozenset[bytes] | None:
    """Every name the complete lines of `content` record (see `_host_names`)."""
    found: set[bytes] = set()
    for line in content[: content.rfind(b"\n") + 1].splitlines():
        fields = line.split()
        if not fields or fields[0].startswith(b"#"):
            continue
        host_field = fields[1] if fields[0].startswith(b"@") and len(fields) > 1 else fields[0]
        names = _host_names(host_field)
        if names is None:
            return None
        found.update(names)
    return frozenset(found)


def may_record_host_key(
    instance_id: str, *, service_url: str | None = None, known_hosts: Path | None = None
) -> bool:
    """False only when `forget_host_key` would provably find nothing: the file is absent or
    empty, or unchanged since a forget of this process read it and recording no alias of
    the instance then (see the module docstring). One stat, no read, no lock: cheap enough
    for an event loop. True whenever it cannot tell."""
    path = known_hosts if known_hosts is not None else known_hosts_file()
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # the forget itself will say what is wrong
    if status.st_size == 0:
        return False
    seen = _read_before.get(path)
    if seen is None or seen[0] != _signature(status) or seen[1] is None:
        return True
    return host_key_alias(instance_id, service_url).encode().lower() in seen[1]


def _lines_of(content: bytes, alias: bytes) -> list[tuple[int, int]]:
    """(offset, length without the line break) of each complete line recording `alias`."""
    found: list[tuple[int, int]] = []
    offset = 0
    while True:
        end = content.find(b"\n", offset)
        if end < 0:  # no line break yet: ssh may be writing it; never touch it
            return found
        fields = content[offset:end].split()
        if fields and not fields[0].startswith(b"#"):
            host_field = fields[1] if fields[0].startswith(b"@") and len(fields) > 1 else fields[0]
            if _names_alias(host_field, alias):
                found.append((offset, end - offset))
        offset = end + 1


def forget_host_key(
    instance_id: str, *, service_url: str | None = None, known_hosts: Path | None = None
) -> int:
    """Forget the recorded host key of an instance of the service at `service_url`
    (default: the default service); returns how many lines recorded it.

    Its lines are blanked in place under the file's lock (see the module docstring for
    why this never loses a key ssh is recording at the same moment). Nothing to do when
    no file exists.
    """
    alias = host_key_alias(instance_id, service_url).encode()
    path = known_hosts if known_hosts is not None else known_hosts_file()
    if not path.exists():
        return 0
    with locked(path) as real:
        try:
            descriptor = os.open(real, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            return 0
        except OSError as problem:
            raise SSHError(
                f"could not forget the host key of {alias.decode()}: {problem}"
            ) from None
        try:
            size = os.fstat(descriptor).st_size
            content = os.pread(descriptor, size, 0)
            lines = _lines_of(content, alias)
            for offset, length in lines:
                os.pwrite(descriptor, b"#", offset)  # from here on the line is a comment
                kill_point()
                if length > 1:
                    os.pwrite(descriptor, b" " * (length - 1), offset + 1)
                kill_point()
            if lines:
                os.fsync(descriptor)
            _remember(path, descriptor, content, lines)
        finally:
            os.close(descriptor)
    return len(lines)


def _remember(path: Path, descriptor: int, content: bytes, blanked: list[tuple[int, int]]) -> None:
    """Note what the file records now, for `may_record_host_key`, unless ssh appended to it
    since it was read (its size grew): then the next forget reads it again."""
    status = os.fstat(descriptor)
    if status.st_size != len(content):
        _read_before.pop(path, None)
        return
    for offset, length in blanked:  # as the file now has them: comments
        content = content[:offset] + b"#" + b" " * (length - 1) + content[offset + length :]
    _read_before[path] = (_signature(status), _recorded_names(content))


def reset_command(target: SshTarget) -> str:
    """The shell command a user can paste to forget this instance's recorded key."""
    path = str(known_hosts_of(target))
    return f"ssh-keygen -R {target.host_key_alias} -f {shlex.quote(path)}"


def host_key_changed_error(target: SshTarget, ssh_stderr: bytes) -> HostKeyChangedError | None:
    """The explaining error when ssh's output shows a changed host key, else None."""
    if not any(marker in ssh_stderr for marker in _CHANGED_MARKERS):
        return None
    return HostKeyChangedError(
        f"The host key of {target.describe()} differs from the one recorded as "
        f"{target.host_key_alias}, so the connection was refused. If the instance was rebuilt "
        f"or restored, forget the old key with `{reset_command(target)}` and connect again; "
        "otherwise someone may be intercepting the connection."
    )
