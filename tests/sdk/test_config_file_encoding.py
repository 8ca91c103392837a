"""A config file with a byte order mark is read; one that is not UTF-8 is a ConfigError
(never a raw UnicodeDecodeError), for reading and for save_config alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gpueater_ext import ConfigError, load_config, save_config

PROFILE = {"email": "a@example.com", "password": "p4ssword"}


def write(data: bytes) -> Path:
    path = Path.home() / ".eater"
    path.write_bytes(data)
    path.chmod(0o600)
    return path


def test_a_file_saved_with_a_byte_order_mark_is_read() -> None:
    write(b"\xef\xbb\xbf" + json.dumps({"gpueater": PROFILE}).encode())
    assert load_config().credentials.email == "a@example.com"


def test_a_file_that_is_not_utf8_is_a_config_error() -> None:
    path = write(b"\xff\xfe{}")
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config()
    with pytest.raises(ConfigError, match="left untouched"):
        save_config(PROFILE)
    assert path.read_bytes() == b"\xff\xfe{}"
