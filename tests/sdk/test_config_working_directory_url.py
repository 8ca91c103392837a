"""A `.eater` in the working directory (which may come with a cloned repository) cannot
send credentials from elsewhere to a URL of its choosing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gpueater_ext import DEFAULT_URL, load_config


def write(path: Path, document: object) -> None:
    path.write_text(json.dumps(document))
    path.chmod(0o600)


def test_a_working_directory_url_never_gets_the_environments_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(Path.cwd() / ".eater", {"gpueater": {"url": "https://attacker.test"}})
    monkeypatch.setenv("GPUEATER_EMAIL", "me@example.com")
    monkeypatch.setenv("GPUEATER_PASSWORD", "my-real-password")
    assert load_config().url == DEFAULT_URL


def test_a_working_directory_file_still_names_the_url_for_its_own_credentials() -> None:
    profile = {"email": "a@example.com", "password": "p4ssword", "url": "https://local.test"}
    write(Path.cwd() / ".eater", {"gpueater": profile})
    assert load_config().url == "https://local.test"


def test_the_home_file_url_still_applies_to_environment_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(Path.home() / ".eater", {"gpueater": {"url": "https://staging.test"}})
    monkeypatch.setenv("GPUEATER_EMAIL", "me@example.com")
    monkeypatch.setenv("GPUEATER_PASSWORD", "my-real-password")
    assert load_config().url == "https://staging.test"
