"""The project's own known_hosts file, and what to say when a recorded host key changes.

Host keys are recorded under `gpueater-<instance_id>` (HostKeyAlias), not under the address:
cloud addresses are reused, and renew_ipv4 changes them, while an instance's key stays its
own. Terminating an instance through the SDK forgets its alias (`forget_host_key`).
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import platformdirs

from ._errors import SSHError
from ._ssh_target import SshTarget, host_key_alias

__all__ = [
    "HostKeyChangedError",
    "forget_host_key",
    "host_key_changed_error",
    "known_hosts_file",
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
    """Create the known_hosts folder (0700) when missing: ssh creates only ~/.ssh itself."""
    path = known_hosts_of(target)
    if not path.parent.is_dir():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def forget_host_key(
    instance_id: str, *, known_hosts: Path | None = None, ssh_keygen: str = "ssh-keygen"
) -> None:
    """Drop the recorded host key of an instance (`ssh-keygen -R gpueater-<id> -f <file>`).

    ssh-keygen keeps the previous file as `<file>.old`. Nothing to do when no file exists.
    """
    alias = host_key_alias(instance_id)  # validated: it becomes an argument of ssh-keygen
    path = known_hosts if known_hosts is not None else known_hosts_file()
    if not path.exists():
        return
    try:
        result = subprocess.run(  # noqa: S603 (argument list; the alias is validated)
            [ssh_keygen, "-R", alias, "-f", str(path)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise SSHError(
            "ssh-keygen not found: install OpenSSH (`apt-get install openssh-client`)"
        ) from None
    if result.returncode != 0:
        reason = result.stderr.decode(errors="replace").strip().splitlines()
        raise SSHError(f"could not forget the host key of {alias}: {reason[-1:] or 'failed'}")


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
