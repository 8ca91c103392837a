"""terminate_instance forgets the instance's host key through a `Blocking` effect (in the
async client, a worker thread) only when known_hosts may record it; the class: a cheap
check that skips a forget which had something to do (tests/ssh has the check's own cases).
"""

from __future__ import annotations

from typing import Any

import pytest

from gpueater_ext._models import Instance, from_service
from gpueater_ext._plans.compute import terminate_instance
from gpueater_ext._plans.effects import Blocking, Call, Effect
from gpueater_ext._plans.ssh import forget_host_key_quietly
from gpueater_ext._ssh import known_hosts_file
from gpueater_ext._ssh.target import host_key_alias

SERVICE = "http://127.0.0.1:8765"


@pytest.fixture(autouse=True)
def _config_under_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)  # known_hosts under the test's HOME


def _effects_after_the_answer() -> tuple[list[Effect], Any]:
    """The effects terminate_instance yields once the service answered, and its result."""
    plan = terminate_instance(instance_id="7")
    first = next(plan)
    assert isinstance(first, Call)
    assert first.operation == "terminate_instance"
    answer = Instance(
        instance_id="7", machine_resource_id="8", connection_id="9", tag="t", state="TERMINATING"
    )
    from_service(answer, SERVICE)
    effects: list[Effect] = []
    try:
        effects.append(plan.send(answer))
        while True:
            effects.append(plan.send(None))
    except StopIteration as stop:
        return effects, stop.value


def test_no_thread_when_no_key_can_be_recorded():
    assert not known_hosts_file().exists()
    effects, terminated = _effects_after_the_answer()
    assert effects == []
    assert terminated.instance_id == "7"


def test_a_recorded_key_is_still_forgotten():
    path = known_hosts_file()
    path.parent.mkdir(parents=True)
    path.write_text(f"{host_key_alias('7', SERVICE)} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIQ\n")
    effects, _ = _effects_after_the_answer()
    assert effects == [Blocking(forget_host_key_quietly, ("7", SERVICE), {})]
