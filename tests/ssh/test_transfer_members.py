"""What an upload carries, and which remote paths a delete refuses.

What a download may unpack is tested against a hostile sshd in test_hostile_downloads.py.
"""

from __future__ import annotations

import tarfile

import pytest

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh.remote import delete_words
from gpueater_ext._ssh.transfer import _portable_member


def member(name: str, kind: bytes = tarfile.REGTYPE, **fields: object) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    for key, value in fields.items():
        setattr(info, key, value)
    return info


@pytest.mark.parametrize("kind", [tarfile.CHRTYPE, tarfile.BLKTYPE, tarfile.FIFOTYPE])
def test_uploads_carry_no_devices_or_fifos(kind):
    assert _portable_member(member("dev", kind)) is None


def test_uploads_carry_no_local_owner_names():
    sent = _portable_member(member("f", uid=1000, gid=1000, uname="alice", gname="staff"))
    assert sent is not None
    assert (sent.uid, sent.gid, sent.uname, sent.gname) == (0, 0, "", "")


@pytest.mark.parametrize("path", ["/", "//", ".", "..", "a/.", "a/..", "a/./", "/tmp/.."])
def test_deleting_a_folder_by_its_dot_names_or_the_root_is_refused(path):
    with pytest.raises(SSHError, match="refusing to delete"):
        delete_words(path, recursive=True)
