"""Config precedence, profiles, file permissions and the atomic writer."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from gpueater_ext import (
    DEFAULT_URL,
    ConfigError,
    InsecureConfigWarning,
    load_config,
    save_config,
)


def write(path: Path, document: object, mode: int = 0o600) -> Path:
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    path.chmod(mode)
    return path


def home() -> Path:
    return Path(os.environ["HOME"])


PAIR = {"email": "home@example.com", "password": "home-pass"}


def test_home_file_default_profile_and_default_url():
    write(home() / ".eater", {"gpueater": PAIR})
    config = load_config()
    assert config.credentials.email == "home@example.com"
    assert config.url == DEFAULT_URL
    assert config.source == str(home() / ".eater")


def test_a_local_eater_wins_over_the_home_one():
    write(home() / ".eater", {"gpueater": PAIR})
    write(Path.cwd() / ".eater", {"gpueater": {"email": "local@example.com", "password": "p"}})
    assert load_config().credentials.email == "local@example.com"


def test_gpueater_config_names_the_file(monkeypatch, tmp_path):
    write(home() / ".eater", {"gpueater": PAIR})
    other = write(tmp_path / "team.json", {"gpueater": {"access_token": "a", "secret_token": "s"}})
    monkeypatch.setenv("GPUEATER_CONFIG", str(other))
    assert load_config().credentials.kind == "token"


def test_a_missing_gpueater_config_file_is_an_error_naming_it(monkeypatch, tmp_path):
    monkeypatch.setenv("GPUEATER_CONFIG", str(tmp_path / "nope.json"))
    with pytest.raises(ConfigError, match=r"nope\.json"):
        load_config()


def test_environment_beats_the_file_and_arguments_beat_the_environment(monkeypatch):
    write(home() / ".eater", {"gpueater": PAIR})
    monkeypatch.setenv("GPUEATER_EMAIL", "env@example.com")
    monkeypatch.setenv("GPUEATER_PASSWORD", "env-pass")
    assert load_config().credentials.email == "env@example.com"
    assert load_config().source == "environment"
    explicit = load_config(access_token="arg-a", secret_token="arg-s")
    assert (explicit.credentials.kind, explicit.source) == ("token", "arguments")


def test_url_precedence_argument_environment_profile_default(monkeypatch):
    write(home() / ".eater", {"gpueater": {**PAIR, "url": "https://profile.test/"}})
    assert load_config().url == "https://profile.test"
    monkeypatch.setenv("GPUEATER_URL", "https://env.test")
    assert load_config().url == "https://env.test"
    assert load_config(url="https://arg.test").url == "https://arg.test"


def test_a_profile_is_another_top_level_key(monkeypatch):
    write(home() / ".eater", {"gpueater": PAIR, "staging": {**PAIR, "email": "s@example.com"}})
    assert load_config(profile="staging").credentials.email == "s@example.com"
    monkeypatch.setenv("GPUEATER_PROFILE", "staging")
    assert load_config().profile == "staging"


def test_a_missing_profile_names_the_file_and_the_profiles_there():
    write(home() / ".eater", {"gpueater": PAIR})
    with pytest.raises(ConfigError, match=r"\.eater.*'prod'.*'gpueater'"):
        load_config(profile="prod")


def test_half_a_pair_is_an_error_naming_what_is_missing(monkeypatch):
    write(home() / ".eater", {"gpueater": {"email": "a@example.com"}})
    with pytest.raises(ConfigError, match="'email' is set but key 'password' is not"):
        load_config()
    monkeypatch.setenv("GPUEATER_ACCESS_TOKEN", "a")
    with pytest.raises(ConfigError, match="GPUEATER_SECRET_TOKEN"):
        load_config()


def test_a_broken_json_file_is_an_error_with_its_line_and_is_left_untouched():
    path = write(home() / ".eater", '{"gpueater": {"email": "a",}}')
    before = path.read_bytes()
    with pytest.raises(ConfigError, match=r"\.eater: not valid JSON \(line 1"):
        load_config()
    with pytest.raises(ConfigError, match="left untouched"):
        save_config(PAIR)
    assert path.read_bytes() == before


def test_no_credentials_anywhere_says_how_to_configure_and_writes_nothing():
    with pytest.raises(ConfigError, match="gpueater configure"):
        load_config()
    assert not (home() / ".eater").exists()


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_a_file_readable_by_others_draws_a_warning(umask):
    old = os.umask(umask)
    try:
        path = home() / ".eater"
        path.write_text(json.dumps({"gpueater": PAIR}))  # created under the umask
    finally:
        os.umask(old)
    with pytest.warns(InsecureConfigWarning, match="chmod 600"):
        load_config()


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_save_config_writes_mode_0600_whatever_the_umask(umask):
    old = os.umask(umask)
    try:
        path = save_config(PAIR)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_config().credentials.email == PAIR["email"]


def test_save_config_keeps_other_profiles_and_leaves_no_temporary_files():
    save_config(PAIR)
    save_config({"access_token": "a", "secret_token": "s"}, profile="ci")
    document = json.loads((home() / ".eater").read_text())
    assert set(document) == {"gpueater", "ci"}
    # Beside the file only the tool's own state folder (its lock files) appears.
    assert sorted(p.name for p in home().iterdir()) == [".eater", ".local"]
    assert [p.parent.name for p in (home() / ".local").rglob("*.lock")] == ["locks"]


def test_save_config_refuses_a_symlink_and_leaves_its_target_alone(tmp_path):
    target = write(tmp_path / "real-eater", {"gpueater": PAIR})
    (home() / ".eater").symlink_to(target)
    before = target.read_bytes()
    with pytest.raises(ConfigError, match="symbolic link"):
        save_config({"email": "x@example.com", "password": "x"})
    assert target.read_bytes() == before
    assert (home() / ".eater").is_symlink()


def test_reading_through_a_symlink_works(tmp_path):
    target = write(tmp_path / "dotfiles-eater", {"gpueater": PAIR})
    (home() / ".eater").symlink_to(target)
    assert load_config().credentials.email == PAIR["email"]


def test_importing_reads_and_writes_nothing(tmp_path):
    broken_home = tmp_path / "import-home"
    broken_home.mkdir()
    (broken_home / ".eater").write_text("not json")
    environment = {**os.environ, "HOME": str(broken_home)}
    subprocess.run(
        [sys.executable, "-c", "import gpueater, gpueater_ext"],
        check=True,
        env=environment,
        cwd=broken_home,
    )
    assert sorted(p.name for p in broken_home.iterdir()) == [".eater"]
    assert (broken_home / ".eater").read_text() == "not json"


@pytest.mark.parametrize("url", ["www.gpueater.com", "ftp://gpueater.test", "https://"])
def test_a_url_that_is_not_http_is_a_config_error(url):
    with pytest.raises(ConfigError, match="not an http"):
        load_config(url=url, email="a@example.com", password="p")


def test_plain_http_to_another_machine_warns_that_credentials_travel_in_the_clear():
    with pytest.warns(InsecureConfigWarning, match="unencrypted"):
        load_config(url="http://gpueater.example", email="a@example.com", password="pw")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for local in ("http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:2"):
            assert load_config(url=local, email="a@example.com", password="pw").url == local
