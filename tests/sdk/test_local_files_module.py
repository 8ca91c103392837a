"""_local_files on its own: where the locks live, what counts as a stale temporary, and
that 'never over an existing file' holds for files and planted links."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from gpueater_ext._local_files import TEMPORARY_MARK, lock_folder, locked, write_file
from tests.support.local_files import temporaries


def test_locks_live_in_the_tools_state_folder_not_beside_the_file(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    target = tmp_path / "data" / "file"
    target.parent.mkdir()
    write_file(target, b"one")
    assert [p.name for p in target.parent.iterdir()] == ["file"]
    assert lock_folder().is_relative_to(Path(os.environ["HOME"]) / ".local" / "state")
    (lock,) = lock_folder().iterdir()
    assert lock.name.startswith("file-")
    assert stat.S_IMODE(lock_folder().stat().st_mode) == 0o700


def test_a_temporary_is_removed_only_once_nobody_writes_its_target(tmp_path: Path):
    busy = tmp_path / "busy"
    left = tmp_path / f".busy{TEMPORARY_MARK}0123456789ab"
    left.write_bytes(b"half")
    child_ready, parent_done = os.pipe(), os.pipe()
    pid = os.fork()
    if pid == 0:  # another process in the middle of writing `busy`
        with locked(busy):
            os.write(child_ready[1], b"x")
            os.read(parent_done[0], 1)
        os._exit(0)
    os.read(child_ready[0], 1)
    write_file(tmp_path / "other", b"data")  # cleans the folder, but `busy` is at work
    assert left.exists()
    os.write(parent_done[1], b"x")
    os.waitpid(pid, 0)
    write_file(tmp_path / "other", b"data")
    assert temporaries(tmp_path) == []


def test_keep_existing_never_replaces_a_file_or_follows_a_planted_link(tmp_path: Path):
    existing = tmp_path / "key.pem"
    existing.write_bytes(b"mine")
    with pytest.raises(FileExistsError):
        write_file(existing, b"new", keep_existing=True)
    assert existing.read_bytes() == b"mine"
    planted = tmp_path / "planted.pem"
    planted.symlink_to(tmp_path / "elsewhere")  # dangling: following it would create it
    with pytest.raises(FileExistsError):
        write_file(planted, b"new", keep_existing=True)
    assert not (tmp_path / "elsewhere").exists()
    assert temporaries(tmp_path) == []
