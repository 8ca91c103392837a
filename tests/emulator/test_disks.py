"""DiskStore: an instance's disk and the copies snapshots and images keep of it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gpueater_emulator.disks import DiskStore


def _tree(folder: Path) -> dict[str, str]:
    found = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            found[name] = "-> " + os.readlink(path)
        elif path.is_file():
            found[name] = path.read_text()
    return found


def test_copies_are_independent_of_the_disk_and_restores_keep_the_folder(tmp_path):
    store = DiskStore(tmp_path / "state")
    disk = store.create("101")
    (disk / "sub").mkdir()
    (disk / "sub" / "a.txt").write_text("v1")
    (disk / "link").symlink_to("sub/a.txt")
    (disk / "script").write_text("#!/bin/sh\n")
    (disk / "script").chmod(0o750)
    store.save_snapshot("101", "s-1")

    (disk / "sub" / "a.txt").write_text("v2")  # a hard link would change the copy too
    (disk / "new.txt").write_text("later")
    inode = disk.stat().st_ino
    store.restore_snapshot("101", "s-1")
    assert _tree(disk) == {"link": "-> sub/a.txt", "script": "#!/bin/sh\n", "sub/a.txt": "v1"}
    assert (disk / "script").stat().st_mode & 0o777 == 0o750
    # The same folder, so a mount of it (an isolated instance's home) sees the restore.
    assert disk.stat().st_ino == inode

    store.save_image("101", "feedface")
    child = store.create("102", "feedface")
    assert _tree(child) == _tree(disk)
    (child / "sub" / "a.txt").write_text("child's")
    assert (disk / "sub" / "a.txt").read_text() == "v1"


def test_terminated_disks_and_deleted_copies_go_away(tmp_path):
    store = DiskStore(tmp_path / "state")
    store.create("101")
    store.create("102")
    store.save_snapshot("101", "s-1")
    store.save_image("101", "feedface")
    store.delete_instance("101")
    assert store.instance_ids() == {"102"}
    store.prune(snapshot_ids=[], fingerprints=["feedface"])
    assert not (tmp_path / "state" / "snapshots" / "s-1").exists()
    assert (tmp_path / "state" / "images" / "feedface").is_dir()


@pytest.mark.parametrize("name", ["..", ".", "a/b", "../x", "", "-rf"])
def test_names_that_are_not_plain_folder_names_are_refused(tmp_path, name):
    with pytest.raises(ValueError, match="not a usable folder name"):
        DiskStore(tmp_path).disk(name)
