"""scripts/bench_completion.py end to end with one run each: it only succeeds when the warm
TAB, with its emulator already stopped, answered the instance it launched. Its numbers are
not checked: timing is never asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_completion.py"


@pytest.mark.slow
def test_bench_completion_reports_each_number():
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--runs", "1", "--json"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    numbers = json.loads(completed.stdout)
    assert set(numbers) == {
        "tab_miss_seconds",
        "tab_warm_seconds",
        "tab_service_down_seconds",
        "help_seconds",
        "python_startup_seconds",
    }
    assert all(isinstance(value, float) and value > 0 for value in numbers.values())
