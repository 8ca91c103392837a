"""Planted secrets never leave the process in anything a user could see or share.

One emulator accepts only a freshly made password and token pair; the session cache holds a
planted, stale session cookie. The run: a refused login, a login through the token pair,
a call on the planted cookie (refused, so the client logs in again), a session timeout (a
second re-login), failing calls, a key pair, and the same through `gpueater --debug`.
Everything is captured at DEBUG (root logger, httpx, httpcore, the SDK), with tracebacks,
and checked together with exception texts, reprs and the command's output. The session
cookies the emulator issued during the run are secrets too, and checked likewise.
"""

from __future__ import annotations

import json
import logging
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpueater_ext import AuthenticationError, GPUEater, GPUEaterError, load_config
from gpueater_ext._session_cache import SessionCache
from tests.campaign.harness import SUMMARY
from tests.support.cli import GPUEATER
from tests.support.emulator_process import EmulatorProcess, start_emulator

EMAIL = f"campaign-{secrets.token_hex(4)}@example.com"
PASSWORD = f"planted-password-{secrets.token_hex(8)}"
WRONG_PASSWORD = f"planted-wrong-password-{secrets.token_hex(8)}"
ACCESS_TOKEN = f"planted-access-{secrets.token_hex(8)}"
SECRET_TOKEN = f"planted-secret-{secrets.token_hex(8)}"
STALE_COOKIE = f"planted-cookie-{secrets.token_hex(8)}"
PLANTED = (PASSWORD, WRONG_PASSWORD, ACCESS_TOKEN, SECRET_TOKEN, STALE_COOKIE)


class _Everything(logging.Handler):
    """Every record, formatted as a handler would write it (tracebacks included)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def captured() -> Iterator[_Everything]:
    handler = _Everything()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


@pytest.fixture
def planted_emulator(tmp_path: Path) -> Iterator[EmulatorProcess]:
    server = start_emulator(
        tmp_path / "emulator",
        email=EMAIL,
        password=PASSWORD,
        access_token=ACCESS_TOKEN,
        secret_token=SECRET_TOKEN,
    )
    try:
        yield server
    finally:
        server.stop()


def _plant_stale_cookie(eater: GPUEater) -> None:
    """Log in (so the cache file has the emulator's real cookie layout), then swap the
    cached value for the planted one, which the emulator never issued."""
    eater.login()
    cache = SessionCache(eater.config)
    document = json.loads(cache.path.read_text(encoding="utf-8"))
    for entry in document["cookies"]:  # beside them, the credentials' salted hash
        entry["value"] = STALE_COOKIE
    cache.path.write_text(json.dumps(document), encoding="utf-8")


def _issued_cookies(eater: GPUEater) -> list[str]:
    return [c.value for c in eater._session.http.cookies.jar if c.value]


def _cli(home: Path, emulator: EmulatorProcess, *args: str, stdin: str = "", **env: str) -> str:
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "GPUEATER_URL": emulator.url,
        **env,
    }
    run = subprocess.run(
        [GPUEATER, "--debug", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        cwd=home,
        timeout=60,
        check=False,
    )
    return f"exit {run.returncode}\n{run.stdout}\n{run.stderr}"


@pytest.mark.slow
def test_planted_secrets_never_show_in_logs_errors_reprs_or_debug_output(
    planted_emulator, captured, tmp_path, monkeypatch
):
    emulator = planted_emulator
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    texts: list[str] = []  # everything a user could read, besides the log
    issued: list[str] = []  # the session cookies the emulator gave out

    def keep(error: BaseException) -> None:
        texts.extend([str(error), repr(error), repr(error.args)])

    with GPUEater(emulator.url, email=EMAIL, password=WRONG_PASSWORD) as refused:
        with pytest.raises(AuthenticationError) as failed_login:
            refused.instance_list()
        keep(failed_login.value)
        texts.append(repr(refused))
    with GPUEater(emulator.url, access_token=ACCESS_TOKEN, secret_token=SECRET_TOKEN) as tokens:
        texts.append(repr(tokens.instance_list()))
        issued += _issued_cookies(tokens)
        texts.extend([repr(tokens), repr(tokens.config), repr(tokens.config.credentials)])
    with GPUEater(emulator.url, email=EMAIL, password=PASSWORD, session_cache=True) as first:
        _plant_stale_cookie(first)
        issued += _issued_cookies(first)
    with GPUEater(emulator.url, email=EMAIL, password=PASSWORD, session_cache=True) as eater:
        texts.append(repr(eater.instance_list()))  # the planted cookie is refused: re-login
        emulator.add_fault("*", "session_timeout")
        texts.append(repr(eater.ondemand_list()))  # and once more
        pair = eater.generate_ssh_key()
        texts.extend([repr(pair), str(pair)])
        for kind in ("http_500", "html_page", "malformed_json"):
            emulator.add_fault("ssh_key_list", kind)
            with pytest.raises(GPUEaterError) as failed_call:
                eater.ssh_key_list()
            keep(failed_call.value)
        issued += _issued_cookies(eater)
        texts.append(repr(eater))
    texts.append(repr(load_config(url=emulator.url, email=EMAIL, password=PASSWORD)))

    shutil.rmtree(home / ".cache")  # so that the command line's first login is refused
    email = {"GPUEATER_EMAIL": EMAIL}
    tokens_env = {"GPUEATER_ACCESS_TOKEN": ACCESS_TOKEN, "GPUEATER_SECRET_TOKEN": SECRET_TOKEN}
    runs = [
        _cli(home, emulator, "instances", GPUEATER_PASSWORD=WRONG_PASSWORD, **email),
        _cli(home, emulator, "instances", GPUEATER_PASSWORD=PASSWORD, **email),
        _cli(home, emulator, "configure", "--email", EMAIL, "--password-stdin", stdin=PASSWORD),
        _cli(home, emulator, "instances", "-o", "json"),  # from the saved profile
    ]
    # The planted cookie again, in the cache entry the command line now uses.
    with GPUEater(emulator.url, email=EMAIL, password=PASSWORD, session_cache=True) as cached:
        _plant_stale_cookie(cached)
    runs.append(_cli(home, emulator, "ssh-keys", "-o", "json"))
    runs.append(_cli(home, emulator, "instances", **tokens_env))
    runs.append(_cli(home, emulator, "instances", GPUEATER_ACCESS_TOKEN=ACCESS_TOKEN))
    assert [run.split("\n", 1)[0] for run in runs] == [
        "exit 1", "exit 0", "exit 0", "exit 0", "exit 0", "exit 0", "exit 2"
    ]  # fmt: skip
    texts.extend(runs)

    everything = "\n".join([*captured.lines, *texts])
    secrets_checked = [*PLANTED, pair.private_key.strip(), *set(issued)]
    leaked = [secret for secret in secrets_checked if secret in everything]
    SUMMARY.add(
        "secrets",
        {
            "log_records": len(captured.lines),
            "texts_checked": len(texts),
            "secrets_checked": len(secrets_checked),
            "leaks": len(leaked),
        },
    )
    # The run must have exercised what it claims: DEBUG headers, a refused login, re-logins.
    assert any(line.startswith("httpcore") and "set-cookie" in line for line in captured.lines)
    assert "refused" in everything
    assert everything.count("logging in again") >= 3  # two in the SDK, one in the CLI
    assert "error: " in everything  # the command line's failed login
    assert len(set(issued)) >= 3
    assert leaked == []
