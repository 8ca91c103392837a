"""Copying files and folders to and from an instance as a tar stream over one ssh call.

Why not scp or sftp: scp in its SFTP mode (OpenSSH 9.x) expands globs in remote source
paths, and its legacy mode hands paths to the remote shell; `sftp -b` batch files have their
own quoting and glob rules and cannot carry a newline in a name. Streaming tar through
`ssh ... sh -c <fixed script> <paths>` needs neither: paths are plain arguments of a fixed
script (see `_ssh_remote`), and names inside the archive are data, never parsed by a shell.

The local side uses Python's tarfile, never a local shell or tar binary. Downloads are
unpacked into a staging folder beside the destination with tarfile's `tar` filter (no
absolute paths, no `..`, no writing through links outside the destination, no setuid bits)
and only regular files, folders and links are kept; then they are moved into place, so a
failed copy leaves the destination as it was.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import IO

from ._errors import SSHError
from ._ssh_remote import EXIT_REASONS, get_words, put_words, split_remote_path
from ._ssh_run import SSH_FAILED, prepared_argv, ssh_error
from ._ssh_target import SshTarget

__all__ = ["download", "upload"]


def _kept_member(member: tarfile.TarInfo, destination: str) -> tarfile.TarInfo | None:
    """tarfile's `tar` filter, and nothing but files, folders and links (no devices, fifos)."""
    if not (member.isreg() or member.isdir() or member.issym() or member.islnk()):
        return None
    return tarfile.tar_filter(member, destination)


def _portable_member(member: tarfile.TarInfo) -> tarfile.TarInfo | None:
    """What an upload carries: files, folders and links, without local owner names."""
    if not (member.isreg() or member.isdir() or member.issym() or member.islnk()):
        return None
    member.uid = member.gid = 0
    member.uname = member.gname = ""
    return member


def _failure(target: SshTarget, exit_code: int, stderr: bytes, path: str, doing: str) -> SSHError:
    if exit_code in EXIT_REASONS:
        return SSHError(f"{doing}: remote {path!r} {EXIT_REASONS[exit_code]}")
    if exit_code == SSH_FAILED:
        return ssh_error(target, stderr, doing)
    return ssh_error(target, stderr or b"the remote side failed", doing)


def _read_all(stream: IO[bytes]) -> bytes:
    stream.seek(0)
    return stream.read()


def _merge_into(source: Path, destination: Path) -> None:
    """Move everything under `source` into the existing folder `destination` (cp -r style)."""
    for entry in os.scandir(source):
        moved_to = destination / entry.name
        if entry.is_dir(follow_symlinks=False) and moved_to.is_dir() and not moved_to.is_symlink():
            _merge_into(Path(entry.path), moved_to)
        elif moved_to.is_dir() and not moved_to.is_symlink():
            raise SSHError(f"cannot replace the local folder {moved_to} with a file")
        else:
            os.replace(entry.path, moved_to)


def _place_download(kind: bytes, content: Path, final: Path) -> None:
    if kind == b"f":
        staged_files = list(content.iterdir())
        if len(staged_files) != 1:
            raise SSHError("the remote side sent more than the one file asked for")
        staged = staged_files[0]
        if final.is_dir() and not final.is_symlink():
            raise SSHError(f"cannot replace the local folder {final} with a file")
        os.replace(staged, final)
    elif final.is_dir():
        _merge_into(content, final)
    elif final.exists() or final.is_symlink():
        raise SSHError(f"cannot replace the local file {final} with a folder")
    else:
        os.replace(content, final)


def download(target: SshTarget, src: str, dst: Path, *, recursive: bool) -> Path:
    """Copy remote `src` to local `dst` (into it, when it is a folder); returns the new path."""
    if not hasattr(tarfile, "tar_filter"):
        raise SSHError("downloads need Python 3.11.4 or newer (tarfile's extraction filters)")
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
            process = subprocess.Popen(  # noqa: S603 (argument list)
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors
            )
        except FileNotFoundError:
            raise SSHError(f"{target.ssh_program!r} not found: install openssh-client") from None
        assert process.stdout is not None
        unpack_problem: str | None = None
        with process:
            kind = process.stdout.read(1)
            if kind in (b"d", b"f"):
                try:
                    with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
                        # The filter is what S202 asks for: it vets every member.
                        archive.extractall(content, filter=_kept_member)  # noqa: S202
                    while process.stdout.read(65536):
                        pass  # the archive's end padding, so ssh never waits on a full pipe
                except (tarfile.TarError, OSError) as problem:
                    unpack_problem = str(problem) or type(problem).__name__
                    process.kill()
            exit_code = process.wait()
        if unpack_problem is None and exit_code != 0:
            raise _failure(target, exit_code, _read_all(errors), src, doing)
        if unpack_problem is not None or kind not in (b"d", b"f"):
            raise SSHError(f"{doing} failed: {unpack_problem or 'no data arrived'}")
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
        raise SSHError(f"local {src} is a folder: copy it with recursive=True (cp -r)")
    if not is_folder and not src.is_file():
        raise SSHError(f"local {src} is neither a regular file nor a folder")
    name = src.name if src.name not in ("", ".", "..") else Path(os.path.realpath(src)).name
    argv = prepared_argv(target, put_words(dst, name=name, is_folder=is_folder))
    doing = f"copying {str(src)!r} to the instance"
    with tempfile.TemporaryFile() as errors:
        try:
            # Unbuffered, so a remote side that stops early surfaces as one BrokenPipeError.
            process = subprocess.Popen(  # noqa: S603 (argument list)
                argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors, bufsize=0
            )
        except FileNotFoundError:
            raise SSHError(f"{target.ssh_program!r} not found: install openssh-client") from None
        assert process.stdin is not None
        with process:
            try:
                with tarfile.open(
                    fileobj=process.stdin, mode="w|", format=tarfile.GNU_FORMAT
                ) as archive:
                    _write_archive(archive, src)
                process.stdin.close()
            except BrokenPipeError:
                pass  # the remote side stopped reading; its exit status says why
            except OSError as problem:
                process.kill()
                raise SSHError(f"{doing} failed: {problem}") from None
            exit_code = process.wait()
        if exit_code != 0:
            raise _failure(target, exit_code, _read_all(errors), dst, doing)
    return dst
