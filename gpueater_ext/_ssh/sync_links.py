"""What keeps a `sync` down (rsync from the instance) inside the local destination.

What rsync does with hostile links, found by trying (rsync 3.5.0 on both ends) and from its
manual; the remote rsync is a process the instance controls and may send any file list:
- `--links` recreates every symlink the sender lists, wherever it points. `--copy-links`,
  `--copy-unsafe-links` and `--copy-dirlinks` are carried out by the *sender*: a hostile
  one ignores them, so they protect nothing on a download.
- `--safe-links` is the receiver's choice (it skips absolute links and links whose `..`s
  climb above the top). It is only as good as the local rsync's check: before 3.4.0 a
  target such as `here/../outside` (with `here -> .`) passed it (CVE-2024-12088), and a
  sender could then have files written through such a link (CVE-2024-12087). 3.5.0 skips
  both; older rsyncs, and distribution builds of unknown patch level, are still common.
- A link already in the local destination where the sender has a folder is replaced by a
  real folder (no `--keep-dirlinks`), and a file there replaces a link rather than writing
  through it. A link the sender does not mention stays, and nothing in rsync's protocol
  stops a crafted file list from naming `link/file` below it without listing `link`.
- Names in the file list that are absolute or climb with `..` make the local rsync abort
  ("the file list stays within the requested tree", rsync's manual); devices and special
  files are not created without `--devices`/`--specials` (which we never pass), hard links
  not without `-H`, owners not without `-o`/`-g`.
- `--munge-links` on the receiver stores every received link as `/rsyncd-munged/TARGET`,
  which leads nowhere (rsync refuses to run if `/rsyncd-munged` is a folder). Combined
  with `--safe-links` it drops every link (all munged links are absolute), so the two are
  not combined.

What this module adds, so that neither a hostile sender nor an old local rsync can reach
outside the destination: before rsync runs, every link already in the destination is
munged too (`munge_links`), so during the run no link there leads anywhere and nothing can
be written through one; rsync gets `--munge-links`. Afterwards (also after a failure or an
interrupt) `unmunge_links` restores the user's own links exactly as they were and judges
each link that came from the instance by the download rule (`_ssh.extract.symlink_problem`:
relative, its `..`s first and never above the top): one that stays inside is unmunged, one
that leaves is removed and reported. Links are replaced by a rename beside them, keeping
the link's and its folder's times, so rsync sees nothing changed on the next run (an
unmunged link would differ from the munged one rsync receives and be sent every time).

Left as it is: a run killed with SIGKILL leaves the links munged; the next sync restores
those that stay inside and removes (and reports) those that leave, even if they were the
user's own. Two syncs into one folder at the same time have the same effect on each
other's munged links.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh.extract import symlink_problem

__all__ = ["MUNGED_PREFIX", "MungedLinks", "munge_links", "unmunge_links"]

MUNGED_PREFIX = "/rsyncd-munged/"  # rsync's own, fixed in its source


@dataclass
class MungedLinks:
    """The destination whose links are munged, and the user's own links: relative path ->
    their target before munging."""

    root: Path
    originals: dict[str, str] = field(default_factory=dict)


def _links(root: Path, unreadable: list[str], below: str = "") -> list[tuple[str, str]]:
    """(relative path, target) of every symbolic link under `root`, never following one;
    folders that cannot be listed are added to `unreadable` and skipped."""
    found: list[tuple[str, str]] = []
    try:
        with os.scandir(root / below if below else root) as entries:
            listed = list(entries)
    except OSError:
        unreadable.append(below or ".")
        return found
    for entry in listed:
        relative = f"{below}/{entry.name}" if below else entry.name
        if entry.is_symlink():
            found.append((relative, os.readlink(entry.path)))
        elif entry.is_dir(follow_symlinks=False):
            found.extend(_links(root, unreadable, relative))
    return found


def _keeping_folder_times(link: Path, change: Callable[[], None]) -> None:
    """Run `change` (of `link` in its folder) and put the folder's times back: rsync would
    otherwise see the folder changed, and report and reset its time on every run."""
    folder_times = os.stat(link.parent)
    change()
    os.utime(link.parent, ns=(folder_times.st_atime_ns, folder_times.st_mtime_ns))


def _relink(link: Path, target: str) -> None:
    """Point `link` at `target` in one rename, keeping its times and its folder's times."""
    _keeping_folder_times(link, lambda: _replace_link(link, target))


def _replace_link(link: Path, target: str) -> None:
    link_times = os.lstat(link)
    while True:
        staged = link.with_name(f".gpueater-link.{secrets.token_hex(6)}")
        try:
            os.symlink(target, staged)
            break
        except FileExistsError:
            continue
    try:
        os.replace(staged, link)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    os.utime(link, ns=(link_times.st_atime_ns, link_times.st_mtime_ns), follow_symlinks=False)


def munge_links(root: Path) -> MungedLinks:
    """Munge every link under `root` that is not munged yet; on failure, undo and raise."""
    munged = MungedLinks(root)
    unreadable: list[str] = []
    links = _links(root, unreadable)
    if unreadable:
        # A link in there could not be munged, so nothing could stop a write through it.
        raise SSHError(
            f"cannot list the local folder {unreadable[0]!r} in {str(root)!r}: a sync "
            "down must see every link in its destination (fix the folder's permissions)"
        )
    for path, target in links:
        if target.startswith(MUNGED_PREFIX):
            continue
        try:
            _relink(root / path, MUNGED_PREFIX + target)
        except OSError as problem:
            unmunge_links(munged, after_rsync=False)
            raise SSHError(
                f"cannot prepare the local link {path!r} for a safe sync: {problem.strerror}"
            ) from None
        munged.originals[path] = target
    return munged


def unmunge_links(munged: MungedLinks, *, after_rsync: bool = True) -> list[str]:
    """Restore the user's links and unmunge the instance's links that stay inside; remove
    the rest. Returns the removed links' relative paths.

    After rsync ran, a link that is not munged cannot be the user's (all of theirs were
    munged first): rsync made it without munging, so it is judged as well and removed if it
    leaves. Undoing a `munge_links` that failed halfway (`after_rsync=False`) leaves such
    links alone: they are the user's, not munged yet."""
    removed: list[str] = []
    failed: list[str] = []
    for path, target in _links(munged.root, failed):
        link = munged.root / path
        is_munged = target.startswith(MUNGED_PREFIX)
        meant = target[len(MUNGED_PREFIX) :] if is_munged else target
        try:
            if is_munged and munged.originals.get(path) == meant:
                _relink(link, meant)  # the user's own, exactly as it was
            elif symlink_problem(path, meant) is not None:
                if is_munged or after_rsync:
                    _keeping_folder_times(link, link.unlink)
                    removed.append(path)
            elif is_munged:
                _relink(link, meant)
        except OSError:
            failed.append(path)
    if failed:
        raise SSHError(
            f"could not restore the links at {len(failed)} place(s) after syncing, first "
            f"{failed[0]!r} (still pointing at {MUNGED_PREFIX}...): sync again to restore them"
        )
    return removed
