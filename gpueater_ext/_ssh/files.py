"""The seed's file extensions on an instance: copy, move, delete, make a folder, list.

These are the functions the SDK's `copy_file`, `move_file`, `delete_file`, `make_directory`
and `file_list` methods (and the CLI's cp, mv, rm, mkdir, ls) delegate to. A path means that
file and nothing else: no glob, `~` or shell expansion on either side. Remote relative paths
are relative to the remote user's home folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Literal

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh.remote import (
    EXIT_REASONS,
    RemoteFileEntry,
    delete_words,
    list_words,
    make_directory_words,
    parse_file_list,
    remote_exit_error,
)
from gpueater_ext._ssh.run import capture_command, run_checked, ssh_error
from gpueater_ext._ssh.target import SshTarget
from gpueater_ext._ssh.transfer import download, upload

__all__ = ["copy_file", "delete_file", "file_list", "make_directory", "move_file"]

Action = Literal["get", "put"]


def _checked_action(action: str) -> Action:
    if action == "get":
        return "get"
    if action == "put":
        return "put"
    raise SSHError(f"action must be 'get' (from the instance) or 'put' (to it), not {action!r}")


def copy_file(
    target: SshTarget,
    action: Action,
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    *,
    recursive: bool = False,
) -> None:
    """Copy `src` to `dst`: "get" from the instance to here, "put" from here to the instance.

    Like cp: an existing folder as `dst` receives the copy inside it; an existing file is
    replaced; folders need `recursive=True` and are merged into an existing folder.
    """
    if _checked_action(action) == "get":
        download(target, os.fspath(src), Path(dst), recursive=recursive)
    else:
        upload(target, Path(src), os.fspath(dst), recursive=recursive)


def move_file(
    target: SshTarget,
    action: Action,
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    *,
    recursive: bool = False,
) -> None:
    """Copy as `copy_file` does, then delete the source; the source stays if the copy failed."""
    if action == "get":
        delete_words(os.fspath(src), recursive=recursive)  # refuses '.', '..', '/' up front
    copy_file(target, action, src, dst, recursive=recursive)
    if action == "get":
        delete_file(target, os.fspath(src), recursive=recursive)
        return
    local = Path(src)
    if local.is_dir() and not local.is_symlink():
        shutil.rmtree(local)
    else:
        local.unlink()


def delete_file(target: SshTarget, path: str, *, recursive: bool = False) -> None:
    """Delete a remote file (a folder too, with `recursive=True`); a missing path is an error."""
    run_checked(target, delete_words(path, recursive=recursive), f"deleting {path!r}")


def make_directory(target: SshTarget, path: str) -> None:
    """Create a remote folder and any missing parents; an existing folder is fine (mkdir -p)."""
    run_checked(target, make_directory_words(path), f"making the folder {path!r}")


def file_list(target: SshTarget, path: str = ".") -> list[RemoteFileEntry]:
    """The entries of a remote folder (or the one entry of a file), sorted by name."""
    result = capture_command(target, list_words(path))
    if result.exit_code in EXIT_REASONS:
        raise remote_exit_error(f"listing on {target.describe()}", path, result.exit_code)
    if result.exit_code != 0:
        raise ssh_error(target, result.stderr, f"listing {path!r}")
    return parse_file_list(result.stdout)
