"""The lease ledger: private, renewed without shortening, safe against concurrent writers
and kills at any step; the duration parser shared by the options, the task file and
`lease extend`."""

from __future__ import annotations

import datetime
import json
import stat
from pathlib import Path

import pytest

from gpueater_ext._errors import InvalidArgumentError
from gpueater_ext._jobs import leases as _leases
from gpueater_ext._jobs.leases import (
    LedgerError,
    ledger_path,
    parse_duration,
    read_leases,
    record_lease,
    release_lease,
)
from gpueater_ext._jobs.task import Task
from tests.support.local_files import (
    forked_writer,
    in_parallel_processes,
    kill_at_every_step,
    temporaries,
)

URL = "http://127.0.0.1:1"


def lease(instance_id: str = "7", max_duration: float = 3600.0, **extra: object) -> _leases.Lease:
    fields: dict[str, object] = {
        "instance_id": instance_id,
        "tag": f"train-{instance_id}",
        "service_url": URL,
        "profile": None,
        "max_duration": max_duration,
        "action": "terminate",
    }
    return record_lease(**{**fields, **extra})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90m", 5400.0),
        ("4h", 14400.0),
        ("1d", 86400.0),
        ("45s", 45.0),
        ("1.5h", 5400.0),
        (60, 60.0),
    ],
)
def test_durations_are_a_number_and_a_unit(text: str | int, seconds: float):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "4", "h", "-1h", "0m", "4 hours", "2y", "400d", True])
def test_a_bad_duration_names_the_field_and_the_form(text: object):
    with pytest.raises(InvalidArgumentError) as raised:
        parse_duration(text, field="--max-duration")  # type: ignore[arg-type]
    assert str(raised.value).startswith("--max-duration: ")
    assert "like 90m, 4h or 1d" in str(raised.value)


def test_a_task_takes_durations_and_defaults_to_four_hours():
    assert Task(run="x").max_duration == 4 * 3600
    assert Task(run="x", max_duration="90m", idle_timeout="10m").idle_timeout == 600  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match=r"^max_duration: "):
        Task(run="x", max_duration="soon")  # type: ignore[arg-type]


def test_the_ledger_is_private_and_records_everything_a_lease_says():
    made = lease(max_duration=7200.0, idle_timeout=600.0)
    path = ledger_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text())
    (saved,) = data["leases"]
    assert saved["instance_id"] == "7"
    assert saved["tag"] == "train-7"
    assert saved["service_url"] == URL
    assert saved["action"] == "terminate"
    assert saved["idle_timeout"] == 600.0
    assert saved["job_id"] is None
    assert saved["deadline"].endswith("Z")  # UTC, ISO 8601
    deadline = datetime.datetime.fromisoformat(saved["deadline"].replace("Z", "+00:00"))
    created = datetime.datetime.fromisoformat(saved["created"].replace("Z", "+00:00"))
    assert 7199 <= (deadline - created).total_seconds() <= 7201
    assert read_leases() == [made]


def test_a_renewal_never_shortens_the_lease():
    long = lease(max_duration=86400.0)
    renewed = lease(max_duration=60.0, action="stop")
    assert renewed.deadline == long.deadline  # the later of the two
    assert renewed.action == "stop"  # the newest run's teardown
    assert renewed.created == long.created
    longer = lease(max_duration=2 * 86400.0)
    assert longer.deadline > long.deadline
    assert len(read_leases()) == 1  # one lease per instance


def test_release_drops_only_that_instance():
    lease("1")
    lease("2")
    assert release_lease(URL, "1") is True
    assert [x.instance_id for x in read_leases()] == ["2"]
    assert release_lease(URL, "1") is False


def test_the_test_clock_offset_moves_now(monkeypatch: pytest.MonkeyPatch):
    made = lease(max_duration=3600.0)
    assert not made.expired(_leases.utc_now())
    monkeypatch.setenv(_leases.CLOCK_OFFSET, "3601")
    assert made.expired(_leases.utc_now())


def test_a_broken_ledger_is_one_error_naming_the_file():
    path = ledger_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json")
    with pytest.raises(LedgerError) as raised:
        read_leases()
    assert str(path) in str(raised.value)
    assert "move it aside" in str(raised.value)
    with pytest.raises(LedgerError):
        lease()  # never overwritten: its leases would be lost
    assert path.read_text() == "{not json"


def test_concurrent_writers_all_land(tmp_path: Path):
    home = Path.home()
    ids = [str(n) for n in range(8)]
    in_parallel_processes([lambda i=i: lease(i) for i in ids], home)  # type: ignore[misc]
    assert sorted(x.instance_id for x in read_leases()) == sorted(ids)
    assert stat.S_IMODE(ledger_path().stat().st_mode) == 0o600


def test_a_kill_at_any_step_leaves_the_old_ledger_or_the_new_one():
    lease("old")

    def before() -> None:
        release_lease(URL, "new")

    def after_kill(step: int) -> None:
        ids = sorted(x.instance_id for x in read_leases())  # always readable
        assert ids in (["old"], ["new", "old"]), (step, ids)

    killed = kill_at_every_step(
        forked_writer(lambda: lease("new"), Path.home()), after_kill, before=before
    )
    assert killed > 3
    assert sorted(x.instance_id for x in read_leases()) == ["new", "old"]
    assert temporaries(ledger_path().parent) == []
