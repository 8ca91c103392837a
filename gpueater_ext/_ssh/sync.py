"""synchronize_files: mirror a folder to or from an instance with rsync over the project's ssh.

How the paths stay literal (each point is a way the published clients, or rsync's defaults,
let a name turn into something else):
- rsync is run from an argument list, never through a local shell. Local paths are made
  absolute, so no local name can be read as an option or as `host:path`.
- The ssh command is rsync's `--rsh`, which rsync splits itself: on spaces, with single or
  double quotes grouping and a doubled quote meaning one quote character. Every word is
  single-quoted that way (`rsh_words`), so option values with spaces or quotes (key and
  known_hosts paths) arrive as one argument each. The words are `_ssh.run.prepared_argv`'s:
  the same host key, identity and option rules as every other SSH extra.
- `-s` (--secluded-args) sends file names to the remote rsync over its own protocol, not on
  the remote shell's command line: rsync 3.2.7's escaping for that command line misses the
  backtick. Remote relative paths get `_ssh.argv.remote_path`'s `./`, so none starts with `-`
  or `:` (`host::x` would mean an rsync daemon).
- The remote rsync still expands `*`, `?` and `[` in the names it receives (sender and
  receiver alike), component by component, keeping a component as typed when it matches
  nothing. So a component holding one of them is backslash-escaped (`rsync_glob_escape`),
  and an upload's destination folder is created first (mkdir -p): an escaped component
  that matches nothing would be kept with its backslashes.

Downloads: the instance's rsync may be hostile and send any file list; how rsync treats
links, and what keeps a download inside the local folder (every link munged while rsync
runs, then judged by the same rule as `cp`'s), is in `_ssh.sync_links`. A link from the
instance that would leave the folder is left out and reported as a `*refused` item.

The remote side needs rsync installed (stock images have it, or `apt-get install rsync`).
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh.argv import remote_path
from gpueater_ext._ssh.files import Action, _checked_action, make_directory
from gpueater_ext._ssh.run import prepared_argv, ssh_error
from gpueater_ext._ssh.sync_links import MungedLinks, munge_links, unmunge_links
from gpueater_ext._ssh.target import SshTarget

__all__ = [
    "REFUSED",
    "SyncItem",
    "SyncResult",
    "parse_itemized",
    "rsh_words",
    "rsync_argv",
    "rsync_glob_escape",
    "synchronize_files",
]

# rsync's own options: recursive, links as links, permissions and times (no owners, groups
# or devices: the instance's root must not chown files to local uids), secluded arguments,
# one itemized line per change. `--out-format` pins the line's shape across versions.
_RSYNC_OPTIONS = ("-s", "-rlpt", "--out-format=%i %n")
# The source's .gitignore files as per-folder exclude lists ("dir-merge", "-": exclude only).
GITIGNORE_FILTER = "--filter=:- .gitignore"
_GLOB_CHARACTERS = frozenset("*?[")
# `%i` is 11 characters: update type, file type, 9 attribute flags; deletions print this.
_ITEM_LINE = re.compile(r"([<>ch.*][fdLDS][^ ]{9}|\*deleting  ) (.*)", re.DOTALL)
# rsync prints unprintable bytes of names as `\#ooo` (octal).
_OCTAL_ESCAPE = re.compile(rb"\\#([0-7]{3})")
REFUSED = "*refused"
_REMOTE_RSYNC_MISSING = (b"rsync: command not found", b"rsync: not found")


@dataclass(frozen=True)
class SyncItem:
    """One change rsync made (or, in a dry run, would make): rsync's `%i` code and the path
    relative to the synchronized folder (`*deleting` for a deletion, `*refused` for a link
    from the instance that was left out because it points outside the folder)."""

    change: str
    path: str

    @property
    def transferred(self) -> bool:
        """A file's content was sent or received."""
        return self.change[:1] in ("<", ">")

    @property
    def deleted(self) -> bool:
        return self.change.startswith("*deleting")

    @property
    def refused(self) -> bool:
        return self.change == REFUSED


@dataclass(frozen=True)
class SyncResult:
    """What a synchronization changed; `dry_run` True means nothing was actually changed."""

    items: list[SyncItem]
    dry_run: bool

    @property
    def transferred(self) -> list[str]:
        return [item.path for item in self.items if item.transferred]

    @property
    def deleted(self) -> list[str]:
        return [item.path for item in self.items if item.deleted]

    @property
    def refused(self) -> list[str]:
        """Links from the instance left out because they point outside the folder."""
        return [item.path for item in self.items if item.refused]


def rsh_words(words: Sequence[str]) -> str:
    """`words` as one `--rsh` value that rsync splits back into exactly these words."""
    for word in words:
        if "\0" in word:
            raise SSHError(f"an ssh argument cannot hold a NUL character: {word!r}")
    return " ".join("'" + word.replace("'", "''") + "'" for word in words)


def rsync_glob_escape(path: str) -> str:
    """The remote path with each component holding `*`, `?` or `[` backslash-escaped.

    rsync matches such a component against the folder's entries (backslash escapes honoured)
    and keeps any other component as it is, so only those components are escaped.
    """
    return "/".join(
        re.sub(r"([*?\[\\])", r"\\\1", part) if _GLOB_CHARACTERS & set(part) else part
        for part in path.split("/")
    )


def _rsync_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host  # rsync's spelling of an IPv6 literal


def _as_folder(path: str) -> str:
    """A trailing slash: rsync then works on the folder's content, not the folder itself."""
    return path if path.endswith("/") else path + "/"


def rsync_argv(
    target: SshTarget,
    action: Action,
    src: str,
    dst: str,
    *,
    delete: bool = False,
    exclude: Sequence[str] = (),
    gitignore: bool = False,
    dry_run: bool = False,
    progress: bool = False,
    rsync_program: str = "rsync",
) -> list[str]:
    """rsync's argument list: the content of folder `src` into folder `dst` ("get": from the
    instance, "put": to it). Checks the key file first, as every SSH extra does."""
    ssh_words = prepared_argv(target, None)
    if ssh_words[-2:] != ["--", target.host]:
        raise AssertionError("ssh_argv no longer ends with '-- <host>'")
    remote = f"{_rsync_host(target.host)}:"
    options = [*_RSYNC_OPTIONS]
    if action == "get":
        source = remote + rsync_glob_escape(_as_folder(remote_path(src)))
        destination = _as_folder(os.path.abspath(dst))
        # The instance decides what arrives. A real run munges every link it receives
        # (`_ssh.sync_links` judges and restores them); a dry run, which writes nothing,
        # shows what rsync's own check would leave out.
        options.append("--safe-links" if dry_run else "--munge-links")
    else:
        source = _as_folder(os.path.abspath(src))
        destination = remote + rsync_glob_escape(_as_folder(remote_path(dst)))
    options.append("--rsh=" + rsh_words(ssh_words[:-1]))
    if dry_run:
        options.append("--dry-run")
    if delete:
        options.append("--delete")
    for pattern in exclude:
        if not pattern or "\0" in pattern:
            raise SSHError(f"unusable exclude pattern: {pattern!r}")
        options.append("--exclude=" + pattern)
    if gitignore:
        options.append(GITIGNORE_FILTER)
    if progress:
        options.append("--info=progress2")
    # `--` ends the options: neither path can be read as one, whatever it holds.
    return [rsync_program, *options, "--", source, destination]


def _rsync_environment() -> dict[str, str]:
    """This process's environment without RSYNC_* settings: RSYNC_OLD_ARGS, RSYNC_RSH and
    the like would change how rsync passes names or which ssh it runs."""
    return {name: value for name, value in os.environ.items() if not name.startswith("RSYNC_")}


def _unescape(name: bytes) -> str:
    raw = _OCTAL_ESCAPE.sub(lambda found: bytes([int(found.group(1), 8)]), name)
    return raw.decode("utf-8", "surrogateescape")


def parse_itemized(line: bytes) -> SyncItem | None:
    """The change an output line reports, or None for rsync's other lines (notes, progress)."""
    found = _ITEM_LINE.fullmatch(line.decode("ascii", "surrogateescape"))
    if found is None:
        return None
    return SyncItem(change=found.group(1).rstrip(), path=_unescape(line[len(found.group(1)) + 1 :]))


def _stream_output(
    process: subprocess.Popen[bytes], on_progress: Callable[[str], None] | None
) -> list[SyncItem]:
    """Collect itemized lines from rsync's stdout; progress redraws (ending in CR) go to
    `on_progress`."""
    assert process.stdout is not None
    items: list[SyncItem] = []
    pending = b""
    while chunk := os.read(process.stdout.fileno(), 65536):
        pending += chunk
        *complete, pending = re.split(rb"(?<=[\r\n])", pending)
        for piece in complete:
            text = piece.rstrip(b"\r\n")
            item = parse_itemized(text) if piece.endswith(b"\n") else None
            if item is not None:
                items.append(item)
            elif text.strip() and on_progress is not None:
                on_progress(text.decode(errors="replace").strip())
    return items


def _refuse_deleting_a_whole_home(action: Action, dst: str) -> None:
    """`--delete` into a home or root folder would remove everything else there: a sync
    target that is a folder of its own is almost surely what was meant."""
    if action == "put":
        remote = posixpath.normpath(remote_path(dst))
        everything = {"/": "the instance's root folder", ".": "the remote user's home"}
        refused = everything.get(remote)
    else:
        local = Path(dst).resolve()
        refused = "this root folder" if local == Path("/") else None
        if local == Path.home().resolve():
            refused = "your home folder"
    if refused is not None:
        raise SSHError(
            f"refusing to delete in {refused} ({dst!r}): synchronize into a folder of its own"
        )


def _failure(target: SshTarget, exit_code: int, stderr: bytes, doing: str) -> SSHError:
    if any(marker in stderr for marker in _REMOTE_RSYNC_MISSING):
        return SSHError(
            f"{doing} failed: rsync is not installed on {target.describe()} "
            "(install it there: `apt-get install rsync`)"
        )
    # rsync ends with a summary ("rsync error: ... (code 23) at main.c(...)"); the lines
    # before it name the actual problem.
    useful = b"\n".join(
        line
        for line in stderr.splitlines()
        if not line.startswith((b"rsync error:", b"rsync: connection unexpectedly closed"))
    )
    return ssh_error(target, useful or f"rsync exited with status {exit_code}".encode(), doing)


def synchronize_files(
    target: SshTarget,
    action: Action,
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    *,
    delete: bool = False,
    exclude: Sequence[str] = (),
    gitignore: bool = False,
    dry_run: bool = False,
    on_progress: Callable[[str], None] | None = None,
    rsync_program: str = "rsync",
) -> SyncResult:
    """Make folder `dst` hold what folder `src` holds: "get" from the instance, "put" to it.

    Only changed files travel (rsync). `delete` removes files in `dst` that `src` does not
    have (excluded ones are kept); `exclude` patterns are rsync's (`*.pyc`, `/build`);
    `gitignore` honours the source's `.gitignore` files (plain patterns; a `!` line is
    rsync's "clear the list", not git's negation). `dry_run` reports without changing
    anything. `on_progress(line)` receives rsync's overall progress as it is redrawn.
    `dst` is created when missing.
    """
    checked = _checked_action(action)
    src, dst = os.fspath(src), os.fspath(dst)
    if delete:
        _refuse_deleting_a_whole_home(checked, dst)
    if checked == "put" and not Path(src).exists():
        raise SSHError(f"local {src} does not exist: synchronize an existing folder")
    if checked == "put" and not Path(src).is_dir():
        raise SSHError(f"local {src} is not a folder: synchronize folders, copy files")
    argv = rsync_argv(
        target,
        checked,
        src,
        dst,
        delete=delete,
        exclude=exclude,
        gitignore=gitignore,
        dry_run=dry_run,
        progress=on_progress is not None,
        rsync_program=rsync_program,
    )
    munged: MungedLinks | None = None
    if not dry_run:
        if checked == "put":
            make_directory(target, dst)  # so the escaped destination matches this folder
        else:
            Path(dst).mkdir(parents=True, exist_ok=True)
            munged = munge_links(Path(dst))
    try:
        items = _run_rsync(target, argv, on_progress, src, checked, rsync_program)
    finally:
        removed = [] if munged is None else unmunge_links(munged)
    if removed:
        left_out = set(removed)
        items = [item for item in items if item.path not in left_out]
        items.extend(SyncItem(change=REFUSED, path=path) for path in sorted(removed))
    return SyncResult(items=items, dry_run=dry_run)


def _run_rsync(
    target: SshTarget,
    argv: list[str],
    on_progress: Callable[[str], None] | None,
    src: str,
    action: Action,
    rsync_program: str,
) -> list[SyncItem]:
    doing = f"synchronizing {src!r} {'from' if action == 'get' else 'to'} the instance"
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(  # noqa: S603 (argument list)
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors,
                env=_rsync_environment(),
            )
        except FileNotFoundError:
            raise SSHError(
                f"{rsync_program!r} not found: install rsync (`apt-get install rsync`)"
            ) from None
        with process:
            items = _stream_output(process, on_progress)
            exit_code = process.wait()
        if exit_code != 0:
            errors.seek(0)
            raise _failure(target, exit_code, errors.read(), doing)
    return items
