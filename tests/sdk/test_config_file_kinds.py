"""A config file that is not a regular file, or is huge, is a ConfigError naming it, raised
before anything is read: a ./.eater symlinked to /dev/zero (git carries symlinks) or a FIFO
must not exhaust memory or hang every command run in that folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gpueater_ext import ConfigError, load_config

PROFILE = {"gpueater": {"email": "a@example.com", "password": "p4ssword"}}


@pytest.fixture
def credentials_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GPUEATER_EMAIL", "env@example.com")
    monkeypatch.setenv("GPUEATER_PASSWORD", "env-password")


def refused(path: Path, what: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config()
    message = str(caught.value)
    assert str(path) in message
    assert what in message
    assert "not read" in message


@pytest.mark.usefixtures("credentials_in_environment")
def test_a_local_eater_linked_to_dev_zero_is_refused_even_with_environment_credentials() -> None:
    local = Path.cwd() / ".eater"
    local.symlink_to("/dev/zero")
    refused(local, "character device")


def test_a_fifo_is_refused_without_waiting_for_a_writer() -> None:
    local = Path.cwd() / ".eater"
    os.mkfifo(local)
    refused(local, "FIFO")  # would block forever in open() or read() before


def test_a_directory_named_by_gpueater_config_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "conf.d"
    folder.mkdir()
    monkeypatch.setenv("GPUEATER_CONFIG", str(folder))
    refused(folder, "directory")


def test_a_home_eater_linked_to_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    home_file = Path.home() / ".eater"
    home_file.symlink_to(fifo)
    refused(home_file, "FIFO")


def test_a_file_over_one_mebibyte_is_refused() -> None:
    home_file = Path.home() / ".eater"
    padding = " " * (1 << 20)
    home_file.write_text(json.dumps(PROFILE) + padding)
    home_file.chmod(0o600)
    refused(home_file, "larger than 1 MiB")


def test_a_file_just_under_the_cap_is_read() -> None:
    home_file = Path.home() / ".eater"
    text = json.dumps(PROFILE)
    home_file.write_text(text + " " * ((1 << 20) - len(text)))
    home_file.chmod(0o600)
    assert load_config().credentials.email == "a@example.com"


def test_a_deeply_nested_file_is_a_config_error_not_a_recursion_error() -> None:
    home_file = Path.home() / ".eater"
    home_file.write_text("[" * 200_000)
    home_file.chmod(0o600)
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_config()
