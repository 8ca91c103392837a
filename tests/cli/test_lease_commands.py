"""`gpueater lease list|extend|release`: the real command on a ledger written as `run`
writes it; two extends at once both land."""

from __future__ import annotations

import datetime
import subprocess
from typing import Any

import pytest

from gpueater_ext._jobs.leases import record_lease
from tests.support.cli import GPUEATER, Cli


@pytest.fixture
def leased(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("HOME", str(cli.home))
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    for number in ("11", "12"):
        record_lease(
            instance_id=number,
            tag=f"job-{number}",
            service_url=cli.emulator.url,
            profile=None,
            max_duration=3600,
            action="terminate",
        )
    return cli


def deadline_of(cli: Cli, instance_id: str) -> datetime.datetime:
    found: list[dict[str, Any]] = cli.ok("lease", "list", "-o", "json").json()
    (lease,) = [x for x in found if x["instance_id"] == instance_id]
    return datetime.datetime.fromisoformat(str(lease["deadline"]).replace("Z", "+00:00"))


def test_extend_pushes_the_deadline_back_by_the_duration(leased: Cli):
    before = deadline_of(leased, "11")
    result = leased.ok("lease", "extend", "job-11", "2h")
    assert result.stdout.startswith("lease of job-11 (11) extended: ends in 2h 59m")
    assert deadline_of(leased, "11") - before == datetime.timedelta(hours=2)


def test_an_expired_lease_is_extended_from_now(leased: Cli):
    later = {"GPUEATER_TEST_CLOCK_OFFSET": str(5 * 3600)}
    result = leased.ok("lease", "extend", "11", "30m", env=later)
    assert "ends in 30m" in result.stdout or "ends in 29m" in result.stdout


def test_two_extends_at_once_both_land(leased: Cli):
    before = deadline_of(leased, "12")
    processes = [
        subprocess.Popen(
            [GPUEATER, "lease", "extend", "job-12", "1h"],
            env=leased.env,
            cwd=leased.home,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, stderr
    assert deadline_of(leased, "12") - before == datetime.timedelta(hours=2)
    assert deadline_of(leased, "11") is not None  # the other lease is still there


def test_release_forgets_the_lease_and_says_the_instance_runs_on(leased: Cli):
    result = leased.ok("lease", "release", "job-11")
    assert "released: it runs until you end it (gpueater terminate 11)" in result.stdout
    ids = [x["instance_id"] for x in leased.ok("lease", "list", "-o", "json").json()]
    assert ids == ["12"]


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("lease", "extend", "job-11", "soon"), 2, "error: DURATION: 'soon' is not a duration"),
        (("lease", "extend", "nobody", "1h"), 3, "error: no lease for 'nobody'"),
        (("lease", "release", "nobody"), 3, "error: no lease for 'nobody'"),
    ],
)
def test_mistakes_are_one_error_line(leased: Cli, args: tuple[str, ...], code: int, says: str):
    result = leased(*args)
    assert result.code == code
    assert result.error_line.startswith(says)


def test_a_broken_ledger_is_one_error_and_instances_still_lists(cli: Cli):
    ledger = cli.home / ".local" / "state" / "gpueater" / "leases.json"
    ledger.parent.mkdir(parents=True)
    ledger.write_text("[")
    result = cli("lease", "list")
    assert result.code == 1
    assert "cannot be read" in result.error_line
    listing = cli("instances")
    assert listing.code == 0
    assert ledger.read_text() == "["


def test_instances_json_carries_each_lease_and_null_for_the_others(leased: Cli, launched):
    listed = leased.ok("instances", "-o", "json").json()
    assert [row["lease"] for row in listed] == [None]  # launched by hand: no lease
    plain = launched["instance_id"]
    record_lease(
        instance_id=plain, tag="web-1", service_url=leased.emulator.url, profile=None,
        max_duration=5400, action="stop",
    )  # fmt: skip
    [row] = leased.ok("instances", "-o", "json").json()
    lease = row["lease"]
    assert (lease["instance_id"], lease["action"]) == (plain, "stop")
    assert lease["deadline"] == deadline_of(leased, plain).isoformat().replace("+00:00", "Z")
    assert 5300 < lease["expires_in_seconds"] <= 5400
