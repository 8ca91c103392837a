#!/usr/bin/env python3
"""How long a TAB takes: `gpueater ssh w<TAB>` as bash asks it, medians of interleaved runs.

    .venv/bin/python scripts/bench_completion.py [--runs N] [--json]

Against an emulator this script starts on loopback (one instance `web-1`) and stops itself,
in a temporary HOME:

- tab_warm_seconds: the names are in the cache (an ordinary `instances` and `products`
  put them there), the emulator already stopped: no network at all.
- tab_miss_seconds: the cache emptied before each run, the emulator up: one quick fetch.
- tab_service_down_seconds: the cache emptied before each run, the emulator stopped (a
  refused connection; the remembered failure is cleared too, so each run tries).
- help_seconds, python_startup_seconds: `gpueater --help` and `python -c pass`, for scale.

Timing is never asserted by a test; the numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from gpueater_emulator.pytest_plugin import start_emulator

GPUEATER = str(Path(sys.executable).with_name("gpueater"))


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, capture_output=True, check=True, timeout=60)  # noqa: S603
    return time.perf_counter() - started


def _median(runs: int, measure: Callable[[], float], before: Callable[[], None]) -> float:
    samples = []
    for _ in range(runs):
        before()
        samples.append(measure())
    return round(statistics.median(samples), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        home.mkdir()
        emulator = start_emulator(Path(folder) / "emulator")
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(home),
            "GPUEATER_URL": emulator.url,
            "GPUEATER_EMAIL": emulator.email,
            "GPUEATER_PASSWORD": emulator.password or "",
        }
        tab = [GPUEATER]
        tab_env = {
            **env,
            "_GPUEATER_COMPLETE": "bash_complete",
            "COMP_WORDS": "gpueater ssh w",
            "COMP_CWORD": "2",
        }
        cache = home / ".cache" / "gpueater" / "completion"

        def empty_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        def nothing() -> None:
            pass

        try:
            for command in (
                ["ssh-key", "generate", "k", "--register"],
                ["launch", "--product", "a1.rx580", "--image", "Ubuntu16.04 x64",
                 "--ssh-key", "k", "--tag", "web-1"],
            ):  # fmt: skip
                subprocess.run(  # noqa: S603 - fixed argument lists
                    [GPUEATER, *command], env=env, capture_output=True, check=True
                )
            results = {
                "tab_miss_seconds": _median(options.runs, lambda: _timed(tab, tab_env), empty_cache)
            }
            for command in (["instances"], ["products"]):
                subprocess.run(  # noqa: S603 - fixed argument lists
                    [GPUEATER, *command], env=env, capture_output=True, check=True
                )
        finally:
            emulator.stop()
        answer = subprocess.run(  # noqa: S603 - a fixed argument list
            tab, env=tab_env, capture_output=True, text=True, check=True
        )
        if answer.stdout.splitlines() != ["plain,web-1"]:
            raise SystemExit(f"error: the warm TAB answered {answer.stdout!r}, not web-1")
        warm = _median(options.runs, lambda: _timed(tab, tab_env), nothing)
        down = _median(options.runs, lambda: _timed(tab, tab_env), empty_cache)
        results |= {
            "tab_warm_seconds": warm,
            "tab_service_down_seconds": down,
            "help_seconds": _median(
                options.runs, lambda: _timed([GPUEATER, "--help"], env), nothing
            ),
            "python_startup_seconds": _median(
                options.runs, lambda: _timed([sys.executable, "-c", "pass"], env), nothing
            ),
        }
    if options.json:
        print(json.dumps(results))
    else:
        width = max(map(len, results))
        for name, value in results.items():
            print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
