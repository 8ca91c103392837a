"""scripts/bench.py --overhead: only the SDK's overhead over bare httpx, in wall and CPU time,
with no emulator left running. Its numbers are not checked: timing is never asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from scripts.bench import GOALS, OVERHEAD_KEYS, table

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench.py"


def _running_under(folder: Path) -> list[str]:
    marker = str(folder).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if marker in command:
                found.append(entry.name)
    return found


def test_overhead_alone_prints_its_four_rows_and_stops_its_emulator(tmp_path):
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--overhead", "--quick", "--json"],
        env={**os.environ, "TMPDIR": str(tmp_path)},
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    results = json.loads(completed.stdout)
    assert tuple(results) == OVERHEAD_KEYS
    assert all(isinstance(value, float) for value in results.values())
    # A ratio of two medians of positive times; the two ratios measure one pair of calls.
    assert results["overhead_ratio"] > 0
    assert results["overhead_cpu_ratio"] > 0
    assert _running_under(tmp_path) == []


def test_the_overhead_table_shows_only_its_rows_with_the_goal_of_the_ratio():
    results: dict[str, float | None] = dict.fromkeys(OVERHEAD_KEYS, 1.2)
    lines = table(results, {}, OVERHEAD_KEYS).splitlines()
    assert [line.split()[0] for line in lines[1:]] == list(OVERHEAD_KEYS)
    assert lines[1].split()[1:] == ["1.2", "<=", "1.1", "MISSED"]
    assert "overhead_cpu_ratio" not in GOALS  # a diagnostic: the goal is the wall ratio
