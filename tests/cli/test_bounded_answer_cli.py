"""An answer past a bound is one `error:` line from the real CLI, not a traceback or an
out-of-memory kill."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import Cli

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
def endless_service() -> Iterator[str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.sdk.hostile_answers", "serve", "endless"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPOSITORY,
    )
    try:
        assert server.stdout is not None
        yield server.stdout.readline().strip()
    finally:
        server.kill()
        server.wait()
        if server.stdout is not None:
            server.stdout.close()


def test_an_endless_answer_is_one_error_line(cli: Cli, endless_service: str) -> None:
    run = cli("instances", env={"GPUEATER_URL": endless_service})
    assert run.code == 1
    assert run.error_line.startswith("error: instance_list: the service's answer is larger than")
    assert run.stdout == ""
