"""Downloads from a hostile instance: a real sshd whose every session answers with a crafted
stream (the `d`/`f` kind byte the remote script prints, then a tar archive built with
tarfile), whatever command was asked for.

Every refusal must leave the destination exactly as it was and change nothing outside it:
a canary file next to the destination keeps its content and modification time, and no
staging folder is left behind.
"""

from __future__ import annotations

import io
import os
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh import copy_file, move_file
from gpueater_ext._ssh.extract import UnsafeDownloadError
from gpueater_ext._ssh.target import SshTarget
from tests.support.hostile_sshd import HostileSshd, snapshot
from tests.support.sshd import ClientKey, new_private_sshd

pytestmark = pytest.mark.sshd


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, isolated_home: Path, client_key: ClientKey):
    new_private_sshd()  # skips (or fails, when required) without OpenSSH's server
    stream = tmp_path_factory.mktemp("hostile") / "stream"
    stream.write_bytes(b"")
    with HostileSshd(f'exec cat "{stream}"', stream.with_name("sessions")) as sshd:
        sshd.authorize(client_key.public_line)
        yield sshd, stream


@dataclass(frozen=True)
class Scene:
    """The instance's answer, and the local side: `dest` (the user's destination folder,
    holding one file) beside `outside` (holding the canary)."""

    target: SshTarget
    sshd: HostileSshd
    stream: Path
    dest: Path
    outside: Path

    @property
    def canary(self) -> Path:
        return self.outside / "canary"

    def serve(self, kind: bytes, *members: tuple[tarfile.TarInfo, bytes | None]) -> None:
        archive = io.BytesIO()
        with tarfile.open(fileobj=archive, mode="w", format=tarfile.GNU_FORMAT) as writing:
            for member, data in members:
                writing.addfile(member, io.BytesIO(data) if data is not None else None)
        self.stream.write_bytes(kind + archive.getvalue())


@pytest.fixture
def scene(
    hostile: tuple[HostileSshd, Path], client_key: ClientKey, tmp_path: Path
) -> Iterator[Scene]:
    sshd, hostile_stream = hostile
    dest, outside = tmp_path / "dest", tmp_path / "outside"
    dest.mkdir()
    outside.mkdir()
    (dest / "keep.txt").write_bytes(b"the user's own file\n")
    (outside / "canary").write_bytes(b"precious\n")
    os.utime(outside / "canary", ns=(1_000_000_000, 1_000_000_000))
    target = SshTarget(
        instance_id="hostile-1",
        known_hosts=hostile_stream.with_name("known_hosts"),
        host=sshd.host,
        port=sshd.port,
        user=sshd.user,
        key_file=client_key.private,
    )
    before_outside = snapshot(outside)
    yield Scene(target, sshd, hostile_stream, dest, outside)
    # Whatever the test did: nothing outside the destination changed, nothing was left over.
    assert snapshot(outside) == before_outside
    assert (outside / "canary").stat().st_mtime_ns == 1_000_000_000
    assert not list(tmp_path.rglob(".gpueater-get.*"))


def entry(name: str, kind: bytes = tarfile.REGTYPE, data: bytes = b"EVIL\n", **fields: object):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mtime = 1_700_000_000
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    for key, value in fields.items():
        setattr(info, key, value)
    content = data if kind == tarfile.REGTYPE else None
    info.size = len(data) if content is not None else 0
    return info, content


def refused(scene: Scene, pattern: str, *, recursive: bool) -> str:
    """Download into `dest`, expect a refusal matching `pattern`; `dest` stays unchanged."""
    before = snapshot(scene.dest)
    with pytest.raises(UnsafeDownloadError) as caught:
        copy_file(scene.target, "get", "/srv/results", scene.dest, recursive=recursive)
    message = str(caught.value)
    assert "\n" not in message
    assert "\x1b" not in message
    assert re.search(pattern, message), message
    assert message.endswith("nothing was changed here")
    assert snapshot(scene.dest) == before
    return message


def to_canary(scene: Scene, depth: int) -> str:
    """The canary's path as written relative to a member `depth` folders below `dest`."""
    return "../" * (depth + 1) + "outside/canary"


# -- a folder (cp -r) -------------------------------------------------------------------------


def test_a_hard_link_out_then_a_file_through_it_is_refused(scene: Scene):
    scene.serve(
        b"d",
        entry(".", tarfile.DIRTYPE),
        entry("./results.csv", tarfile.LNKTYPE, linkname=to_canary(scene, 1)),
        entry("./results.csv"),
    )
    refused(scene, r"'\./results\.csv'.*hard link's target climbs out", recursive=True)


def test_a_hard_link_by_absolute_name_is_refused(scene: Scene):
    scene.serve(b"d", entry("./h", tarfile.LNKTYPE, linkname=str(scene.canary)), entry("./h"))
    refused(scene, r"'\./h'.*hard link's target is absolute", recursive=True)


def test_a_hard_link_must_name_an_earlier_file_of_the_download(scene: Scene):
    scene.serve(
        b"d",
        entry("./l", tarfile.SYMTYPE, linkname="keep.txt"),
        entry("./h", tarfile.LNKTYPE, linkname="./l"),
    )
    refused(scene, r"'\./h'.*not a file that came earlier", recursive=True)


@pytest.mark.parametrize("where", ["absolute", "relative"])
def test_a_symlink_out_is_refused(scene: Scene, where: str):
    target = str(scene.canary) if where == "absolute" else to_canary(scene, 1)
    scene.serve(
        b"d",
        entry("./sub", tarfile.DIRTYPE),
        entry("./sub/report.txt", tarfile.SYMTYPE, linkname=target),
    )
    refused(scene, r"'\./sub/report\.txt'.*leaves the destination", recursive=True)


def test_a_symlink_out_followed_by_a_file_through_it_is_refused(scene: Scene):
    scene.serve(
        b"d",
        entry("./out", tarfile.SYMTYPE, linkname="../../outside"),
        entry("./out/canary"),
    )
    refused(scene, r"'\./out'.*leaves the destination", recursive=True)


def test_a_file_through_a_link_inside_is_refused_too(scene: Scene):
    # `here -> .` is harmless alone; `here/../x` would climb from where `here` leads.
    scene.serve(
        b"d",
        entry("./here", tarfile.SYMTYPE, linkname="."),
        entry("./up", tarfile.SYMTYPE, linkname="here/../outside/canary"),
    )
    refused(scene, r"'\./up'.*'\.\.' after a name", recursive=True)
    scene.serve(b"d", entry("./here", tarfile.SYMTYPE, linkname="."), entry("./here/x"))
    refused(scene, r"'\./here/x'.*written through the link '?here", recursive=True)


@pytest.mark.parametrize(
    "name", ["ABSOLUTE", "../../outside/canary", "./a/../../../outside/canary"]
)
def test_names_outside_the_destination_are_refused(scene: Scene, name: str):
    name = str(scene.canary) if name == "ABSOLUTE" else name
    scene.serve(b"d", entry(name))
    refused(scene, r"its name (is absolute|climbs out with '\.\.')", recursive=True)


@pytest.mark.parametrize(
    ("kind", "called"),
    [
        (tarfile.FIFOTYPE, "a fifo"),
        (tarfile.CHRTYPE, "a character device"),
        (tarfile.BLKTYPE, "a block device"),
    ],
)
def test_devices_and_fifos_are_refused(scene: Scene, kind: bytes, called: str):
    scene.serve(b"d", entry("./fine.txt"), entry("./odd", kind, devmajor=1, devminor=3))
    refused(
        scene, rf"'\./odd'.*{called}: downloads carry only files, folders and links", recursive=True
    )


def test_a_name_that_appears_twice_is_refused(scene: Scene):
    scene.serve(b"d", entry("./l", tarfile.SYMTYPE, linkname="keep.txt"), entry("./l"))
    refused(scene, r"'\./l'.*appears twice", recursive=True)


def test_a_hostile_name_is_shown_escaped(scene: Scene):
    scene.serve(
        b"d", entry("./\x1b[2J\x1b]0;owned\x07\u202eevil", tarfile.SYMTYPE, linkname="/etc/passwd")
    )
    message = refused(scene, r"leaves the destination", recursive=True)
    assert r"\x1b[2J\x1b]0;owned\x07\u202eevil" in message


def test_a_refusal_after_good_members_leaves_an_existing_folder_as_it_was(scene: Scene):
    (scene.dest / "results").mkdir()
    (scene.dest / "results" / "old.txt").write_bytes(b"old\n")
    scene.serve(
        b"d",
        entry(".", tarfile.DIRTYPE),
        entry("./old.txt", data=b"new\n"),
        entry("./new.txt"),
        entry("./bad", tarfile.SYMTYPE, linkname="/"),
    )
    refused(scene, r"'\./bad'", recursive=True)


def test_a_refused_move_never_asks_the_instance_to_delete_the_source(scene: Scene):
    scene.serve(b"d", entry("./x", tarfile.SYMTYPE, linkname="/etc"))
    sessions = scene.sshd.session_count()
    with pytest.raises(UnsafeDownloadError, match="leaves the destination"):
        move_file(scene.target, "get", "/srv/results", scene.dest, recursive=True)
    assert scene.sshd.session_count() == sessions + 1  # the download, and no delete after it


def test_what_is_inside_arrives(scene: Scene):
    """The rules refuse only what leaves: links and hard links inside are kept."""
    scene.serve(
        b"d",
        entry(".", tarfile.DIRTYPE),
        entry("./bin", tarfile.DIRTYPE),
        entry("./lib", tarfile.DIRTYPE),
        entry("./lib/data", data=b"data\n"),
        entry("./bin/data", tarfile.SYMTYPE, linkname="../lib/data"),
        entry("./lib/same", tarfile.LNKTYPE, linkname="./lib/data"),
        entry("./lib/setuid", mode=0o6777),
    )
    copy_file(scene.target, "get", "/srv/results", scene.dest, recursive=True)
    got = scene.dest / "results"
    assert (got / "bin" / "data").read_bytes() == b"data\n"
    assert os.readlink(got / "bin" / "data") == "../lib/data"
    assert (got / "lib" / "same").stat().st_ino == (got / "lib" / "data").stat().st_ino
    assert (got / "lib" / "setuid").stat().st_mode & 0o7777 == 0o755


# -- a single file (cp) -----------------------------------------------------------------------


def test_the_issues_hard_link_attack_on_a_single_file_is_refused(scene: Scene):
    scene.serve(
        b"f",
        entry("results.csv", tarfile.LNKTYPE, linkname=to_canary(scene, 0)),
        entry("results.csv"),
    )
    refused(scene, r"'results\.csv'.*one regular file was asked for", recursive=False)


@pytest.mark.parametrize(
    ("members", "why"),
    [
        ([entry("report.txt", tarfile.SYMTYPE, linkname="/etc/passwd")], "not one"),
        ([entry("ABSOLUTE")], "its name is absolute"),
        ([entry("../outside/canary")], "climbs out"),
        ([entry("p", tarfile.FIFOTYPE)], "not one"),
        ([entry("d", tarfile.CHRTYPE, devmajor=1, devminor=3)], "not one"),
        ([entry("results"), entry("results.2")], "a second member"),
    ],
)
def test_a_single_file_must_be_exactly_one_regular_file(scene: Scene, members, why):
    members = [
        entry(str(scene.canary)) if member.name == "ABSOLUTE" else (member, data)
        for member, data in members
    ]
    scene.serve(b"f", *members)
    refused(scene, why, recursive=False)


def test_a_link_already_at_the_destination_is_replaced_never_written_through(scene: Scene):
    (scene.dest / "results").symlink_to(scene.canary)
    scene.serve(b"f", entry("results", data=b"fresh\n"))
    copy_file(scene.target, "get", "/srv/results", scene.dest)
    assert not (scene.dest / "results").is_symlink()
    assert (scene.dest / "results").read_bytes() == b"fresh\n"


def test_a_linked_folder_already_at_the_destination_is_never_merged_through(scene: Scene):
    (scene.dest / "results").symlink_to(scene.outside)
    scene.serve(b"d", entry(".", tarfile.DIRTYPE), entry("./canary"), entry("./new"))
    before = snapshot(scene.dest)
    with pytest.raises(SSHError, match=r"cannot replace the local link '.*results' with a folder"):
        copy_file(scene.target, "get", "/srv/results", scene.dest, recursive=True)
    assert snapshot(scene.dest) == before


def test_a_linked_subfolder_in_a_merge_is_refused_before_anything_moves(scene: Scene):
    (scene.dest / "results").mkdir()
    (scene.dest / "results" / "a.txt").write_bytes(b"old\n")
    (scene.dest / "results" / "sub").symlink_to(scene.outside)
    scene.serve(
        b"d",
        entry(".", tarfile.DIRTYPE),
        entry("./a.txt", data=b"new\n"),
        entry("./sub", tarfile.DIRTYPE),
        entry("./sub/canary"),
    )
    before = snapshot(scene.dest)
    with pytest.raises(SSHError, match=r"cannot replace the local link '.*sub' with a folder"):
        copy_file(scene.target, "get", "/srv/results", scene.dest, recursive=True)
    assert snapshot(scene.dest) == before
