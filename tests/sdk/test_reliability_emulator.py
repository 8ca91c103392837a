"""Writes under every fault the emulator can inject: a launch makes exactly one instance or
raises a clear error with none, and terminate, start, stop, tag (instance and snapshot) and
port changes end in the
state the caller was told. Reads are retried through transient faults.

Sleeps are real but cut short: under a delay fault just long enough for the delayed request
to land while its write is read back, otherwise next to nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gpueater_ext import (
    APIError,
    GPUEater,
    Instance,
    NotAppliedError,
    OutcomeUnknownError,
)

FAULT_KINDS = [
    "http_500",
    "http_503",
    "rate_limit_429",
    "delay",
    "session_timeout",
    "drop_before_commit",
    "drop_after_commit",
    "html_page",
    "malformed_json",
]
DELAY_SECONDS = 0.6  # longer than the client's read timeout below: the answer is lost
READ_TIMEOUT = 0.3
PUBLIC_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAy4QnOnSq135qnqhSICI0I1BheCXBMSoCHkcaOT9XsQ reliability"
)


@pytest.fixture
def eater(emulator: Any, kind: str) -> Iterator[GPUEater]:
    """A client for a test parametrized by fault `kind`."""
    pause_cap = 0.4 if kind == "delay" else 0.01

    def short_sleep(seconds: float) -> None:
        time.sleep(min(seconds, pause_cap))

    with GPUEater(
        emulator.url,
        email=emulator.email,
        password=emulator.password,
        timeout=httpx.Timeout(READ_TIMEOUT, connect=5.0),
        sleep=short_sleep,
    ) as client:
        yield client


def let_delayed_requests_land(kind: str) -> None:
    if kind == "delay":
        time.sleep(DELAY_SECONDS)


def add_fault(emulator: Any, operation: str, kind: str) -> None:
    extra = {"seconds": DELAY_SECONDS} if kind == "delay" else {}
    emulator.add_fault(operation, kind, **extra)


def launch(eater: GPUEater, tag: str | None = None) -> Instance:
    catalog = eater.ondemand_list()
    # A fixed public key: generating an RSA pair can take longer than READ_TIMEOUT.
    key = catalog.find_ssh_key("reliability") or eater.register_ssh_key(
        name="reliability", public_key=PUBLIC_KEY
    )
    return eater.launch_ondemand_instance(
        product_id=catalog.get_product("a1.rx580").id,
        image=catalog.get_image("Ubuntu16.04 x64").alias,
        ssh_key_id=key.id,
        tag=tag,
    )


def live(emulator: Any) -> list[dict[str, Any]]:
    instances: list[dict[str, Any]] = emulator.state()["instances"]
    return instances


def settled_state(emulator: Any, instance_id: str, kind: str) -> str | None:
    """The instance's state once any delayed request has landed (None when it is gone)."""
    let_delayed_requests_land(kind)
    found = [i for i in live(emulator) if i["instance_id"] == instance_id]
    return found[0]["state"] if found else None


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_a_launch_makes_exactly_one_instance_or_raises_with_none(emulator, eater, kind):
    launch(eater, tag="warm-up")  # catalog, key and session in place before the fault
    add_fault(emulator, "launch_ondemand_instance", kind)
    launched: Instance | None = None
    told: NotAppliedError | OutcomeUnknownError | None = None
    try:
        launched = launch(eater, tag="under-fault")
    except (NotAppliedError, OutcomeUnknownError) as error:
        told = error
    let_delayed_requests_land(kind)
    tagged = [i["instance_id"] for i in live(emulator) if i["tag"] == "under-fault"]
    if isinstance(told, NotAppliedError):
        assert "nothing changed" in str(told)
        assert len(live(emulator)) == 1  # the warm-up only
    elif isinstance(told, OutcomeUnknownError):
        # Whatever it made carries the launch tag the error names, and nothing else is new.
        assert tagged == []
        new = [i["tag"] for i in live(emulator) if i["tag"] != "warm-up"]
        assert set(new) <= {told.tag}
    else:
        assert launched is not None
        assert tagged == [launched.instance_id]
    # Never resent; only the login redirect (refused before any effect) is repeated.
    expected_calls = 3 if kind == "session_timeout" else 2
    assert emulator.state()["requests"]["launch_ondemand_instance"] == expected_calls


@pytest.mark.parametrize("kind", ["drop_after_commit"])
def test_a_launch_whose_answer_is_lost_after_the_effect_returns_that_instance(
    emulator, eater, kind
):
    launch(eater, tag="warm-up")
    add_fault(emulator, "launch_ondemand_instance", kind)
    launched = launch(eater)  # with a generated tag
    assert [i["instance_id"] for i in live(emulator) if i["tag"] == launched.tag] == [
        launched.instance_id
    ]


# operation -> (the state before it, the states that say it took effect, that it did not);
# None is "gone from instance_list".
INSTANCE_ACTIONS: dict[str, tuple[str, set[str | None], set[str | None]]] = {
    "terminate_instance": ("RUNNING", {None}, {"RUNNING"}),
    "stop_instance": ("RUNNING", {"STOPPING", "STOPPED"}, {"RUNNING"}),
    "start_instance": ("STOPPED", {"LAUNCHING", "RUNNING"}, {"STOPPED"}),
}


@pytest.mark.parametrize("kind", FAULT_KINDS)
@pytest.mark.parametrize("operation", sorted(INSTANCE_ACTIONS))
def test_an_instance_action_ends_in_the_state_the_caller_was_told(emulator, eater, operation, kind):
    before, applied, not_applied = INSTANCE_ACTIONS[operation]
    box = launch(eater, tag="target")
    eater.wait_for_instance(box, poll=0)
    if before == "STOPPED":
        eater.stop_instance(box)
        eater.wait_for_instance(box, "STOPPED", poll=0)
    add_fault(emulator, operation, kind)
    try:
        result = getattr(eater, operation)(box)
    except NotAppliedError:
        assert settled_state(emulator, box.instance_id, kind) in not_applied
    except OutcomeUnknownError:  # may or may not: either is true, nothing else
        assert settled_state(emulator, box.instance_id, kind) in applied | not_applied
    else:
        assert result.instance_id == box.instance_id
        assert settled_state(emulator, box.instance_id, kind) in applied


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_a_tag_change_ends_as_the_caller_was_told(emulator, eater, kind):
    box = launch(eater, tag="before")
    add_fault(emulator, "change_instance_tag", kind)
    try:
        result = eater.change_instance_tag(box, tag="after")
    except NotAppliedError:
        expected = "before"
    except OutcomeUnknownError:
        let_delayed_requests_land(kind)
        [tag] = [i["tag"] for i in live(emulator) if i["instance_id"] == box.instance_id]
        assert tag in {"before", "after"}
        return
    else:
        assert result.tag == "after"
        expected = "after"
    let_delayed_requests_land(kind)
    assert [i["tag"] for i in live(emulator) if i["instance_id"] == box.instance_id] == [expected]


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_a_snapshot_tag_change_ends_as_the_caller_was_told(emulator, eater, kind):
    box = launch(eater, tag="snapshotted")
    taken = eater.snapshot_instance(box, tag="before")
    add_fault(emulator, "change_snapshot_tag", kind)
    try:
        assert eater.change_snapshot_tag(taken, tag="after") is None
    except NotAppliedError:
        expected = "before"
    except OutcomeUnknownError:  # may or may not: either is true, nothing else
        let_delayed_requests_land(kind)
        [tag] = [s["tag"] for s in emulator.state()["snapshots"]]
        assert tag in {"before", "after"}
        return
    else:
        expected = "after"
    let_delayed_requests_land(kind)
    assert [s["tag"] for s in emulator.state()["snapshots"]] == [expected]


@pytest.mark.parametrize("kind", FAULT_KINDS)
@pytest.mark.parametrize("operation", ["open_port", "close_port"])
def test_a_port_change_ends_as_the_caller_was_told(emulator, eater, operation, kind):
    box = launch(eater, tag="ports")
    if operation == "close_port":
        eater.open_port(box, port=8888)
    add_fault(emulator, operation, kind)
    try:
        result = getattr(eater, operation)(box, port=8888)
    except NotAppliedError:
        should_be_open = operation == "close_port"
    except OutcomeUnknownError:  # either is true
        return
    else:
        should_be_open = operation == "open_port"
        assert (8888 in [p.port for p in result.port_list]) == should_be_open
    let_delayed_requests_land(kind)
    ports = [p.port for p in eater.port_list(box).port_list]
    assert (8888 in ports) == should_be_open


NOT_RETRIED = {"http_500", "html_page", "malformed_json"}  # not transient: said at once


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_a_read_is_retried_through_a_transient_fault(emulator, eater, kind):
    launch(eater, tag="listed")
    add_fault(emulator, "instance_list", kind)
    before = emulator.state()["requests"]["instance_list"]
    if kind in NOT_RETRIED:
        with pytest.raises(APIError):
            eater.instance_list()
        assert emulator.state()["requests"]["instance_list"] == before + 1
    else:
        assert [i.tag for i in eater.instance_list()] == ["listed"]


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_a_write_without_a_read_back_says_its_outcome_is_unknown(emulator, eater, kind):
    box = launch(eater, tag="net")
    add_fault(emulator, "renew_ipv4", kind)
    if kind == "session_timeout":  # refused before any effect: logged in again, repeated
        eater.renew_ipv4(box)
        return
    if kind == "rate_limit_429":  # turned away unprocessed: provably not applied
        with pytest.raises(NotAppliedError, match="safe to call it again"):
            eater.renew_ipv4(box)
        return
    with pytest.raises(OutcomeUnknownError, match=r"network_description\(instance_id"):
        eater.renew_ipv4(box)
