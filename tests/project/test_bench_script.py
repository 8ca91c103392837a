"""scripts/bench.py end to end with --quick: the JSON keys the issue lists, and no emulator
left running. Its numbers are not checked: timing is never asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench.py"
KEYS = {
    "overhead_ratio",
    "sdk_overhead_ms",
    "connections_per_100_calls",
    "bulk_speedup",
    "ops_per_second",
    "cli_help_seconds",
    "cli_instances_json_seconds",
    "python_startup_seconds",
}


def _emulators() -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"gpueater_emulator" in command and b"bench@example.com:bench-password" in command:
                found.add(int(entry.name))
    return found


@pytest.mark.slow
def test_bench_json_has_exactly_the_issues_keys_and_stops_its_emulators():
    before = _emulators()
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--json", "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    results = json.loads(completed.stdout)
    assert set(results) == KEYS
    assert all(isinstance(value, int | float) for value in results.values())
    assert _emulators() <= before
