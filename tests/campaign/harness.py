"""What the fault campaign shares: its fixed fault mix, a client wired for it, and its tally.

The campaign drives the SDK through a real emulator process on loopback and spoils calls with
every fault kind the emulator has (README, Emulator section). A `Step` says which operation
is spoiled and how; `FaultMix` lays out a fixed, seeded schedule of steps.

Waiting: the SDK sleeps through its client's `sleep` between retries and between the looks
of a reconciliation. The campaign's `CampaignSleep` skips those sleeps, except around a
`delay` fault that outlasts the client's read timeout: there the emulator really is still
working on the call, so the looks must really be spread out, as they would be in use.
"""

from __future__ import annotations

import collections
import dataclasses
import json
import random
import time
from pathlib import Path
from typing import Any

import httpx

from gpueater_emulator.faults import AFTER_EFFECT, BEFORE_EFFECT
from gpueater_ext import GPUEater, GPUEaterError, OutcomeUnknownError
from tests.support.emulator_process import EmulatorProcess

__all__ = [
    "ALL_KINDS",
    "CAMPAIGN_SEED",
    "READ_TIMEOUT",
    "SLOW_SECONDS",
    "SUMMARY",
    "CampaignSleep",
    "Control",
    "FaultMix",
    "Step",
    "Tally",
    "campaign_client",
    "write_faults",
]

CAMPAIGN_SEED = 20261129
# Every kind the emulator has, from the emulator itself: a kind added later joins the mix.
ALL_KINDS = tuple(sorted(BEFORE_EFFECT | AFTER_EFFECT))
# Short enough that a `delay` fault makes the client give up, long enough that an ordinary
# call on a busy 2-core machine does not (and if it does, the SDK must cope all the same).
READ_TIMEOUT = 0.5
SLOW_SECONDS = 0.8  # a delay the client gives up on; the call still takes effect afterwards
SHORT_DELAY_SECONDS = 0.05  # a delay the client waits out
REAL_SLEEP_CAP = 0.5


@dataclasses.dataclass(frozen=True)
class Step:
    """One spoiled call: `kind` on the next call of `operation` (None: no fault), and, for
    a launch, whether the caller names the tag (which adds a lookup before the launch)."""

    operation: str | None
    kind: str | None
    tagged: bool = True
    seconds: float | None = None
    login_kind: str | None = None  # also spoil the re-login that a session_timeout forces

    @property
    def outlasts_timeout(self) -> bool:
        return self.kind == "delay" and (self.seconds or 0) > READ_TIMEOUT

    @property
    def label(self) -> str:
        if self.kind is None:
            return "no fault"
        name = f"{self.kind} on {self.operation}"
        if self.kind == "delay":
            name += " (past the timeout)" if self.outlasts_timeout else " (short)"
        if self.login_kind:
            name += f", then {self.login_kind} on the re-login"
        return name

    def queue(self, control: Control) -> None:
        if self.kind is None or self.operation is None:
            return
        extra = {"seconds": self.seconds} if self.seconds is not None else {}
        control.add_fault(self.operation, self.kind, **extra)
        if self.login_kind:
            control.add_fault("api_login", self.login_kind)


class FaultMix:
    """A fixed schedule: `counts` maps a Step to how often it occurs; the order is shuffled
    with the campaign's seed, so every run makes the same calls in the same order."""

    def __init__(self, counts: dict[Step, int], seed: int = CAMPAIGN_SEED) -> None:
        self.steps = [step for step, count in counts.items() for _ in range(count)]
        random.Random(seed).shuffle(self.steps)  # noqa: S311 - a repeatable order, not a secret

    def kinds(self) -> set[str]:
        return {step.kind for step in self.steps if step.kind}


def write_faults(operation: str, every: int) -> dict[Step, int]:
    """Every fault kind on `operation`, `every` times each (delays both short and long)."""
    counts: dict[Step, int] = {}
    for kind in ALL_KINDS:
        if kind == "delay":
            counts[Step(operation, kind, seconds=SHORT_DELAY_SECONDS)] = max(1, every // 2)
            counts[Step(operation, kind, seconds=SLOW_SECONDS)] = max(1, every // 2)
        else:
            counts[Step(operation, kind)] = every
    return counts


class CampaignSleep:
    """The client's sleep: skipped, except up to REAL_SLEEP_CAP while `real` is set."""

    def __init__(self) -> None:
        self.real = False
        self.requested = 0.0

    def __call__(self, seconds: float) -> None:
        self.requested += seconds
        if self.real:
            time.sleep(min(seconds, REAL_SLEEP_CAP))


def campaign_client(emulator: EmulatorProcess, sleep: CampaignSleep, **settings: Any) -> GPUEater:
    """A GPUEater on the emulator with the campaign's short read timeout and sleep."""
    credentials = settings or {"email": emulator.email, "password": emulator.password}
    return GPUEater(
        emulator.url,
        **credentials,
        timeout=httpx.Timeout(10.0, read=READ_TIMEOUT),
        sleep=sleep,
    )


class Control:
    """The emulator's control interface over one reused connection: a fresh connection per
    call (as EmulatorProcess makes) costs more than the call being checked. Control calls
    are not counted as client connections."""

    def __init__(self, emulator: EmulatorProcess) -> None:
        self.http = httpx.Client(base_url=emulator.url, timeout=10.0)

    def instances(self) -> dict[str, dict[str, Any]]:
        """The live instances by id."""
        response = self.http.get("/_emulator/state")
        response.raise_for_status()
        return {i["instance_id"]: i for i in response.json()["instances"]}

    def add_fault(self, operation: str, kind: str, **extra: Any) -> None:
        body = {"operation": operation, "kind": kind, "count": 1, **extra}
        self.http.post("/_emulator/faults", json=body).raise_for_status()

    def clear_faults(self) -> None:
        self.http.delete("/_emulator/faults").raise_for_status()

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Control:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class Tally:
    """What happened, by outcome and by fault; `unexpected` lists every broken promise."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.calls = 0
        self.outcomes: collections.Counter[str] = collections.Counter()
        self.by_fault: collections.Counter[str] = collections.Counter()
        self.unexpected: list[str] = []

    def record(self, step: Step, outcome: BaseException | str) -> None:
        self.calls += 1
        self.by_fault[step.label] += 1
        if isinstance(outcome, OutcomeUnknownError):
            self.outcomes["OutcomeUnknownError"] += 1
        elif isinstance(outcome, GPUEaterError):
            self.outcomes[type(outcome).__name__] += 1
        elif isinstance(outcome, BaseException):
            self.outcomes["non-SDK exception"] += 1
            self.unexpected.append(f"{step.label}: {type(outcome).__name__}: {outcome}")
        else:
            self.outcomes[outcome] += 1

    def broken(self, step: Step, what: str) -> None:
        self.unexpected.append(f"{step.label}: {what}")

    def as_json(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "outcomes": dict(sorted(self.outcomes.items())),
            "faults": dict(sorted(self.by_fault.items())),
            "broken_promises": len(self.unexpected),
        }


class Summary:
    """The campaign's counts, printed at the end of the pytest run and saved as JSON."""

    def __init__(self) -> None:
        self.sections: dict[str, dict[str, Any]] = {}
        self.path: Path | None = None

    def add(self, name: str, counts: dict[str, Any]) -> None:
        self.sections[name] = counts
        if self.path is not None:
            self.path.write_text(json.dumps(self.sections, indent=2) + "\n", encoding="utf-8")


SUMMARY = Summary()


def launch_arguments(eater: GPUEater) -> dict[str, Any]:
    catalog = eater.ondemand_list()
    pair = eater.generate_ssh_key()
    key = eater.register_ssh_key(name="campaign", public_key=pair.public_key)
    return {
        "product_id": catalog.get_product("a1.rx580").id,
        "image": catalog.get_image("Ubuntu16.04 x64").alias,
        "ssh_key_id": key.id,
    }
