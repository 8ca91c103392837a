"""save_config reads the existing file with the read path's checks: a FIFO, a device or a
huge file where ~/.eater should be is refused at once, and nothing is written over it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gpueater_ext import ConfigError, save_config


@pytest.fixture(autouse=True)
def _state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def test_a_fifo_in_place_of_the_file_is_refused_without_hanging(tmp_path: Path) -> None:
    target = tmp_path / ".eater"
    os.mkfifo(target)
    with pytest.raises(ConfigError, match=r"FIFO|not a regular file"):
        save_config({"email": "a@example.com", "password": "p"}, path=target)
    assert target.is_fifo()


def test_a_file_over_the_size_cap_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / ".eater"
    target.write_bytes(b" " * (2 * 1024 * 1024))
    with pytest.raises(ConfigError, match="larger"):
        save_config({"email": "a@example.com", "password": "p"}, path=target)
    assert target.stat().st_size == 2 * 1024 * 1024


def test_a_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    target = tmp_path / ".eater"
    target.symlink_to("/dev/zero")
    with pytest.raises(ConfigError):
        save_config({"email": "a@example.com", "password": "p"}, path=target)
    assert target.is_symlink()
