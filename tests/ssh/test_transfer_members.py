"""What a download may unpack: tarfile's `tar` filter plus files, folders and links only."""

from __future__ import annotations

import tarfile

import pytest

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh_remote import delete_words
from gpueater_ext._ssh_transfer import _kept_member, _portable_member


def member(name: str, kind: bytes = tarfile.REGTYPE, **fields: object) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    for key, value in fields.items():
        setattr(info, key, value)
    return info


@pytest.mark.parametrize("kind", [tarfile.CHRTYPE, tarfile.BLKTYPE, tarfile.FIFOTYPE])
def test_devices_and_fifos_are_skipped(kind, tmp_path):
    assert _kept_member(member("dev", kind), str(tmp_path)) is None
    assert _portable_member(member("dev", kind)) is None


@pytest.mark.parametrize("name", ["../escape", "a/../../escape"])
def test_members_outside_the_destination_are_refused(name, tmp_path):
    with pytest.raises(tarfile.FilterError):
        _kept_member(member(name), str(tmp_path))


def test_setuid_bits_are_dropped_and_absolute_names_made_relative(tmp_path):
    kept = _kept_member(member("/etc/evil", mode=0o6777), str(tmp_path))
    assert kept is not None
    assert kept.name == "etc/evil"
    assert kept.mode == 0o755


def test_links_stay_links(tmp_path):
    link = member("venv/bin/python", tarfile.SYMTYPE, linkname="/usr/bin/python3")
    kept = _kept_member(link, str(tmp_path))
    assert kept is not None
    assert kept.linkname == "/usr/bin/python3"


def test_uploads_carry_no_local_owner_names():
    sent = _portable_member(member("f", uid=1000, gid=1000, uname="alice", gname="staff"))
    assert sent is not None
    assert (sent.uid, sent.gid, sent.uname, sent.gname) == (0, 0, "", "")


@pytest.mark.parametrize("path", ["/", "//", ".", "..", "a/.", "a/..", "a/./", "/tmp/.."])
def test_deleting_a_folder_by_its_dot_names_or_the_root_is_refused(path):
    with pytest.raises(SSHError, match="refusing to delete"):
        delete_words(path, recursive=True)
