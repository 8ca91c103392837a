"""Concurrent launches with one tag, in one process (threads) and across processes, with and
without faults: each call returns a different instance or raises; no two calls return the
same instance; every instance made is returned by exactly one call or named (by its launch
tag) by the OutcomeUnknownError of the call that made it. Checked against the emulator's
own state.
"""

from __future__ import annotations

import concurrent.futures
import json
import subprocess
import sys
from typing import Any

import pytest

from gpueater_ext import GPUEaterError, Instance, OutcomeUnknownError
from tests.campaign.harness import (
    SUMMARY,
    CampaignSleep,
    Control,
    Tally,
    campaign_client,
    launch_arguments,
)

TAG = "fleet"
ROUNDS: list[tuple[str, int, dict[str, Any] | None]] = [
    ("no fault", 8, None),
    ("drop_before_commit", 4, {"kind": "drop_before_commit"}),
    ("drop_after_commit", 4, {"kind": "drop_after_commit"}),
    ("delay past the timeout", 4, {"kind": "delay", "seconds": 0.8}),
    ("http_503", 4, {"kind": "http_503"}),
]
PROCESSES = 6

# One launch in a child process: prints what it got as one JSON line.
_CHILD = """
import json, sys
import httpx
from gpueater_ext import GPUEater, GPUEaterError, OutcomeUnknownError
url, email, password, arguments = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
with GPUEater(url, email=email, password=password, timeout=httpx.Timeout(10.0, read=2.0)) as e:
    try:
        got = e.launch_ondemand_instance(**arguments, tag="fleet")
        print(json.dumps({"instance_id": got.instance_id, "tag": got.tag}))
    except OutcomeUnknownError as error:
        print(json.dumps({"unknown": error.tag}))
    except GPUEaterError as error:
        print(json.dumps({"error": type(error).__name__}))
"""


def _check(tally: Tally, label: str, outcomes: list[dict[str, Any]], live: dict[str, Any]) -> None:
    returned = [o["instance_id"] for o in outcomes if "instance_id" in o]
    named = {o["unknown"] for o in outcomes if o.get("unknown")}
    if len(returned) != len(set(returned)):
        tally.unexpected.append(f"{label}: two calls returned the same instance: {returned}")
    for instance_id, instance in live.items():
        if instance_id not in returned and instance["tag"] not in named:
            tally.unexpected.append(f"{label}: instance {instance} was neither returned nor named")
    for outcome in outcomes:
        if "instance_id" in outcome and live.get(outcome["instance_id"], {}).get("tag") != TAG:
            tally.unexpected.append(f"{label}: returned {outcome} but the emulator shows otherwise")


def _as_outcome(result: Instance | BaseException) -> dict[str, Any]:
    if isinstance(result, Instance):
        return {"instance_id": result.instance_id, "tag": result.tag}
    if isinstance(result, OutcomeUnknownError):
        return {"unknown": result.tag}
    return {"error": type(result).__name__}


@pytest.mark.parametrize(("label", "count", "fault"), ROUNDS, ids=[r[0] for r in ROUNDS])
def test_concurrent_same_tag_launches_in_one_process(emulator, label, count, fault):
    sleep = CampaignSleep()
    sleep.real = True  # the looks must really be spread out while the service is working
    tally = Tally(f"same tag, threads, {label}")
    with campaign_client(emulator, sleep) as eater, Control(emulator) as control:
        arguments = launch_arguments(eater)
        if fault is not None:
            control.add_fault("launch_ondemand_instance", **fault)

        def one(_: int) -> Instance | BaseException:
            try:
                return eater.launch_ondemand_instance(**arguments, tag=TAG)
            except GPUEaterError as error:
                return error

        with concurrent.futures.ThreadPoolExecutor(count) as pool:
            outcomes = [_as_outcome(r) for r in pool.map(one, range(count))]
        control.clear_faults()
        live = control.instances()
    for outcome in outcomes:
        tally.calls += 1
        tally.outcomes[next(iter(outcome)) if "error" not in outcome else outcome["error"]] += 1
    _check(tally, label, outcomes, live)
    SUMMARY.add(tally.name, {**tally.as_json(), "instances_at_end": len(live)})
    assert tally.unexpected == []


def test_concurrent_same_tag_launches_across_processes(emulator):
    tally = Tally("same tag, processes")
    sleep = CampaignSleep()
    with campaign_client(emulator, sleep) as eater, Control(emulator) as control:
        arguments = launch_arguments(eater)
        control.add_fault("launch_ondemand_instance", "drop_before_commit")
        argv = [emulator.url, emulator.email, emulator.password, json.dumps(arguments)]
        children = [
            subprocess.Popen(
                [sys.executable, "-c", _CHILD, *argv], stdout=subprocess.PIPE, text=True
            )
            for _ in range(PROCESSES)
        ]
        outcomes = [json.loads(child.communicate(timeout=120)[0]) for child in children]
        control.clear_faults()
        live = control.instances()
    for outcome in outcomes:
        tally.calls += 1
        tally.outcomes[outcome.get("error") or next(iter(outcome))] += 1
    _check(tally, "processes", outcomes, live)
    SUMMARY.add(tally.name, {**tally.as_json(), "instances_at_end": len(live)})
    assert tally.unexpected == []
    assert sum("instance_id" in o for o in outcomes) >= PROCESSES - 1
