"""Terminate, start, stop and port calls under the launch campaign's fault mix.

After every call (its faults cleared, so nothing stale spoils the check) the emulator must
show what the caller was told: the change when the call returned; no change when it raised
any GPUEaterError but OutcomeUnknownError (NotAppliedError, a refusal, a failed login);
anything when it raised OutcomeUnknownError, which says exactly that (counted apart).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from typing import Any

import pytest

from gpueater_ext import GPUEater, GPUEaterError, Instance, OutcomeUnknownError
from tests.campaign.harness import (
    ALL_KINDS,
    CAMPAIGN_SEED,
    SUMMARY,
    CampaignSleep,
    Control,
    FaultMix,
    Step,
    Tally,
    campaign_client,
    launch_arguments,
    write_faults,
)

POOL = 20  # instances; each is terminated under one step of _mix(2) at the end
ROUNDS_PER_FAULT = 10  # start/stop/port calls per entry of the mix
FIRST_PORT = 8000


def _mix(rounds: int) -> dict[Step, int]:
    """Every kind (delays short and past the timeout) and no fault, on a placeholder
    operation that each call fills in."""
    counts = write_faults("?", rounds)
    counts[Step(None, None)] = rounds
    return counts


@dataclasses.dataclass
class Told:
    """What the caller believes about one instance."""

    instance: Instance
    state: str = "RUNNING"
    ports: set[int] = dataclasses.field(default_factory=set)


class WriteCampaign:
    def __init__(
        self, eater: GPUEater, sleep: CampaignSleep, observer: GPUEater, control: Control
    ) -> None:
        self.eater, self.sleep, self.observer, self.control = eater, sleep, observer, control
        self.tally = Tally("writes")
        self.port = self.next_port = FIRST_PORT

    def run(self, step: Step, told: Told, operation: str, check: Callable[[bool], str]) -> None:
        """Call `operation` on `told` under `step`'s fault, then compare with the emulator:
        `check(applied)` answers what is wrong ('' when the emulator agrees)."""
        step = dataclasses.replace(step, operation=operation if step.kind else None)
        step.queue(self.control)
        self.sleep.real = step.outlasts_timeout
        outcome: Any
        try:
            outcome = self._call(operation, told)
        except Exception as error:  # counted: only GPUEaterError is allowed
            outcome = error
        self.sleep.real = False
        self.control.clear_faults()
        self.tally.record(step, "done" if not isinstance(outcome, BaseException) else outcome)
        if isinstance(outcome, OutcomeUnknownError):
            return
        if isinstance(outcome, BaseException) and not isinstance(outcome, GPUEaterError):
            return  # already a broken promise
        applied = not isinstance(outcome, BaseException)
        problem = check(applied)
        if problem:
            told_what = "returned" if applied else f"raised {type(outcome).__name__}"
            self.tally.broken(step, f"{operation} {told_what}, but {problem}")

    def _call(self, operation: str, told: Told) -> Any:
        if operation in ("open_port", "close_port"):
            return getattr(self.eater, operation)(told.instance, port=self.port)
        return getattr(self.eater, operation)(told.instance)

    def state_of(self, told: Told) -> str | None:
        found = self.control.instances().get(told.instance.instance_id)
        return None if found is None else str(found["state"])

    def ports_of(self, told: Told) -> set[int]:
        return {p.port for p in self.observer.port_list(told.instance).port_list}

    def stop_or_start(self, step: Step, told: Told) -> None:
        operation, want, otherwise = (
            ("stop_instance", {"STOPPING", "STOPPED"}, "RUNNING")
            if told.state == "RUNNING"
            else ("start_instance", {"LAUNCHING", "RUNNING"}, "STOPPED")
        )

        def check(applied: bool) -> str:
            state = self.state_of(told)
            if applied and state in want:
                told.state = "STOPPED" if operation == "stop_instance" else "RUNNING"
                return ""
            return "" if not applied and state == otherwise else f"the instance is {state}"

        self.run(step, told, operation, check)

    def open_or_close(self, step: Step, told: Told, rng: random.Random) -> None:
        opening = not told.ports or rng.random() < 0.6
        if opening:
            self.port, self.next_port = self.next_port, self.next_port + 1
        else:
            self.port = rng.choice(sorted(told.ports))

        def check(applied: bool) -> str:
            is_open = self.port in self.ports_of(told)
            expected_open = opening if applied else self.port in told.ports
            if is_open != expected_open:
                return f"port {self.port} is {'open' if is_open else 'closed'}"
            (told.ports.add if is_open else told.ports.discard)(self.port)
            return ""

        self.run(step, told, "open_port" if opening else "close_port", check)

    def terminate(self, step: Step, told: Told) -> None:
        def check(applied: bool) -> str:
            state = self.state_of(told)
            ended = state in (None, "TERMINATING", "TERMINATED")
            return "" if ended == applied else f"the instance is {state or 'gone'}"

        self.run(step, told, "terminate_instance", check)


@pytest.mark.slow
def test_writes_under_faults_end_in_the_state_the_caller_was_told(emulator, tmp_path, monkeypatch):
    # terminate_instance forgets the host key in the user's config folder: keep it here.
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    rng = random.Random(CAMPAIGN_SEED)  # noqa: S311 - a repeatable order, not a secret
    sleep = CampaignSleep()
    with (
        campaign_client(emulator, sleep) as eater,
        campaign_client(emulator, CampaignSleep()) as observer,
        Control(emulator) as control,
    ):
        arguments = launch_arguments(eater)
        fleet = [Told(eater.launch_ondemand_instance(**arguments)) for _ in range(POOL)]
        campaign = WriteCampaign(eater, sleep, observer, control)
        loop = FaultMix(_mix(ROUNDS_PER_FAULT))
        assert loop.kinds() == set(ALL_KINDS)
        assert len(FaultMix(_mix(2)).steps) == POOL
        for number, step in enumerate(loop.steps):
            told = fleet[number % POOL]
            if told.state == "RUNNING" and rng.random() < 0.5:
                campaign.open_or_close(step, told, rng)
            else:
                campaign.stop_or_start(step, told)
        ending = FaultMix(_mix(2), seed=CAMPAIGN_SEED + 1)
        for step, told in zip(ending.steps, fleet, strict=False):
            campaign.terminate(step, told)
    tally = campaign.tally
    SUMMARY.add("writes", {**tally.as_json(), "instances": POOL})
    assert tally.unexpected == []
