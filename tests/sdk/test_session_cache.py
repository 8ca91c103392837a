"""The optional session cache: the next process reuses the session instead of logging in."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from gpueater_ext import AuthenticationError, GPUEater
from tests.sdk.fakes import BASE_URL, EMAIL, PASSWORD


@pytest.fixture(autouse=True)
def cache_home(monkeypatch) -> Path:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    return Path(os.environ["HOME"])


def cached_client() -> GPUEater:
    return GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, session_cache=True)


def cache_files() -> list[Path]:
    return [p for p in Path(os.environ["HOME"]).rglob("*.json") if "gpueater" in str(p)]


def test_a_second_client_reuses_the_cached_session(service):
    with cached_client() as first:
        first.instance_list()
    with cached_client() as second:
        second.instance_list()
    assert service.logins == 1
    (cache,) = cache_files()
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.parent.stat().st_mode) == 0o700
    assert EMAIL not in cache.name


def test_an_expired_cached_session_just_logs_in_again(service):
    with cached_client() as first:
        first.instance_list()
    service.expire_session()
    with cached_client() as second:
        assert second.instance_list() == []
    assert service.logins == 2


def test_a_cache_readable_by_others_is_not_trusted(service):
    with cached_client() as first:
        first.instance_list()
    (cache,) = cache_files()
    cache.chmod(0o644)
    with cached_client() as second:
        second.instance_list()
    assert service.logins == 2


def test_without_the_option_nothing_is_cached(service):
    with GPUEater(BASE_URL, email=EMAIL, password=PASSWORD) as eater:
        eater.instance_list()
    assert cache_files() == []


def test_a_prefetched_fingerprint_serves_only_the_credentials_it_was_made_from(service):
    """The command line starts the cache's scrypt early (`prefetch_fingerprint`): it must
    reuse the session for the same credentials, and never let another password ride on it."""
    from gpueater_ext import _session_cache
    from gpueater_ext._config import Config, Credentials

    with cached_client() as first:
        first.instance_list()
    right = Config(BASE_URL, Credentials(email=EMAIL, password=PASSWORD))
    _session_cache.prefetch_fingerprint(right)
    with cached_client() as second:
        second.instance_list()
    assert service.logins == 1  # the prefetched check found the session

    _session_cache.prefetch_fingerprint(right)  # made for the right password...
    other = GPUEater(BASE_URL, email=EMAIL, password="another", session_cache=True)
    # ...checked with another: not the cached session but a login, which this one fails
    with other, pytest.raises(AuthenticationError, match="wrong email or password"):
        other.instance_list()
