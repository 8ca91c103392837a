"""Unpacking a download's tar stream from an instance that may be hostile.

The instance decides every byte of the stream, so each member is judged before anything is
written, and the unpacking happens in a private folder (`into`, made by the caller next to
the destination) that only this process writes to. The rules:

- Names are relative: an absolute name or a `..` component refuses the download (GNU tar,
  as the remote script runs it, never writes either). `.` components and a leading `./`
  are dropped. A name may appear once (a folder may be declared again).
- Only regular files, folders, symbolic links and hard links are unpacked. A fifo, a device
  or anything else refuses the download: none has a meaning on this machine.
- Nothing is written through a link: every folder a member lies in must be a folder of this
  download (made here, never a link), and files are created with O_EXCL | O_NOFOLLOW.
- A hard link may only name a regular file that came earlier in this download.
- A symbolic link must point inside the destination: relative, and its leading `..`s may not
  climb above the destination's top. A `..` after a name (`a/../x`) is refused too: if `a`
  is itself a link (to `.`, say), the kernel climbs from where `a` leads, so only a target
  whose `..`s all come first can be judged from its text alone. Links the user already
  had in the destination are the user's; a download never writes through them, and its
  links are judged against the tree the download itself builds.
- Modes keep the owner's bits and lose setuid, setgid, sticky and the group and other
  write bits (as tarfile's `tar` filter does); owners are never set; files keep their
  modification times.
- A single-file download (`single_file=True`) must be exactly one regular file; it lands
  as `into/FILE_NAME`, whatever name the stream gave it.

A refusal raises `UnsafeDownloadError` naming the member (shown with `repr`, so control
characters in a hostile name reach no terminal) and why. The caller discards `into`, so the
destination is exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
from pathlib import Path
from typing import IO, NoReturn

from gpueater_ext._errors import SSHError

__all__ = ["FILE_NAME", "UnsafeDownloadError", "symlink_problem", "unpack_download"]

FILE_NAME = "file"
# What a member keeps of its mode: the permission bits, less group and other write.
_KEPT_MODE = 0o755
_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_KIND_NAMES = {
    tarfile.FIFOTYPE: "a fifo",
    tarfile.CHRTYPE: "a character device",
    tarfile.BLKTYPE: "a block device",
}


class UnsafeDownloadError(SSHError):
    """The instance sent a member a download must not unpack; nothing was changed locally."""


def _refuse(member: tarfile.TarInfo, why: str) -> NoReturn:
    raise UnsafeDownloadError(f"refused the member {member.name!r}: {why}")


def _relative(member: tarfile.TarInfo, name: str, what: str) -> str:
    """`name` (the member's own, or a hard link's target) as a clean relative path."""
    if name.startswith("/"):
        _refuse(member, f"{what} is absolute ({name!r})")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        _refuse(member, f"{what} climbs out with '..' ({name!r})")
    return "/".join(parts)


def symlink_problem(path: str, target: str) -> str | None:
    """Why a symbolic link at `path` (relative to the destination's top, `/`-separated) to
    `target` may not be kept, or None when it stays inside (the rule in the docstring)."""
    leaves = f"a symbolic link to {target!r}, which leaves the destination"
    if not target or target.startswith("/"):
        return leaves
    depth = path.count("/")  # how many folders the link lies below the destination's top
    named = False
    for part in target.split("/"):
        if part in ("", "."):
            continue
        if part != "..":
            named = True
        elif named:
            return (
                f"a symbolic link to {target!r}: a '..' after a name may leave the "
                "destination through another link"
            )
        else:
            depth -= 1
            if depth < 0:
                return leaves
    return None


class _Unpacker:
    """One download's members, written under `root`; `kinds` maps each path made so far
    (relative to `root`, "" for `root` itself) to "folder", "file" or "link"."""

    def __init__(self, root: Path, *, single_file: bool) -> None:
        self.root = root
        self.single_file = single_file
        self.kinds: dict[str, str] = {"": "folder"}
        self.folders: dict[str, tarfile.TarInfo] = {}
        self.members = 0

    def _parent_folders(self, member: tarfile.TarInfo, path: str) -> None:
        """Make the member's missing folders; refuse when one is not a folder of ours."""
        parts = path.split("/")[:-1]
        for end in range(1, len(parts) + 1):
            folder = "/".join(parts[:end])
            kind = self.kinds.get(folder)
            if kind is None:
                os.mkdir(self.root / folder, 0o700)
                self.kinds[folder] = "folder"
            elif kind != "folder":
                _refuse(member, f"it would be written through the {kind} {folder!r}")

    def add(self, archive: tarfile.TarFile, member: tarfile.TarInfo) -> None:
        self.members += 1
        path = _relative(member, member.name, "its name")
        if self.single_file:
            if self.members > 1:
                _refuse(member, "one file was asked for, and this is a second member")
            if not member.isreg():
                _refuse(member, "one regular file was asked for, and this is not one")
            self._write_file(archive, member, FILE_NAME)
            return
        if path in self.kinds and not (member.isdir() and self.kinds[path] == "folder"):
            _refuse(member, "the name appears twice in the download")
        if not (member.isreg() or member.isdir() or member.issym() or member.islnk()):
            kind = _KIND_NAMES.get(member.type, f"an entry of type {member.type!r}")
            _refuse(member, f"it is {kind}: downloads carry only files, folders and links")
        if path == "" and not member.isdir():
            _refuse(member, "the destination's top can only be a folder")
        self._parent_folders(member, path)
        if member.isdir():
            if path not in self.kinds:
                os.mkdir(self.root / path, 0o700)
                self.kinds[path] = "folder"
            self.folders[path] = member
        elif member.issym():
            problem = symlink_problem(path, member.linkname)
            if problem is not None:
                _refuse(member, problem)
            os.symlink(member.linkname, self.root / path)
            self.kinds[path] = "link"
        elif member.islnk():
            target = _relative(member, member.linkname, "its hard link's target")
            if self.kinds.get(target) != "file":
                _refuse(
                    member,
                    f"a hard link to {member.linkname!r}, which is not a file "
                    "that came earlier in this download",
                )
            os.link(self.root / target, self.root / path, follow_symlinks=False)
            self.kinds[path] = "file"
        else:
            self._write_file(archive, member, path)

    def _write_file(self, archive: tarfile.TarFile, member: tarfile.TarInfo, path: str) -> None:
        content = archive.extractfile(member)
        assert content is not None  # a regular member always has content
        descriptor = os.open(self.root / path, _OPEN_FLAGS, 0o600)
        with os.fdopen(descriptor, "wb") as written:
            shutil.copyfileobj(content, written)
            os.fchmod(descriptor, member.mode & _KEPT_MODE)
            os.utime(descriptor, (member.mtime, member.mtime))
        self.kinds[path] = "file"

    def finish(self) -> None:
        """Folder modes and times, deepest first (a folder's time changes as it fills)."""
        if self.single_file and self.members == 0:
            raise SSHError("the instance sent no file")
        for path in sorted(self.folders, key=lambda folder: folder.count("/"), reverse=True):
            member = self.folders[path]
            where = self.root / path
            # The owner keeps full access, so the download can be merged and cleaned up.
            os.chmod(where, (member.mode & _KEPT_MODE) | stat.S_IRWXU, follow_symlinks=False)
            os.utime(where, (member.mtime, member.mtime), follow_symlinks=False)


def unpack_download(stream: IO[bytes], into: Path, *, single_file: bool) -> None:
    """Unpack the tar stream into the empty private folder `into` by the rules above.

    Raises `UnsafeDownloadError` for a refused member and `SSHError` for a stream that is
    not a tar archive or a member that cannot be written here.
    """
    unpacker = _Unpacker(into, single_file=single_file)
    member: tarfile.TarInfo | None = None
    try:
        with tarfile.open(fileobj=stream, mode="r|") as archive:
            for member in archive:
                unpacker.add(archive, member)
        unpacker.finish()
    except UnsafeDownloadError:
        raise
    except OSError as problem:
        where = f" {member.name!r}" if member is not None else ""
        raise SSHError(f"cannot write{where}: {problem.strerror or problem}") from None
    except (tarfile.TarError, EOFError) as problem:
        raise SSHError(f"the instance sent a broken archive: {problem}") from None
