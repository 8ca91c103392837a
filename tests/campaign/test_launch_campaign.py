"""200 launches through the SDK while the emulator spoils calls with every fault kind.

Each launch must end in exactly one instance carrying its tag (the call returned it), in
an OutcomeUnknownError and at most one new instance carrying the launch tag it names, or in
another GPUEaterError and no new instance at all. At the end the emulator holds exactly the
instances returned or named: no duplicates, no orphans, no foreign exceptions.
"""

from __future__ import annotations

from typing import Any

import pytest

from gpueater_ext import GPUEaterError, Instance, OutcomeUnknownError
from tests.campaign.harness import (
    ALL_KINDS,
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

LAUNCH = "launch_ondemand_instance"
LAUNCHES = 200

# 144 launches spoiled on the launch call itself (each kind 16 times, the delays half
# shorter and half longer than the client's read timeout) ...
_MIX: dict[Step, int] = write_faults(LAUNCH, 16)
# ... 6 session timeouts whose re-login is spoiled too (the launch must fail cleanly) ...
_MIX.update({Step(LAUNCH, "session_timeout", login_kind=k): 3 for k in ("http_503", "html_page")})
# ... 12 on the rename of a tagged launch from its launch tag to the caller's (reconciled;
# an unknown rename names the launch tag the instance still carries) ...
_MIX.update(
    {
        Step("change_instance_tag", k): 3
        for k in ("http_500", "html_page", "drop_before_commit", "drop_after_commit")
    }
)
# ... 29 on the read-back after an accepted, untagged launch (retried, or looked for again) ...
_MIX.update(
    {
        Step("instance_list", k, tagged=False): 4
        for k in ("http_503", "rate_limit_429", "drop_before_commit", "drop_after_commit")
    }
)
_MIX.update(
    {Step("instance_list", k, tagged=False): 3 for k in ("http_500", "html_page", "malformed_json")}
)
_MIX[Step("instance_list", "session_timeout", tagged=False)] = 2
_MIX[Step("instance_list", "delay", tagged=False, seconds=0.8)] = 2
# ... and plain launches.
_MIX[Step(None, None)] = LAUNCHES - sum(_MIX.values())


def _check_launch(
    tally: Tally, step: Step, outcome: Instance | BaseException, new: list[dict[str, Any]]
) -> None:
    if isinstance(outcome, Instance):
        if [i["instance_id"] for i in new] != [outcome.instance_id]:
            tally.broken(step, f"returned {outcome.instance_id}, but new instances are {new}")
    elif isinstance(outcome, OutcomeUnknownError):
        # It may have launched: then its one instance carries the launch tag it names.
        if len(new) > 1 or any(i["tag"] != outcome.tag for i in new):
            tally.broken(step, f"unknown outcome named {outcome.tag!r}, new instances are {new}")
    elif isinstance(outcome, GPUEaterError) and new:
        tally.broken(step, f"raised {type(outcome).__name__} but launched {new}: {outcome}")


@pytest.mark.slow
def test_every_launch_ends_in_one_tagged_instance_or_an_sdk_error_and_none(emulator):
    mix = FaultMix(_MIX)
    assert len(mix.steps) == LAUNCHES
    assert mix.kinds() == set(ALL_KINDS)
    sleep = CampaignSleep()
    tally = Tally("launches")
    succeeded: dict[str, str] = {}  # instance id -> tag
    named: set[str] = set()  # launch tags named by an OutcomeUnknownError
    with campaign_client(emulator, sleep) as eater, Control(emulator) as control:
        arguments = launch_arguments(eater)
        for number, step in enumerate(mix.steps):
            before = control.instances()
            step.queue(control)
            tag: dict[str, Any] = {"tag": f"campaign-{number:03d}"} if step.tagged else {}
            sleep.real = step.outlasts_timeout
            outcome: Instance | BaseException
            try:
                outcome = eater.launch_ondemand_instance(**arguments, **tag)
            except Exception as error:  # counted: only GPUEaterError is allowed
                outcome = error
            sleep.real = False
            control.clear_faults()  # a fault the call never reached must not spoil the next
            tally.record(step, "launched" if isinstance(outcome, Instance) else outcome)
            after = control.instances()
            new = [after[i] for i in after.keys() - before.keys()]
            _check_launch(tally, step, outcome, new)
            if isinstance(outcome, Instance):
                succeeded[outcome.instance_id] = outcome.tag or ""
            elif isinstance(outcome, OutcomeUnknownError) and outcome.tag:
                named.add(outcome.tag)

    final = emulator.state()["instances"]
    tags = [i["tag"] for i in final]
    duplicates = len(tags) - len(set(tags))
    # Every instance was returned by its call, or named by the OutcomeUnknownError it raised.
    unknown = [i for i in final if i["instance_id"] not in succeeded and i["tag"] in named]
    orphans = [i for i in final if i["instance_id"] not in succeeded and i["tag"] not in named]
    SUMMARY.add(
        "launches",
        {
            **tally.as_json(),
            "instances_at_end": len(final),
            "successful_launches": len(succeeded),
            "named_by_unknown_outcome": len(unknown),
            "duplicates": duplicates,
            "orphans": len(orphans),
        },
    )
    assert tally.unexpected == []
    assert len(final) == len(succeeded) + len(unknown)
    assert duplicates == 0
    assert orphans == []
    assert {i["instance_id"]: i["tag"] for i in final if i["tag"] not in named} == succeeded


@pytest.mark.parametrize("kind", ["http_500", "html_page", "malformed_json"])
def test_a_launch_whose_read_back_fails_is_not_lost(emulator, kind):
    sleep = CampaignSleep()
    with campaign_client(emulator, sleep) as eater, Control(emulator) as control:
        arguments = launch_arguments(eater)
        control.add_fault("instance_list", kind)
        try:
            launched: Instance | None = eater.launch_ondemand_instance(**arguments)
        except GPUEaterError:
            launched = None
        instances = control.instances()
    assert len(instances) == 1
    assert launched is not None
    assert launched.instance_id in instances
