"""Private key files: where an instance's key is expected, checks before use, saving new ones.

The service expects an instance's key at `~/.ssh/<ssh_key_file_name>.pem` (the published
clients did too). Errors are one line and say what to do, because a user meets them before
ssh has even started.
"""

from __future__ import annotations

import stat
from pathlib import Path

from gpueater_ext._errors import SSHError

__all__ = ["check_key_file", "default_key_file", "save_ssh_key", "ssh_folder"]


def ssh_folder() -> Path:
    """`~/.ssh` of the user running the SDK (HOME decides, so tests can isolate it)."""
    return Path.home() / ".ssh"


def _checked_key_name(name: str) -> str:
    """`name` when `<name>.pem` is a file directly inside the key folder; SSHError otherwise.

    The one check of a key file name: `Instance.ssh_key_path`, `ssh_command()`, the SSH
    layer and `save_ssh_key` all come through here, so a hostile `ssh_key_file_name` from
    the service (`../../x/evil`) can never name a path outside `~/.ssh`.
    """
    if not name or name in (".", "..") or "/" in name or "\\" in name or not name.isprintable():
        raise SSHError(f"{name!r} cannot name a key file: use letters, digits, '-', '_' or '.'")
    return name


def default_key_file(ssh_key_file_name: str) -> Path:
    """`~/.ssh/<ssh_key_file_name>.pem`, the file the service's instance data points to."""
    return ssh_folder() / f"{_checked_key_name(ssh_key_file_name)}.pem"


def check_key_file(path: Path) -> None:
    """Raise a one-line SSHError unless `path` is a private key file only its owner can read."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SSHError(
            f"SSH key file {path} not found: put the instance's private key there "
            "(`gpueater ssh-key generate` saves new keys) or pass another key file"
        ) from None
    except OSError as problem:
        raise SSHError(f"SSH key file {path} cannot be read: {problem.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise SSHError(f"SSH key file {path} is not a regular file")
    if info.st_mode & 0o077:
        mode = stat.S_IMODE(info.st_mode)
        raise SSHError(
            f"SSH key file {path} is readable by others (mode {mode:04o}): run `chmod 600 {path}`"
        )


def save_ssh_key(name: str, private_key: str, *, folder: Path | None = None) -> Path:
    """Write a private key as `<folder>/<name>.pem` (folder: `~/.ssh`), mode 0600.

    The folder is created with mode 0700 when missing. An existing file is never replaced,
    and a symlink planted at the path is not followed. The key is written whole to a
    private temporary file first and then linked into place (`_local_files`), so a kill at
    any instant leaves no file or the complete key, never an empty or partial one that a
    second run would refuse to replace.
    """
    from gpueater_ext._local_files import write_file

    target_folder = folder if folder is not None else ssh_folder()
    path = target_folder / f"{_checked_key_name(name)}.pem"
    if not target_folder.exists():
        target_folder.mkdir(mode=0o700, parents=True)
        target_folder.chmod(0o700)  # mkdir's mode is filtered by the umask
    text = private_key if private_key.endswith("\n") else private_key + "\n"
    try:
        write_file(path, text.encode(), keep_existing=True)
    except FileExistsError:
        raise SSHError(
            f"{path} already exists and is left as it is: choose another key name or move it away"
        ) from None
    except OSError as problem:
        raise SSHError(f"cannot write {path}: {problem.strerror}") from None
    return path
