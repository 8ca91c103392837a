#!/usr/bin/env python3
"""How much the SDK costs over raw HTTP, and how fast the fleet helper and the CLI are.

Run `make bench` (a table) or `scripts/bench.py --json` (one JSON object, for scripts).
Every number is measured against emulators this script starts on loopback itself and stops
in every case (issue 11 defines each number; docs/guides/performance.md shows a run):

- overhead_ratio, sdk_overhead_ms: `GPUEater.instance_list()` (100 instances) against the
  same request made by a bare, reused httpx.Client plus json.loads, in one process, the two
  interleaved call by call, medians; the emulator runs with --no-validate and no latency,
  so the ratio shows the client's own cost.
- connections_per_100_calls: connections the emulator accepted for a fresh client's 100
  sequential calls (its login included), from /_emulator/state.
- ops_per_second: sequential SDK instance_list calls per second (100 instances).
- bulk_speedup: launching then terminating 200 instances one by one against doing it with
  AsyncGPUEater.bulk (concurrency 16), emulator at --latency-ms 20.
- cli_help_seconds, cli_instances_json_seconds, python_startup_seconds: medians over 10
  interleaved runs of `gpueater --help`, `gpueater instances -o json` against the emulator,
  and this interpreter's `python -c pass`.

`--quick` shrinks every count so that a test can check the script end to end in seconds;
its numbers mean nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from gpueater_ext import AsyncGPUEater, GPUEater

EMAIL = "bench@example.com"
PASSWORD = "bench-password"  # noqa: S105 - the throwaway emulator's own account
INSTANCE_LIST_PATH = "/console/servers/instance_list"
LOGIN_PATH = "/api_login"
GPUEATER = str(Path(sys.executable).with_name("gpueater"))
KEYS = (
    "overhead_ratio",
    "sdk_overhead_ms",
    "connections_per_100_calls",
    "bulk_speedup",
    "ops_per_second",
    "cli_help_seconds",
    "cli_instances_json_seconds",
    "python_startup_seconds",
)
# (goal as text, whether the value meets it) for the numbers the issue sets a goal for.
GOALS: dict[str, tuple[str, Callable[[float], bool]]] = {
    "overhead_ratio": ("<= 1.25", lambda value: value <= 1.25),
    "connections_per_100_calls": ("1", lambda value: value == 1),
    "bulk_speedup": (">= 8", lambda value: value >= 8),
}


@dataclasses.dataclass(frozen=True)
class Sizes:
    """How much work each measurement does."""

    instances: int = 100  # listed by the overhead, ops and CLI measurements
    overhead_rounds: int = 300  # interleaved pairs of calls
    sequential_calls: int = 100  # connections and ops per second
    fleet: int = 200  # launched and terminated by the bulk measurement
    concurrency: int = 16
    cli_runs: int = 10
    latency_ms: int = 20  # the bulk measurement's emulator


QUICK = Sizes(instances=5, overhead_rounds=10, sequential_calls=10, fleet=8, cli_runs=2)


class Emulator:
    """`python -m gpueater_emulator` on a free loopback port, stopped by `stop()`."""

    def __init__(self, folder: Path, *options: str) -> None:
        ready = folder / "emulator.url"
        self.log = folder / "emulator.log"
        command = [
            sys.executable, "-m", "gpueater_emulator", "--port", "0",
            "--ready-file", str(ready), "--account", f"{EMAIL}:{PASSWORD}",
            "--no-validate", "--boot-seconds", "0", "--seed", "1", *options,
        ]  # fmt: skip
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - a fixed argument list
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 30
        while not (ready.is_file() and ready.read_text(encoding="utf-8").strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the emulator did not start:\n{self.log.read_text()}")
            time.sleep(0.02)
        self.url = ready.read_text(encoding="utf-8").strip()

    def state(self) -> dict[str, Any]:
        with httpx.Client(base_url=self.url, timeout=30) as control:
            response = control.get("/_emulator/state")
            response.raise_for_status()
            state: dict[str, Any] = response.json()
            return state

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def running_emulator(folder: Path, *options: str) -> Iterator[Emulator]:
    folder.mkdir()
    emulator = Emulator(folder, *options)
    try:
        yield emulator
    finally:
        emulator.stop()


def client(emulator: Emulator) -> GPUEater:
    return GPUEater(emulator.url, email=EMAIL, password=PASSWORD)


def launch_arguments(eater: GPUEater) -> dict[str, Any]:
    catalog = eater.ondemand_list()
    pair = eater.generate_ssh_key()
    key = eater.register_ssh_key(name="bench", public_key=pair.public_key)
    return {
        "product_id": catalog.get_product("a1.rx580").id,
        "image": catalog.get_image("Ubuntu16.04 x64").alias,
        "ssh_key_id": key.id,
    }


def fill(emulator: Emulator, count: int) -> None:
    """Launch `count` instances (one by one: this is set-up, not measured)."""
    with client(emulator) as eater:
        arguments = launch_arguments(eater)
        for _ in range(count):
            eater.launch_ondemand_instance(**arguments)


def measure_overhead(emulator: Emulator, rounds: int) -> dict[str, float]:
    """Median seconds of the SDK's and the bare client's instance_list, interleaved."""
    sdk_times: list[float] = []
    raw_times: list[float] = []
    with client(emulator) as eater, httpx.Client(base_url=emulator.url) as raw:
        login = raw.post(LOGIN_PATH, data={"email": EMAIL, "password": PASSWORD})
        if json.loads(login.content)["error"] is not None:
            raise RuntimeError(f"the bare client's login failed: {login.text}")

        def raw_call() -> object:
            return json.loads(raw.get(INSTANCE_LIST_PATH).content)["data"]

        for _ in range(5):  # warm up both: connections, imports, caches
            eater.instance_list()
            raw_call()
        for number in range(rounds):
            # Alternate which goes first, so neither always follows the other's GC or I/O.
            pair = [(eater.instance_list, sdk_times), (raw_call, raw_times)]
            for call, times in pair if number % 2 else reversed(pair):
                started = time.perf_counter()
                call()
                times.append(time.perf_counter() - started)
    sdk, raw_median = statistics.median(sdk_times), statistics.median(raw_times)
    return {"overhead_ratio": sdk / raw_median, "sdk_overhead_ms": (sdk - raw_median) * 1000}


def measure_sequential(emulator: Emulator, calls: int) -> dict[str, float]:
    """A fresh client's `calls` instance_list calls: connections used and calls per second."""
    before = emulator.state()["connections"]
    with client(emulator) as eater:
        eater.login()
        started = time.perf_counter()
        for _ in range(calls):
            eater.instance_list()
        elapsed = time.perf_counter() - started
    connections = emulator.state()["connections"] - before
    return {
        "connections_per_100_calls": connections,  # `calls` is 100 except with --quick
        "ops_per_second": calls / elapsed,
    }


async def _launch_and_terminate(
    url: str, arguments: dict[str, Any], sizes: Sizes, bulk: bool
) -> float:
    async with AsyncGPUEater(url, email=EMAIL, password=PASSWORD) as eater:
        await eater.login()

        async def launch(_: int) -> Any:
            return await eater.launch_ondemand_instance(**arguments)

        started = time.perf_counter()
        if bulk:
            launched = await eater.bulk(launch, range(sizes.fleet), concurrency=sizes.concurrency)
            failed = [result.error for result in launched if not result.ok]
            instances = [result.value for result in launched if result.ok]
            ended = await eater.bulk(
                eater.terminate_instance, instances, concurrency=sizes.concurrency
            )
            failed += [result.error for result in ended if not result.ok]
            if failed:
                raise RuntimeError(f"{len(failed)} bulk calls failed, the first: {failed[0]!r}")
        else:
            instances = [await launch(number) for number in range(sizes.fleet)]
            for instance in instances:
                await eater.terminate_instance(instance)
        return time.perf_counter() - started


def measure_bulk(emulator: Emulator, sizes: Sizes) -> dict[str, float]:
    with client(emulator) as eater:
        arguments = launch_arguments(eater)
    sequential = asyncio.run(_launch_and_terminate(emulator.url, arguments, sizes, bulk=False))
    bulk = asyncio.run(_launch_and_terminate(emulator.url, arguments, sizes, bulk=True))
    return {"bulk_speedup": sequential / bulk}


def measure_cli(emulator: Emulator, home: Path, runs: int) -> dict[str, float]:
    """Medians of the three commands, run in turn so that load spikes hit all of them."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "GPUEATER_URL": emulator.url,
        "GPUEATER_EMAIL": EMAIL,
        "GPUEATER_PASSWORD": PASSWORD,
    }
    commands = {
        "cli_help_seconds": [GPUEATER, "--help"],
        "cli_instances_json_seconds": [GPUEATER, "instances", "-o", "json"],
        "python_startup_seconds": [sys.executable, "-c", "pass"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(  # noqa: S603 - fixed argument lists
                command, env=environment, check=True, stdout=subprocess.DEVNULL, cwd=home
            )
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def run(sizes: Sizes, progress: Callable[[str], None]) -> dict[str, float]:
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="gpueater-bench-") as temporary:
        folder = Path(temporary)
        with running_emulator(folder / "fast") as fast:
            progress(f"launching {sizes.instances} instances")
            fill(fast, sizes.instances)
            progress("SDK against bare httpx, interleaved")
            results.update(measure_overhead(fast, sizes.overhead_rounds))
            progress("sequential calls: connections and calls per second")
            results.update(measure_sequential(fast, sizes.sequential_calls))
            progress("command line and interpreter start-up")
            (folder / "home").mkdir()
            results.update(measure_cli(fast, folder / "home", sizes.cli_runs))
        with running_emulator(folder / "slow", "--latency-ms", str(sizes.latency_ms)) as slow:
            progress(f"{sizes.fleet} launches and terminations, one by one then in bulk")
            results.update(measure_bulk(slow, sizes))
    return {key: round(results[key], 4) for key in KEYS}


def table(results: dict[str, float]) -> str:
    rows = [("measure", "value", "goal", "")]
    for key in KEYS:
        goal, met = GOALS.get(key, ("", lambda value: True))
        verdict = ("met" if met(results[key]) else "MISSED") if goal else ""
        rows.append((key, f"{results[key]:g}", goal, verdict))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quick", action="store_true", help="tiny counts (for tests)")
    options = parser.parse_args()
    # A terminated run still stops its emulators (their `finally` blocks run on SystemExit).
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))

    def progress(text: str) -> None:
        if not options.json:
            print(f"... {text}", file=sys.stderr, flush=True)

    results = run(QUICK if options.quick else Sizes(), progress)
    print(json.dumps(results) if options.json else table(results))


if __name__ == "__main__":
    main()
