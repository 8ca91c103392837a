"""Copying files and folders to and from an instance as a tar stream over one ssh call.

Why not scp or sftp: scp in its SFTP mode (OpenSSH 9.x) expands globs in remote source
paths, and its legacy mode hands paths to the remote shell; `sftp -b` batch files have their
own quoting and glob rules and cannot carry a newline in a name. Streaming tar through
`ssh ... sh -c <fixed script> <paths>` needs neither: paths are plain arguments of a fixed
script (see `_ssh.remote`), and names inside the archive are data, never parsed by a shell.

The local side uses Python's tarfile, never a local shell or tar binary. The instance may
be hostile, so a download is unpacked into a private staging folder beside the destination
by `_ssh.extract`'s rules (relative names only, no `..`, no devices or fifos, hard links only
to files of the same download, symbolic links only inside the destination, nothing written
through a link). Only a download that passed every rule is moved into place, and the move
is planned in full first: a refused or conflicting download leaves the destination exactly
as it was. Moving into place never follows a link already at the destination: a file
replaces a link (the link itself, not what it points at), and a folder that would have to
go through or over a link is refused. The destination the user named is taken as named,
even when it is itself a link to a folder (as cp does); nothing below it is followed.
"""

from __future__ import annotations

import os
import stat
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import IO

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh.extract import FILE_NAME, UnsafeDownloadError, unpack_download
from gpueater_ext._ssh.progress import counted_reader, counted_writer, size_of
from gpueater_ext._ssh.remote import (
    EXIT_REASONS,
    FOLDER_NEEDS_RECURSIVE,
    get_words,
    put_words,
    remote_exit_error,
    split_remote_path,
)
from gpueater_ext._ssh.run import SSH_FAILED, prepared_argv, ssh_error
from gpueater_ext._ssh.target import SshTarget

__all__ = ["download", "upload"]


def _portable_member(member: tarfile.TarInfo) -> tarfile.TarInfo | None:
    """What an upload carries: files, folders and links, without local owner names."""
    if not (member.isreg() or member.isdir() or member.issym() or member.islnk()):
        return None
    member.uid = member.gid = 0
    member.uname = member.gname = ""
    return member


def _failure(target: SshTarget, exit_code: int, stderr: bytes, path: str, doing: str) -> SSHError:
    if exit_code in EXIT_REASONS:
        return remote_exit_error(doing, path, exit_code)
    if exit_code == SSH_FAILED:
        return ssh_error(target, stderr, doing)
    return ssh_error(target, stderr or b"the remote side failed", doing)


def _read_all(stream: IO[bytes]) -> bytes:
    stream.seek(0)
    return stream.read()


def _kind_of(path: Path) -> str | None:
    """What is at `path` itself, never following a link: "folder", "link", "file" or None."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(found.st_mode):
        return "link"
    return "folder" if stat.S_ISDIR(found.st_mode) else "file"


def _plan_merge(source: Path, destination: Path, moves: list[tuple[Path, Path]]) -> None:
    """The renames that merge folder `source` into the existing real folder `destination`
    (cp -r style), or an SSHError for a conflict; nothing is moved here."""
    with os.scandir(source) as entries:
        staged = list(entries)
    for entry in staged:
        there = destination / entry.name
        existing = _kind_of(there)
        if entry.is_dir(follow_symlinks=False):
            if existing == "folder":
                _plan_merge(Path(entry.path), there, moves)
                continue
            if existing is not None:
                raise SSHError(f"cannot replace the local {existing} {str(there)!r} with a folder")
        elif existing == "folder":
            raise SSHError(f"cannot replace the local folder {str(there)!r} with a file")
        moves.append((Path(entry.path), there))


def _place_download(kind: bytes, content: Path, final: Path) -> None:
    """Move the unpacked download into place, or raise before anything moved."""
    existing = _kind_of(final)
    if kind == b"f":
        if existing == "folder":
            raise SSHError(f"cannot replace the local folder {str(final)!r} with a file")
        moves = [(content / FILE_NAME, final)]
    elif existing == "folder":
        moves = []
        _plan_merge(content, final, moves)
    elif existing is not None:
        raise SSHError(f"cannot replace the local {existing} {str(final)!r} with a folder")
    else:
        moves = [(content, final)]
    for staged, there in moves:
        os.replace(staged, there)  # over a file or a link: replaces it, never writes into it


def download(target: SshTarget, src: str, dst: Path, *, recursive: bool) -> Path:
    """Copy remote `src` to local `dst` (into it, when it is a folder); returns the new path."""
    dst = Path(dst)
    remote_name = split_remote_path(src)[1]
    into_folder = dst.is_dir()
    if into_folder and remote_name in ("", ".", ".."):
        raise SSHError(f"copying remote {src!r} into a folder: give the new folder's own name")
    final = dst / remote_name if into_folder else dst
    if not final.parent.is_dir():
        raise SSHError(f"local folder {final.parent} does not exist")
    argv = prepared_argv(target, get_words(src, recursive=recursive))
    doing = f"copying {src!r} from the instance"
    with (
        tempfile.TemporaryFile() as errors,
        tempfile.TemporaryDirectory(dir=final.parent, prefix=".gpueater-get.") as staging,
    ):
        content = Path(staging) / "content"
        content.mkdir()
        try:
            # A session of its own, as for uploads: Ctrl-C is this process's KeyboardInterrupt.
            process = subprocess.Popen(  # noqa: S603 (argument list)
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors,
                start_new_session=True,
            )
        except FileNotFoundError:
            raise SSHError(f"{target.ssh_program!r} not found: install openssh-client") from None
        assert process.stdout is not None
        refused: SSHError | None = None
        with process:
            kind = process.stdout.read(1)
            if kind in (b"d", b"f"):
                try:
                    unpack_download(
                        counted_reader(process.stdout), content, single_file=kind == b"f"
                    )
                    while process.stdout.read(65536):
                        pass  # the archive's end padding, so ssh never waits on a full pipe
                except SSHError as problem:
                    refused = problem
                    process.kill()
                except KeyboardInterrupt:
                    process.kill()  # the staging folder goes with the with-block
                    raise
            exit_code = process.wait()
        if isinstance(refused, UnsafeDownloadError):
            # The instance's own exit status is moot: it sent what must not be unpacked.
            raise UnsafeDownloadError(f"{doing}: {refused}; nothing was changed here") from None
        if refused is None and exit_code != 0:
            raise _failure(target, exit_code, _read_all(errors), src, doing)
        if refused is not None or kind not in (b"d", b"f"):
            raise SSHError(f"{doing} failed: {refused or 'no data arrived'}")
        _place_download(kind, content, final)
    return final


def _write_archive(archive: tarfile.TarFile, src: Path) -> None:
    if src.is_dir():
        # The top level is the folder itself even when `src` is a link to it.
        archive.add(os.path.realpath(src), arcname=".", filter=_portable_member)
        return
    with open(src, "rb") as source:
        member = archive.gettarinfo(arcname="f", fileobj=source)
        _portable_member(member)
        archive.addfile(member, source)


def upload(target: SshTarget, src: Path, dst: str, *, recursive: bool) -> str:
    """Copy local `src` to remote `dst` (into it, when it is a folder)."""
    src = Path(src)
    if not src.exists():
        raise SSHError(f"local {src} does not exist")
    is_folder = src.is_dir()
    if is_folder and not recursive:
        refused = SSHError(f"local {src} is a folder")
        refused.next_step = FOLDER_NEEDS_RECURSIVE
        raise refused
    if not is_folder and not src.is_file():
        raise SSHError(f"local {src} is neither a regular file nor a folder")
    name = src.name if src.name not in ("", ".", "..") else Path(os.path.realpath(src)).name
    argv = prepared_argv(target, put_words(dst, name=name, is_folder=is_folder))
    doing = f"copying {str(src)!r} to the instance"
    with tempfile.TemporaryFile() as errors:
        try:
            # Unbuffered, so a remote side that stops early surfaces as one BrokenPipeError.
            # A session of its own: Ctrl-C interrupts this process (KeyboardInterrupt, exit 130),
            # not ssh under it, whose death would read as "ssh failed without a message".
            process = subprocess.Popen(  # noqa: S603 (argument list)
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                bufsize=0,
                start_new_session=True,
            )
        except FileNotFoundError:
            raise SSHError(f"{target.ssh_program!r} not found: install openssh-client") from None
        assert process.stdin is not None
        with process:
            try:
                stream = counted_writer(process.stdin, lambda: size_of(src))
                with tarfile.open(fileobj=stream, mode="w|", format=tarfile.GNU_FORMAT) as archive:
                    _write_archive(archive, src)
                process.stdin.close()
            except BrokenPipeError:
                pass  # the remote side stopped reading; its exit status says why
            except OSError as problem:
                process.kill()
                raise SSHError(f"{doing} failed: {problem}") from None
            except KeyboardInterrupt:
                process.kill()  # the remote side removes its unfinished copy
                raise
            exit_code = process.wait()
        if exit_code != 0:
            raise _failure(target, exit_code, _read_all(errors), dst, doing)
    return dst
