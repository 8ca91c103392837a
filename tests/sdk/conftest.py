"""Fixtures of the SDK's unit tests: an isolated HOME and working folder, no GPUEATER_*
variables from the developer's shell, and a respx-mocked service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import respx

import gpueater
from tests.sdk.fakes import BASE_URL, FakeService


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """HOME and the working folder are empty temporary folders; GPUEATER_* are unset."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    for name in [
        "GPUEATER_URL",
        "GPUEATER_CONFIG",
        "GPUEATER_PROFILE",
        "GPUEATER_EMAIL",
        "GPUEATER_PASSWORD",
        "GPUEATER_ACCESS_TOKEN",
        "GPUEATER_SECRET_TOKEN",
    ]:
        monkeypatch.delenv(name, raising=False)
    yield tmp_path
    gpueater.set_client(None)


@pytest.fixture
def service() -> Iterator[FakeService]:
    """A stateful fake of the service's HTTP surface, in respx."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield FakeService(router)
