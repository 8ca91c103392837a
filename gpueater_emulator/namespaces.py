"""An instance's own view of the machine on Linux: mount and PID namespaces around its sshd.

Run by the emulator (standard library only, so it also runs as a script with `python -I -S`):

    support = probe_isolation()            # Isolation(available, reason), checked for real once
    argv = namespace_command(disk, sshd_folder, [sshd, "-D", ...])

`namespace_command` wraps a program in util-linux `unshare --mount --pid --fork --kill-child`
and this file, which, as the first process (PID 1) of the new namespaces and before it
`exec`s the program:

- binds the instance's sshd folder (host keys, config, authorized_keys) over `/etc/ssh`
  and the instance's disk over the home folder of the user running the emulator;
- remounts every other mount read-only (the disk, `/dev` and the new `/proc` excepted, with
  `/proc/sys` and `/proc/sysrq-trigger` read-only too), and gives the instance a private,
  empty, writable `/tmp`, `/var/tmp` and `/dev/shm`;
- mounts a `/proc` of its own, so `ps` lists only the instance's processes;
- drops from the capability bounding set what would undo or step around the above
  (mounting, raw devices, modules, clock, network configuration, open-by-handle): sessions
  run as the emulator's user (root, for these namespaces) without them.

The program is PID 1 of its PID namespace, so when it ends (the emulator stops or
terminates the instance) the kernel ends every process the instance's sessions started.
This is protection against mistakes (a `rm -r ~`, a `sync --delete` to the wrong folder),
not a security boundary: the network, `/dev` and the kernel are the host's.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SSHD_FOLDER_INSIDE", "Isolation", "namespace_command", "probe_isolation"]

# Where an isolated instance's sshd sees its own folder, as a real machine's sshd would.
SSHD_FOLDER_INSIDE = Path("/etc/ssh")

_MS_RDONLY = 0x1
_MS_NOSUID = 0x2
_MS_NODEV = 0x4
_MS_REMOUNT = 0x20
_MS_BIND = 0x1000
_MS_REC = 0x4000
_MS_PRIVATE = 0x40000
_PR_CAPBSET_DROP = 24
# CAP_DAC_READ_SEARCH (open_by_handle_at reaches past mounts), CAP_NET_ADMIN, CAP_SYS_MODULE,
# CAP_SYS_RAWIO, CAP_SYS_ADMIN (mount: would undo the read-only view), CAP_SYS_BOOT,
# CAP_SYS_TIME, CAP_MKNOD, CAP_MAC_OVERRIDE, CAP_MAC_ADMIN, CAP_SYSLOG, CAP_BPF.
_DROPPED_CAPABILITIES = (2, 12, 16, 17, 21, 22, 25, 27, 32, 33, 34, 39)
# Mounts that stay writable: devices and terminals (sshd needs /dev/pts), and what is
# mounted afresh for the instance.
_WRITABLE = ("/dev", "/dev/pts", "/proc")
_PRIVATE_TMPFS = ("/tmp", "/var/tmp", "/dev/shm")  # noqa: S108 (the instance's own, empty)
_PROBE_SECONDS = 20


@dataclass(frozen=True)
class Isolation:
    """Whether instances get their own namespaces here, and if not, why not (one line)."""

    available: bool
    reason: str


def namespace_command(disk: Path, sshd_folder: Path, argv: list[str]) -> list[str]:
    """`argv` run inside an instance's own mount and PID namespaces (see the module docstring)."""
    unshare = shutil.which("unshare") or "unshare"
    return [
        unshare,
        "--mount",
        "--pid",
        "--fork",
        "--kill-child",
        "--propagation",
        "private",
        "--",
        sys.executable,
        "-I",
        "-S",
        str(Path(__file__).resolve()),
        str(disk),
        str(sshd_folder),
        "--",
        *argv,
    ]


def probe_isolation() -> Isolation:
    """Try the whole thing once with `/bin/true`: only the kernel knows what it allows."""
    if not sys.platform.startswith("linux"):
        return Isolation(False, f"{sys.platform} has no mount namespaces")
    if os.geteuid() != 0:
        return Isolation(False, "mount namespaces need root (the emulator runs as a user)")
    if shutil.which("unshare") is None:
        return Isolation(False, "util-linux `unshare` is not installed")
    home = _home()
    if not home.is_dir() or home == Path("/"):
        return Isolation(False, f"the home folder {home} is not a folder to mount a disk over")
    true = shutil.which("true") or "/bin/true"
    with tempfile.TemporaryDirectory(prefix="gpueater-probe-") as scratch:
        disk, sshd_folder = Path(scratch, "disk"), Path(scratch, "sshd")
        disk.mkdir()
        sshd_folder.mkdir()
        try:
            tried = subprocess.run(  # noqa: S603 (an argument list of our own)
                namespace_command(disk, sshd_folder, [true]),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=_PROBE_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as failure:
            return Isolation(False, f"unshare failed: {failure}")
    if tried.returncode != 0:
        detail = (tried.stderr.strip().splitlines() or ["no message"])[-1]
        return Isolation(False, f"unshare failed: {detail}")
    return Isolation(True, "each instance has its own mount and PID namespaces")


def _home() -> Path:
    import pwd

    return Path(pwd.getpwuid(os.geteuid()).pw_dir)


# ---- inside the new namespaces (run as a script) -----------------------------------------


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    result = libc.mount(
        None if source is None else os.fsencode(source),
        os.fsencode(target),
        None if fstype is None else fstype.encode(),
        ctypes.c_ulong(flags),
        data.encode() or None,
    )
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"mount {target}: {os.strerror(errno)}")


def _mount_points() -> list[str]:
    points = []
    with open("/proc/self/mountinfo", encoding="utf-8") as table:
        for line in table:
            # Field 5 is the mount point, with space, tab, newline and backslash octal-escaped.
            escaped = line.split()[4]
            points.append(escaped.encode().decode("unicode_escape").encode("latin-1").decode())
    return points


def _is_under(point: str, roots: tuple[str, ...]) -> bool:
    return any(point == root or point.startswith(root.rstrip("/") + "/") for root in roots)


def _enter(disk: str, sshd_folder: str) -> None:
    home = str(_home())
    existing = _mount_points()
    _mount(sshd_folder, str(SSHD_FOLDER_INSIDE), None, _MS_BIND)
    _mount(disk, home, None, _MS_BIND | _MS_REC)
    read_only = _MS_REMOUNT | _MS_BIND | _MS_RDONLY
    for point in existing:
        if point in _WRITABLE or _is_under(point, ("/proc", home)):
            continue
        _mount(None, point, None, read_only)
    _mount(None, str(SSHD_FOLDER_INSIDE), None, read_only)
    for folder in _PRIVATE_TMPFS:
        if os.path.isdir(folder):
            _mount("tmpfs", folder, "tmpfs", _MS_NOSUID | _MS_NODEV, "mode=1777")
    _mount("proc", "/proc", "proc", _MS_NOSUID | _MS_NODEV)
    for kernel_knobs in ("/proc/sys", "/proc/sysrq-trigger"):
        if not os.path.exists(kernel_knobs):  # a kernel built without it
            continue
        _mount(kernel_knobs, kernel_knobs, None, _MS_BIND)
        _mount(None, kernel_knobs, None, read_only)
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in _DROPPED_CAPABILITIES:
        # EINVAL: a capability this kernel does not know; nothing to drop.
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0 and ctypes.get_errno() != 22:
            raise OSError(ctypes.get_errno(), f"cannot drop capability {capability}")
    os.chdir("/")


def _main(arguments: list[str]) -> None:
    disk, sshd_folder, separator, *program = arguments
    if separator != "--" or not program:
        raise SystemExit("usage: namespaces.py DISK SSHD_FOLDER -- PROGRAM [ARGUMENT...]")
    try:
        _enter(disk, sshd_folder)
        os.execv(program[0], program)  # noqa: S606 (an argument list of the emulator's own)
    except OSError as failure:
        raise SystemExit(f"gpueater_emulator: instance namespace: {failure}") from None


if __name__ == "__main__":
    _main(sys.argv[1:])
