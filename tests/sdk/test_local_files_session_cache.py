"""The session cache under parallel writers, and keyed by the credentials: a session cached
with one password is never used with another (issue 17: a wrong GPUEATER_PASSWORD
succeeded while the cached session lived)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest

from gpueater_ext import AuthenticationError, GPUEater
from gpueater_ext._config import Config, Credentials
from gpueater_ext._session_cache import SessionCache
from tests.sdk.fakes import ACCESS_TOKEN, BASE_URL, EMAIL, PASSWORD, SECRET_TOKEN
from tests.support.local_files import assert_private, in_parallel_processes, temporaries

PARALLEL = 20


@pytest.fixture(autouse=True)
def cache_home(monkeypatch) -> Path:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    return Path(os.environ["HOME"])


def test_a_wrong_password_fails_although_a_session_is_cached(service):
    with GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, session_cache=True) as right:
        right.instance_list()
    wrong = GPUEater(BASE_URL, email=EMAIL, password="not-the-password", session_cache=True)
    with wrong, pytest.raises(AuthenticationError):
        wrong.instance_list()
    with GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, session_cache=True) as again:
        again.instance_list()  # the right password's session is still the cached one...
    assert service.logins == 1  # ...as nothing else logged in


def test_a_changed_token_logs_in_anew(service):
    first = GPUEater(BASE_URL, access_token=ACCESS_TOKEN, secret_token=SECRET_TOKEN,
                     session_cache=True)  # fmt: skip
    with first:
        first.instance_list()
    changed = GPUEater(BASE_URL, access_token=ACCESS_TOKEN, secret_token="rotated",
                       session_cache=True)  # fmt: skip
    with changed, pytest.raises(AuthenticationError):
        changed.instance_list()


def test_the_cache_holds_no_secret(service, cache_home: Path):
    with GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, session_cache=True) as client:
        client.instance_list()
    files = [p for p in cache_home.rglob("*") if p.is_file() and "sessions" in p.parts]
    assert sorted(p.name for p in files if p.suffix != ".json") == ["salt"]
    for path in files:
        assert PASSWORD.encode() not in path.read_bytes()
        assert EMAIL.encode() not in path.read_bytes()
    assert_private(files)


def test_twenty_parallel_processes_leave_whole_private_caches(tmp_path: Path):
    folder = tmp_path / "sessions"
    accounts = [
        Config(BASE_URL, Credentials(email=f"user{n}@x", password=f"pw{n}")) for n in range(4)
    ]

    def writer(n: int):
        def write() -> None:
            cookies = httpx.Cookies()
            for m in range(3):
                cookies.set(f"c{m}", f"writer-{n}-{m}-" + "x" * 40, "service.test", "/")
            for _ in range(5):
                SessionCache(accounts[n % 4], folder).save(cookies)

        return write

    in_parallel_processes([writer(n) for n in range(PARALLEL)], tmp_path)
    caches = sorted(folder.glob("*.json"))
    assert len(caches) == 4
    for n, config in enumerate(accounts):
        loaded = httpx.Cookies()
        assert SessionCache(config, folder).load(loaded)
        writers = {str(loaded.get(f"c{m}")).split("-")[1] for m in range(3)}
        assert len(writers) == 1  # one writer's whole set, never a mix
        assert int(writers.pop()) % 4 == n
    for path in caches:
        json.loads(path.read_text())
    assert sorted(p.name for p in folder.iterdir() if p.suffix != ".json") == ["salt"]
    assert temporaries(folder) == []
    assert_private(folder.iterdir())
