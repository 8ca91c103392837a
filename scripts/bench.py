#!/usr/bin/env python3
"""How much the SDK costs over raw HTTP, how fast the fleet helper and the CLI are, how the SDK
compares with the published 1.5 client on a real link, and how both scale to 2,000 instances.

Run `make bench` (a table: each figure beside its goal, met or MISSED, then the run's total
time) or `scripts/bench.py --json` (one JSON object with every key of `KEYS`; a skipped row is
null). Every number is measured against emulators (`--no-validate`) this script starts on
loopback itself and stops in every case; accounts are filled through the emulator's control
interface (`POST /_emulator/instances`), not by launches. Issue 11 defined the first rows,
issue 25 the goals and the rest; docs/guides/performance.md shows runs.

- overhead_ratio, sdk_overhead_ms: `GPUEater.instance_list()` (100 instances) against the
  same request made by a bare, reused httpx.Client plus json.loads, in one process, the two
  interleaved call by call, medians; no latency, so the ratio shows the client's own cost.
  `--overhead` runs only this measurement (seconds, not the two minutes of the whole run)
  and prints, beside these two rows, the same medians in this process's CPU time
  (`overhead_cpu_ratio`, `sdk_overhead_cpu_ms`: the emulator's work is not in them, so they
  show the client's own cost with less of the machine's noise); they have no goal.
- connections_per_100_calls: connections the emulator accepted for a fresh client's 100
  sequential calls (its login included), from /_emulator/state.
- ops_per_second: sequential SDK instance_list calls per second (100 instances).
- bulk_speedup: launching then terminating 200 instances one by one against doing it with
  AsyncGPUEater.bulk (concurrency 16), emulator at --latency-ms 20.
- bulk_client_cpu_ms, bulk_emulator_cpu_ms, bulk_requests_per_instance: where that bulk run's
  time goes, per instance launched and terminated: this process's CPU (process_time), the
  emulator process's CPU (/proc/<pid>/stat; skipped where there is no /proc), and the API
  requests the emulator answered (its request counters, the login included). The bulk run
  is bound by latency, not CPU, only while each CPU figure stays below latency x requests /
  concurrency (20 ms x ~2.15 / 16, about 2.7 ms): they say which process to make cheaper.
- cli_help_seconds, cli_instances_json_seconds, python_startup_seconds,
  cli_instances_json_tls_seconds, cli_instances_json_2000_seconds: medians over 10
  interleaved runs (load spikes hit them all) of `gpueater --help`, `gpueater instances -o
  json` (100 instances, http emulator), this interpreter's `python -c pass`, the same
  `instances -o json` through the TLS proxy, and at 2,000 instances.
- cli_instances_json_startup_ratio, cli_help_startup_ratio: those two medians over
  python_startup_seconds, in the same run (the goals are ratios: they hold on any machine).
- cli_floor_startup_ratio (no goal: it says how near the goal can come): the median of
  `python -c "import gpueater_ext, click, httpx, httpcore"`, interleaved with the runs
  above, over python_startup_seconds: the imports any command that sends a request pays
  before a module of its own loads (httpx imports httpcore, with h11 and anyio, when its
  first client is built).
- peer_1_5_ms_per_call, peer_sdk_ms_per_call, sdk_vs_1_5_speedup: the published gpueater
  1.5.0 and the SDK each make 30 sequential instance_list calls (100 instances) through a
  loopback TLS 1.3 proxy that delays every chunk by 10 ms each way and charges a round trip
  per new connection (scripts/bench_proxy.py; scripts/bench_peer.py says how each is timed).
- scale_cli_ratio: cli_instances_json_2000_seconds over cli_instances_json_seconds (2,000
  instances on one emulator, 100 on another, both seeded).
- scale_sdk_kb_per_instance: tracemalloc's peak of one SDK instance_list() at 2,000
  instances, in KB per instance: after a warm-up call (connection, imports, caches) and a
  gc.collect(), tracing starts, one call runs and its result is held, and the peak of traced
  memory (answer bytes, parsed JSON, models, the list) is read before tracing stops.
- bench_seconds: the whole run, set-up included.

`--quick` runs every measurement above (the 1.5 client included, when installable) with
tiny counts, so that a test can check the script end to end in seconds: its numbers mean
nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `scripts.*`, run as a file

import httpx

from gpueater_ext import AsyncGPUEater
from scripts.bench_emulator import (
    EMAIL,
    PASSWORD,
    Emulator,
    client,
    launch_arguments,
    running_emulator,
)
from scripts.bench_peer import PeerSkipped, measure_peer
from scripts.bench_proxy import Proxy, running_proxy

INSTANCE_LIST_PATH = "/console/servers/instance_list"
LOGIN_PATH = "/api_login"
GPUEATER = str(Path(sys.executable).with_name("gpueater"))
KEYS = (
    "overhead_ratio",
    "sdk_overhead_ms",
    "connections_per_100_calls",
    "bulk_speedup",
    "bulk_client_cpu_ms",
    "bulk_emulator_cpu_ms",
    "bulk_requests_per_instance",
    "ops_per_second",
    "python_startup_seconds",
    "cli_help_seconds",
    "cli_help_startup_ratio",
    "cli_instances_json_seconds",
    "cli_instances_json_startup_ratio",
    "cli_floor_startup_ratio",
    "cli_instances_json_tls_seconds",
    "peer_1_5_ms_per_call",
    "peer_sdk_ms_per_call",
    "sdk_vs_1_5_speedup",
    "cli_instances_json_2000_seconds",
    "scale_cli_ratio",
    "scale_sdk_kb_per_instance",
    "bench_seconds",
)


def _at_most(limit: float) -> tuple[str, Callable[[float], bool]]:
    return f"<= {limit:g}", lambda value: value <= limit


def _at_least(limit: float) -> tuple[str, Callable[[float], bool]]:
    return f">= {limit:g}", lambda value: value >= limit


# (goal as text, whether a value meets it): issue 25's goals.
GOALS: dict[str, tuple[str, Callable[[float], bool]]] = {
    "overhead_ratio": _at_most(1.10),
    "connections_per_100_calls": ("1", lambda value: value == 1),
    "bulk_speedup": _at_least(14),
    "cli_help_startup_ratio": _at_most(3),
    "cli_instances_json_startup_ratio": _at_most(5),
    "sdk_vs_1_5_speedup": _at_least(2.5),
    "scale_cli_ratio": _at_most(3),
    "scale_sdk_kb_per_instance": _at_most(50),
    "bench_seconds": ("< 120", lambda value: value < 120),
}


@dataclasses.dataclass(frozen=True)
class Sizes:
    """How much work each measurement does."""

    instances: int = 100  # listed by the overhead, ops, peer and CLI measurements
    overhead_rounds: int = 300  # interleaved pairs of calls
    sequential_calls: int = 100  # connections and ops per second
    fleet: int = 200  # launched and terminated by the bulk measurement
    concurrency: int = 16
    cli_runs: int = 10
    latency_ms: int = 20  # the bulk measurement's emulator
    peer_calls: int = 30  # each client's timed calls through the TLS proxy
    scale_instances: int = 2000


QUICK = Sizes(
    instances=5,
    overhead_rounds=10,
    sequential_calls=10,
    fleet=8,
    cli_runs=1,
    peer_calls=2,
    scale_instances=20,
)


OVERHEAD_KEYS = ("overhead_ratio", "sdk_overhead_ms", "overhead_cpu_ratio", "sdk_overhead_cpu_ms")


def measure_overhead(emulator: Emulator, rounds: int) -> dict[str, float]:
    """Median seconds of the SDK's and the bare client's instance_list, interleaved: wall
    time (the goal's) and this process's CPU time."""
    sdk_times: list[float] = []
    raw_times: list[float] = []
    sdk_cpu: list[float] = []
    raw_cpu: list[float] = []
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
            pair = [(eater.instance_list, sdk_times, sdk_cpu), (raw_call, raw_times, raw_cpu)]
            for call, times, cpu in pair if number % 2 else reversed(pair):
                started, used = time.perf_counter(), time.process_time()
                call()
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - used)
    sdk, raw_median = statistics.median(sdk_times), statistics.median(raw_times)
    sdk_used, raw_used = statistics.median(sdk_cpu), statistics.median(raw_cpu)
    return {
        "overhead_ratio": sdk / raw_median,
        "sdk_overhead_ms": (sdk - raw_median) * 1000,
        "overhead_cpu_ratio": sdk_used / raw_used,
        "sdk_overhead_cpu_ms": (sdk_used - raw_used) * 1000,
    }


def run_overhead(sizes: Sizes, progress: Callable[[str], None]) -> dict[str, float | None]:
    """Only the overhead measurement (`--overhead`), its wall and CPU rows."""
    with (
        tempfile.TemporaryDirectory(prefix="gpueater-bench-") as temporary,
        running_emulator(Path(temporary) / "fast") as fast,
    ):
        progress(f"seeding {sizes.instances} instances")
        fast.seed(sizes.instances)
        progress("SDK against bare httpx, interleaved")
        results = measure_overhead(fast, sizes.overhead_rounds)
    return {key: _rounded(results[key]) for key in OVERHEAD_KEYS}


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
) -> tuple[float, float]:
    """Seconds of wall time and of this process's CPU the launches and terminations took."""
    async with AsyncGPUEater(url, email=EMAIL, password=PASSWORD) as eater:
        await eater.login()

        async def launch(_: int) -> Any:
            return await eater.launch_ondemand_instance(**arguments)

        started, cpu = time.perf_counter(), time.process_time()
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
        return time.perf_counter() - started, time.process_time() - cpu


def _process_cpu_seconds(pid: int) -> float | None:
    """User plus system CPU seconds of a process, from /proc; None where there is none."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the command, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_bulk(emulator: Emulator, sizes: Sizes) -> dict[str, float | None]:
    with client(emulator) as eater:
        arguments = launch_arguments(eater)
    sequential, _ = asyncio.run(_launch_and_terminate(emulator.url, arguments, sizes, False))
    requests_before = sum(emulator.state()["requests"].values())
    emulator_before = _process_cpu_seconds(emulator.process.pid)
    bulk, client_cpu = asyncio.run(_launch_and_terminate(emulator.url, arguments, sizes, True))
    emulator_after = _process_cpu_seconds(emulator.process.pid)
    requests = sum(emulator.state()["requests"].values()) - requests_before
    emulator_cpu = None
    if emulator_before is not None and emulator_after is not None:
        emulator_cpu = (emulator_after - emulator_before) * 1000 / sizes.fleet
    return {
        "bulk_speedup": sequential / bulk,
        "bulk_client_cpu_ms": client_cpu * 1000 / sizes.fleet,
        "bulk_emulator_cpu_ms": emulator_cpu,
        "bulk_requests_per_instance": requests / sizes.fleet,  # the login included
    }


def measure_cli(
    home: Path, runs: int, http: Emulator, tls: Proxy, scale: Emulator
) -> dict[str, float]:
    """Medians of the commands, run in turn so that load spikes hit all of them."""
    base = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "GPUEATER_EMAIL": EMAIL,
        "GPUEATER_PASSWORD": PASSWORD,
    }
    instances = [GPUEATER, "instances", "-o", "json"]
    commands = {
        "cli_help_seconds": ([GPUEATER, "--help"], {"GPUEATER_URL": http.url}),
        "cli_instances_json_seconds": (instances, {"GPUEATER_URL": http.url}),
        "python_startup_seconds": ([sys.executable, "-c", "pass"], {}),
        "cli_floor_seconds": (
            [sys.executable, "-c", "import gpueater_ext, click, httpx, httpcore"],
            {},
        ),
        # httpx's ordinary trust setting, as a user behind a private CA would set it
        "cli_instances_json_tls_seconds": (
            instances,
            {"GPUEATER_URL": tls.url, "SSL_CERT_FILE": str(tls.ca_file)},
        ),
        "cli_instances_json_2000_seconds": (instances, {"GPUEATER_URL": scale.url}),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, environment) in commands.items():
            started = time.perf_counter()
            subprocess.run(  # noqa: S603 - fixed argument lists
                command,
                env={**base, **environment},
                check=True,
                stdout=subprocess.DEVNULL,
                cwd=home,
            )
            times[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(values) for name, values in times.items()}
    startup = medians["python_startup_seconds"]
    return {
        **medians,
        "cli_help_startup_ratio": medians["cli_help_seconds"] / startup,
        "cli_instances_json_startup_ratio": medians["cli_instances_json_seconds"] / startup,
        "cli_floor_startup_ratio": medians["cli_floor_seconds"] / startup,
        "scale_cli_ratio": (
            medians["cli_instances_json_2000_seconds"] / medians["cli_instances_json_seconds"]
        ),
    }


def measure_scale_memory(emulator: Emulator, instances: int) -> dict[str, float]:
    """tracemalloc's peak for one instance_list() of `instances`, per instance, in KB."""
    with client(emulator) as eater:
        eater.instance_list()  # connection, imports and caches are not the call's cost
        gc.collect()
        tracemalloc.start()
        try:
            listed = eater.instance_list()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    if len(listed) != instances:
        raise RuntimeError(f"the scale account lists {len(listed)} instances, not {instances}")
    return {"scale_sdk_kb_per_instance": peak / 1024 / instances}


def run(
    sizes: Sizes, progress: Callable[[str], None], skipped: dict[str, str]
) -> dict[str, float | None]:
    """Every measurement; a row that cannot run here is None, with its reason in `skipped`."""
    started = time.perf_counter()
    results: dict[str, float | None] = {}
    with tempfile.TemporaryDirectory(prefix="gpueater-bench-") as temporary:
        folder = Path(temporary)
        with (
            running_emulator(folder / "fast") as fast,
            running_emulator(folder / "scale") as scale,
            running_proxy(folder / "proxy", fast.url) as proxy,
        ):
            progress(f"seeding {sizes.instances} and {sizes.scale_instances} instances")
            fast.seed(sizes.instances)
            scale.seed(sizes.scale_instances)
            progress("SDK against bare httpx, interleaved")
            results.update(measure_overhead(fast, sizes.overhead_rounds))
            progress("sequential calls: connections and calls per second")
            results.update(measure_sequential(fast, sizes.sequential_calls))
            progress("the published 1.5 client and the SDK through the TLS proxy")
            try:
                results.update(
                    measure_peer(fast, proxy, folder / "peer", sizes.peer_calls, sizes.instances)
                )
            except PeerSkipped as reason:
                for key in ("peer_1_5_ms_per_call", "peer_sdk_ms_per_call", "sdk_vs_1_5_speedup"):
                    results[key] = None
                    skipped[key] = str(reason)
            progress(f"SDK memory for one list of {sizes.scale_instances} instances")
            results.update(measure_scale_memory(scale, sizes.scale_instances))
            progress("command line (http, TLS, at scale) and interpreter start-up")
            (folder / "home").mkdir()
            results.update(measure_cli(folder / "home", sizes.cli_runs, fast, proxy, scale))
        with running_emulator(folder / "slow", "--latency-ms", str(sizes.latency_ms)) as slow:
            progress(f"{sizes.fleet} launches and terminations, one by one then in bulk")
            results.update(measure_bulk(slow, sizes))
            if results["bulk_emulator_cpu_ms"] is None:
                skipped["bulk_emulator_cpu_ms"] = "no /proc to read the emulator's CPU time"
    results["bench_seconds"] = time.perf_counter() - started
    return {key: _rounded(results[key]) for key in KEYS}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def table(
    results: dict[str, float | None], skipped: dict[str, str], keys: tuple[str, ...] = KEYS
) -> str:
    rows = [("measure", "value", "goal", "")]
    for key in keys:
        goal, met = GOALS.get(key, ("", lambda value: True))
        value = results[key]
        if value is None:
            rows.append((key, "skipped", goal, skipped.get(key, "not measured")))
            continue
        verdict = ("met" if met(value) else "MISSED") if goal else ""
        rows.append((key, f"{value:g}", goal, verdict))
    widths = [max(len(row[column]) for row in rows) for column in range(3)] + [0]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quick", action="store_true", help="tiny counts (for tests)")
    parser.add_argument(
        "--overhead", action="store_true", help="only the SDK's overhead over bare httpx"
    )
    options = parser.parse_args()
    # A terminated run still stops its emulators (their `finally` blocks run on SystemExit).
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))

    def progress(text: str) -> None:
        if not options.json:
            print(f"... {text}", file=sys.stderr, flush=True)

    skipped: dict[str, str] = {}
    sizes = QUICK if options.quick else Sizes()
    try:
        if options.overhead:
            results = run_overhead(sizes, progress)
        else:
            results = run(sizes, progress, skipped)
    except RuntimeError as failed:
        sys.exit(f"error: {failed}")
    if options.overhead:
        print(json.dumps(results) if options.json else table(results, {}, OVERHEAD_KEYS))
        return
    if options.json:
        for key, reason in skipped.items():
            print(f"{key}: skipped: {reason}", file=sys.stderr)
        print(json.dumps(results))
    else:
        print(table(results, skipped))
        print(f"total {results['bench_seconds']:.1f} s")


if __name__ == "__main__":
    main()
