"""The session cookie stays out of DEBUG logs in a fresh process, where httpcore's loggers
do not exist yet when the SDK installs its redaction (inside pytest some other test has
usually created them already, which hid this)."""

from __future__ import annotations

from pathlib import Path

from tests.support.emulator_process import EmulatorProcess
from tests.support.fresh_python import run_python

_SCRIPT = """
import logging, sys
logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
from gpueater_ext import GPUEater
with GPUEater() as eater:
    eater.instance_list()
"""


def test_a_fresh_process_logging_at_debug_never_shows_the_session_cookie(
    emulator: EmulatorProcess, tmp_path: Path
) -> None:
    run = run_python(_SCRIPT, emulator, tmp_path)
    assert run.returncode == 0, run.stderr
    # Meaningful only if httpcore did log the response headers.
    assert "set-cookie" in run.stderr.lower()
    assert "gpueater_session=" not in run.stderr
    assert emulator.password not in run.stderr
