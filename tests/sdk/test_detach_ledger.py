"""The local record of detached jobs (`_jobs.local`): found by name or id, changed under its
lock, private to the user, and a damaged file refused in one line instead of half-read."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gpueater_ext import InvalidArgumentError, NotFoundError
from gpueater_ext._jobs.local import (
    JobRecord,
    find_job,
    jobs_file,
    load_jobs,
    record_job,
    update_job,
)


@pytest.fixture(autouse=True)
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state"


def job(job_id: str, name: str = "train", started: float = 100.0) -> JobRecord:
    return JobRecord(
        name=name, job_id=job_id, instance_id="12", tag=name, service_url="http://x",
        profile="default", key_file=None, started=started, teardown="down", price_per_hour=0.5,
    )  # fmt: skip


def test_a_name_finds_its_newest_job_and_an_id_finds_that_one() -> None:
    record_job(job("run-a", started=100.0))
    record_job(job("run-b", started=200.0))
    assert find_job("train").job_id == "run-b"
    assert find_job("run-a").job_id == "run-a"
    with pytest.raises(NotFoundError, match="gpueater job list"):
        find_job("other")
    assert jobs_file().stat().st_mode & 0o777 == 0o600


def test_an_update_changes_one_record_and_says_when_there_is_none() -> None:
    record_job(job("run-a"))
    record_job(job("run-b"))
    ended = update_job("run-a", state="exited", ended=160.0, exit_code=2)
    assert (ended.state, ended.exit_code, ended.duration) == ("exited", 2, 60.0)
    assert [r.state for r in load_jobs()] == ["exited", "running"]
    with pytest.raises(NotFoundError):
        update_job("run-zzz", state="exited")


# A record as a version before outputs were recorded wrote it.
_RECORD = (
    '[{"name": "x", "job_id": "j", "instance_id": "1", "tag": "x", "service_url": "u",'
    ' "profile": null, "key_file": null, "started": 1, "teardown": "down",'
    ' "state": "running"}]'
)


def test_a_record_written_before_outputs_were_kept_reads_with_none_pending() -> None:
    jobs_file().parent.mkdir(parents=True)
    jobs_file().write_text(_RECORD)
    [record] = load_jobs()
    assert (record.outputs, record.outputs_pending, record.outputs_dir) == ((), False, None)


def test_outputs_survive_the_round_trip_as_a_tuple() -> None:
    record_job(
        dataclasses.replace(job("run-a"), outputs=("results", "m.bin"), outputs_pending=True)
    )
    [record] = load_jobs()
    assert (record.outputs, record.outputs_pending) == (("results", "m.bin"), True)


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        '{"a": 1}',
        '[{"name": "x"}]',
        '[{"name": 5, "job_id": "j"}]',
        '[{"name": "x", "job_id": "j", "instance_id": "1", "tag": "x", "service_url": "u",'
        ' "profile": null, "key_file": null, "started": 1, "teardown": "down",'
        ' "state": "bogus"}]',
        '[{"surprise": true}]',
        _RECORD.replace('"state": "running"', '"state": "running", "outputs": [3]'),
        _RECORD.replace('"state": "running"', '"state": "running", "outputs": "results"'),
    ],
)
def test_a_damaged_record_is_refused_naming_the_file(text: str) -> None:
    jobs_file().parent.mkdir(parents=True)
    jobs_file().write_text(text)
    with pytest.raises(InvalidArgumentError, match="move it aside") as raised:
        load_jobs()
    assert str(jobs_file()) in str(raised.value)
    assert "\n" not in str(raised.value)
