"""The remote side of the file operations: fixed POSIX sh scripts, paths as arguments.

Every operation runs `sh -c <SCRIPT> <name> <arg>...` on the instance. The scripts are
constants of this module, so no data ever becomes shell code: paths only arrive as
positional parameters (each quoted once by `remote_command`) and are always used as "$1".
Assumes what stock Ubuntu/Debian images have: a POSIX sh, GNU coreutils (`mv -T`, `mktemp`),
GNU findutils (`find -printf`) and GNU tar (`--no-unquote`); python is not needed remotely.

Remote exit statuses 64 to 69 are this module's own (see `EXIT_REASONS`).

`until_client_leaves(words)` wraps a remote command so it ends when the client goes away
(see its docstring): `gpueater ssh INSTANCE -- CMD` uses it, and so will the job runner.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Literal

from gpueater_ext._errors import NextStep, SSHError
from gpueater_ext._ssh.argv import remote_path

__all__ = [
    "EXIT_REASONS",
    "FOLDER_NEEDS_RECURSIVE",
    "RemoteFileEntry",
    "delete_words",
    "get_words",
    "list_words",
    "make_directory_words",
    "parse_file_list",
    "put_words",
    "remote_exit_error",
    "split_remote_path",
    "until_client_leaves",
]

EXIT_REASONS = {
    64: "is a folder",
    65: "is neither a regular file nor a folder",
    66: "does not exist",
    67: "would replace a folder with a file (or a file with a folder)",
    68: "cannot be created: its parent folder does not exist or is not writable",
}

# Worded per reader: a Python caller passes recursive=True, a person types `cp -r`.
FOLDER_NEEDS_RECURSIVE = NextStep(
    "copy it with {how}", sdk_call="recursive=True", cli_command="gpueater cp -r"
)


def remote_exit_error(doing: str, path: str, exit_code: int) -> SSHError:
    """The error for one of this module's own exit statuses (a key of EXIT_REASONS)."""
    error = SSHError(f"{doing}: remote {path!r} {EXIT_REASONS[exit_code]}")
    if exit_code == 64:
        error.next_step = FOLDER_NEEDS_RECURSIVE
    return error


# $@ is the command. Without a terminal, sshd never signals a remote command when the client
# goes away (Ctrl-C, a dropped connection): the command runs on. sshd starts each session's
# command in a session and process group of its own (setsid), and `exec` makes this script
# that process, so the group is exactly this session's processes. When sshd's session
# process exits (the client is gone), this script is re-parented: a watcher that sees its
# parent change ends the group (TERM, then KILL after a grace for commands that ignore it).
# The command keeps this script's stdin (fd 3: an asynchronous list otherwise gets
# /dev/null); the watcher holds none of the session's streams, so the channel closes as
# soon as the command is done. Linux only (/proc), sh, kill and sleep only.
_UNTIL_CLIENT_LEAVES_SCRIPT = r"""exec 3<&0
"$@" <&3 3<&- &
command=$!
exec 3<&-
read -r _ _ _ parent group _ < /proc/$$/stat
(
  trap '' TERM
  while sleep 1; do
    kill -0 "$command" 2>/dev/null || exit 0
    read -r _ _ _ now _ < /proc/$$/stat
    if [ "$now" != "$parent" ]; then
      kill -s TERM -- "-$group"
      sleep 5
      kill -s KILL -- "-$group"
    fi
  done
) </dev/null >/dev/null 2>&1 &
watcher=$!
wait "$command"
status=$?
kill "$watcher" 2>/dev/null
exit "$status"
"""


def until_client_leaves(words: list[str]) -> list[str]:
    """Remote words that run `words` (exactly, as given) and end them, with every process
    they started, within about a second of the client going away; the exit status is the
    command's. Meant for commands without a terminal (a pty's hang-up already does this)."""
    if not words:
        raise SSHError("the remote command is empty")
    return ["exec", *_sh(_UNTIL_CLIENT_LEAVES_SCRIPT, "gpueater-run", *words)]


# GNU tar unquotes backslash escapes in file names given on its command line unless told not
# to: `a\nb` would name a file with a newline in it. So every tar call says --no-unquote.
_GET_SCRIPT = r"""unset CDPATH
if [ -d "$1" ]; then
  [ "$4" = 1 ] || exit 64
  printf d
  exec tar --no-unquote -C "$1" -cf - .
elif [ -e "$1" ]; then
  [ -f "$1" ] || exit 65
  printf f
  exec tar --no-unquote -C "$2" -h -cf - -- "$3"
fi
exit 66
"""

# $1 destination, $2 destination/<name> (used when $1 is a folder), $3 parent of $1, $4 f|d.
# A file is unpacked next to its target and renamed over it (mv -T: never into a folder), so
# readers see the old file or the new one. A folder is unpacked beside and renamed into place,
# or merged into an existing folder as cp -r and scp -r do.
_PUT_SCRIPT = r"""unset CDPATH
if [ -d "$1" ]; then target=$2 parent=$1; else target=$1 parent=$3; fi
untar() { tar --no-unquote --no-same-owner "$@" -xf -; }
if [ "$4" = d ] && [ -d "$target" ]; then untar --no-overwrite-dir -C "$target"; exit; fi
if [ -d "$target" ] || { [ "$4" = d ] && [ -e "$target" ]; }; then exit 67; fi
stage=$(mktemp -d -- "$parent/.gpueater-put.XXXXXX") || exit 68
trap 'rm -rf -- "$stage"' EXIT
untar -C "$stage" || exit
if [ "$4" = f ]; then mv -fT -- "$stage/f" "$target"; else mv -T -- "$stage" "$target"; fi
"""

# NUL after every field: names may hold anything but NUL and '/'.
_LIST_FORMAT = r"%y\0%s\0%T@\0"
_LIST_SCRIPT = rf"""if [ -d "$1" ]; then
  exec find -H "$1" -mindepth 1 -maxdepth 1 -printf '{_LIST_FORMAT}%P\0'
elif [ -e "$1" ] || [ -L "$1" ]; then
  exec find -H "$1" -maxdepth 0 -printf '{_LIST_FORMAT}%f\0'
fi
exit 66
"""

_FIND_TYPES: dict[str, Literal["file", "directory", "symlink"]] = {
    "f": "file",
    "d": "directory",
    "l": "symlink",
}


@dataclass(frozen=True, order=True)
class RemoteFileEntry:
    """One entry of a remote folder. `type` is file, directory, symlink or other."""

    name: str
    type: Literal["file", "directory", "symlink", "other"]
    size: int
    modified: float  # seconds since the epoch


def split_remote_path(path: str) -> tuple[str, str]:
    """(parent, last component) of a remote path, trailing slashes ignored; '/' -> ('/', '')."""
    stripped = path.rstrip("/") or "/"
    parent, base = posixpath.split(stripped)
    return (parent or "."), base


def _sh(script: str, name: str, *args: str) -> list[str]:
    return ["sh", "-c", script, name, *args]


def get_words(src: str, *, recursive: bool) -> list[str]:
    """Remote words that print `d` or `f`, then a tar stream of the folder's content or file."""
    guarded = remote_path(src)
    parent, base = split_remote_path(guarded)
    return _sh(_GET_SCRIPT, "gpueater-get", guarded, parent, base, "1" if recursive else "0")


def put_words(dst: str, *, name: str, is_folder: bool) -> list[str]:
    """Remote words that unpack a tar stream on stdin as `dst` (or `dst/name` if a folder)."""
    if not name or "/" in name or name in (".", ".."):
        raise SSHError(f"cannot name the copy {name!r}: give the destination's full path")
    guarded = remote_path(dst)
    parent, _ = split_remote_path(guarded)
    into = posixpath.join(guarded, name)
    return _sh(_PUT_SCRIPT, "gpueater-put", guarded, into, parent, "d" if is_folder else "f")


def list_words(path: str) -> list[str]:
    return _sh(_LIST_SCRIPT, "gpueater-ls", remote_path(path))


def make_directory_words(path: str) -> list[str]:
    return ["mkdir", "-p", "--", remote_path(path)]


def delete_words(path: str, *, recursive: bool) -> list[str]:
    guarded = remote_path(path)
    if split_remote_path(guarded)[1] in ("", ".", ".."):
        raise SSHError(f"refusing to delete {path!r}: name the file or folder itself")
    return ["rm", *(["-r"] if recursive else []), "--", guarded]


def parse_file_list(output: bytes) -> list[RemoteFileEntry]:
    """Entries from the list script's NUL-separated output, sorted by name."""
    fields = output.split(b"\0")
    if fields[-1] != b"" or (len(fields) - 1) % 4:
        raise SSHError("the remote file list was cut short")
    entries = []
    for at in range(0, len(fields) - 1, 4):
        kind, size, modified, name = fields[at : at + 4]
        entries.append(
            RemoteFileEntry(
                # Names are bytes on the instance; undecodable bytes survive as surrogates.
                name=name.decode("utf-8", "surrogateescape"),
                type=_FIND_TYPES.get(kind.decode("ascii", "replace"), "other"),
                size=int(size),
                modified=float(modified),
            )
        )
    return sorted(entries)
