"""Fixtures of the compatibility suite: the published 1.5 clients against a real emulator.

- `published_python` (function): runs a snippet with the published Python client
  (`gpueater==1.5.0` in `.venv-compat/`) in a fresh process with a HOME, working folder and
  TMPDIR of its own, `~/.eater` holding the emulator's demo account, and `GPUEATER_URL`
  pointing at the emulator.
- `probe` (function): the emulator's own answers through a separate session, to check each
  effect a published client claims (the control interface's state covers instances and
  request counts; keys, ports, images and volumes are read back through the API itself).
The Node half's fixtures live in test_node_client.py's module, next to its only users.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.compat.clients import ClientHome, ClientRun, Probe, run_client
from tests.compat.installs import install_python_client
from tests.support.emulator_process import EmulatorProcess

# Defines `emit(value)` (the snippet's answer, as JSON in a file of its own, since the
# published client prints to stdout) and imports the published client.
_PYTHON_PRELUDE = """\
import json as _json, os as _os
def emit(value):
    with open(_os.environ["COMPAT_RESULT"], "w") as _result:
        _json.dump(value, _result)
import gpueater
"""


class PublishedPython:
    def __init__(self, python: Path, folders: ClientHome, url: str) -> None:
        self.python = python
        self.folders = folders
        self.url = url

    def run(self, code: str) -> ClientRun:
        # -I: no user site, no PYTHON* variables, no current folder on sys.path.
        return run_client(
            [str(self.python), "-I", "-c", _PYTHON_PRELUDE + code], self.folders, self.url
        )


@pytest.fixture(scope="session")
def published_python_interpreter() -> Path:
    return install_python_client()


@pytest.fixture
def published_python(
    published_python_interpreter: Path, emulator: EmulatorProcess, tmp_path: Path
) -> PublishedPython:
    return PublishedPython(
        published_python_interpreter, ClientHome.create(tmp_path, emulator), emulator.url
    )


@pytest.fixture
def probe(emulator: EmulatorProcess) -> Iterator[Probe]:
    checker = Probe(emulator)
    try:
        yield checker
    finally:
        checker.http.close()
