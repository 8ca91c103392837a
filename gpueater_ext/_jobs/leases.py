"""Leases: how long an instance that `gpueater run` launched (or reused) may live.

A lease is a line in a local ledger: the instance (id and tag), the service (URL) and
profile it belongs to, when it was made, its deadline, its idle timeout and the action at
expiry. `gpueater gc` (by hand, or from the timer `gc --install` sets up) applies the action
to every lease whose deadline has passed; `gpueater lease extend|release|list` change it.

The ledger is one JSON file, `leases.json` in the tool's state folder
(`platformdirs.user_state_dir("gpueater")`), mode 0600. Every change is a read-modify-write
under the file's lock (`_local_files.locked`), written atomically (`write_locked`): two
processes extending at once both land, and a kill at any instant leaves the old ledger or
the new one, never half of one.

Choices written down here because the issue left them open:
- **One lease per instance** (keyed by service URL and instance id). A run that reuses an
  instance (`--name`) renews its lease: the deadline becomes the later of the existing one
  and now + max_duration, so a second run never shortens the first's time; the action
  becomes the newest run's.
- **The action at expiry** is the task's teardown: `down` terminates, `stop` stops. A
  `keep` task means "do not tear down after the job", not "never": its lease *stops* the
  instance at the deadline (reversible: the disk stays and `run --name` starts it again;
  the service may still bill a stopped instance's disk). `lease extend` pushes it back.
- **Idle timeout** (`--idle-timeout`, kept instances): when a `keep` run's job has ended the
  deadline becomes the earlier of the max-duration deadline and now + idle timeout (the
  instance is idle from then on; a later run renews it).
- **The clock** is this machine's UTC clock, both when a deadline is written and when gc
  compares it, so a skew between this machine and the service never shortens or lengthens
  a lease. `GPUEATER_TEST_CLOCK_OFFSET` (seconds, test-only) moves this tool's idea of now
  forward, the way the emulator's `POST /_emulator/clock` moves the service's.
- Durations are written `90m`, `4h`, `1d`, `45s` or `1.5h` (`parse_duration`, shared by
  `--max-duration`, `--idle-timeout`, the task file and `lease extend`).
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from gpueater_ext._errors import GPUEaterError, InvalidArgumentError, NotFoundError

__all__ = [
    "CLOCK_OFFSET",
    "DEFAULT_MAX_DURATION",
    "Action",
    "Lease",
    "LedgerError",
    "action_for",
    "change_lease",
    "change_leases",
    "find_lease",
    "format_duration",
    "ledger_path",
    "parse_duration",
    "read_leases",
    "record_lease",
    "release_lease",
    "utc_now",
]

Action = Literal["terminate", "stop"]
DEFAULT_MAX_DURATION = 4 * 3600.0
CLOCK_OFFSET = "GPUEATER_TEST_CLOCK_OFFSET"  # test-only: seconds added to this tool's now
_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhd])\s*\Z")
_LONGEST = 366 * 86400.0  # a year: anything longer is a typo, not a lease
_VERSION = 1


class LedgerError(GPUEaterError):
    """The lease ledger cannot be read (not JSON, not the ledger's shape): the message
    names the file and how to recover."""


def parse_duration(text: str | float, *, field: str = "duration") -> float:
    """Seconds from `90m`, `4h`, `1d`, `45s` or `1.5h` (or a number of seconds);
    InvalidArgumentError naming `field` for anything else, zero, or more than a year."""
    if isinstance(text, bool):
        seconds = None
    elif isinstance(text, int | float):
        seconds = float(text)
    else:
        match = _DURATION.match(text)
        seconds = float(match[1]) * _UNITS[match[2]] if match else None
    if seconds is None or not (0 < seconds <= _LONGEST):
        raise InvalidArgumentError(
            f"{field}: {text!r} is not a duration: give a number and a unit (s, m, h or d), "
            "like 90m, 4h or 1d, at most a year"
        )
    return seconds


def format_duration(seconds: float) -> str:
    """`2h 5m`, `45m`, `30s`, `3d 4h`: for "expires in" and reports."""
    whole = max(0, int(seconds))
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    if minutes:
        return f"{minutes}m"
    return f"{secs}s"


def utc_now() -> datetime.datetime:
    """This tool's now (see the module docstring: the test-only offset moves it)."""
    now = datetime.datetime.now(datetime.UTC)
    offset = os.environ.get(CLOCK_OFFSET, "")
    try:
        return now + datetime.timedelta(seconds=float(offset)) if offset else now
    except (ValueError, OverflowError):
        return now


def action_for(teardown: str) -> Action:
    """The action at expiry for a task's teardown (`keep` stops: see the docstring)."""
    return "terminate" if teardown == "down" else "stop"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Lease:
    """One instance's lease (see the module docstring). Times are aware UTC datetimes."""

    instance_id: str
    tag: str
    service_url: str
    profile: str | None
    created: datetime.datetime
    deadline: datetime.datetime
    action: Action
    idle_timeout: float | None = None
    job_id: str | None = None  # the detached job whose end also ends it (23b fills it)
    # The run scheduled a shutdown on the instance itself (`--shutdown-on-expiry`), which
    # `lease extend` moves with the deadline (`shutdown_backstop`'s docstring).
    shutdown_backstop: bool = False

    def expired(self, now: datetime.datetime) -> bool:
        return now >= self.deadline

    def remaining(self, now: datetime.datetime) -> float:
        return (self.deadline - now).total_seconds()

    def same_instance(self, service_url: str, instance_id: str) -> bool:
        return self.service_url == service_url and self.instance_id == instance_id

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["created"] = _iso(self.created)
        data["deadline"] = _iso(self.deadline)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Lease:
        fields = {
            "instance_id": str(data["instance_id"]),
            "tag": str(data["tag"]),
            "service_url": str(data["service_url"]),
            "profile": None if data.get("profile") is None else str(data["profile"]),
            "created": _parse_time(data["created"]),
            "deadline": _parse_time(data["deadline"]),
            "action": data["action"],
            "idle_timeout": None
            if data.get("idle_timeout") is None
            else float(data["idle_timeout"]),
            "job_id": None if data.get("job_id") is None else str(data["job_id"]),
            "shutdown_backstop": data.get("shutdown_backstop", False),
        }
        if not isinstance(fields["shutdown_backstop"], bool):
            raise ValueError(f"shutdown_backstop {fields['shutdown_backstop']!r}")
        if fields["action"] not in ("terminate", "stop"):
            raise ValueError(f"action {fields['action']!r}")
        return cls(**fields)


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse_time(text: object) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"time {text!r} has no zone")
    return moment.astimezone(datetime.UTC)


def ledger_path() -> Path:
    import platformdirs

    return platformdirs.user_state_path("gpueater") / "leases.json"


def _decode(path: Path, raw: bytes) -> list[Lease]:
    if not raw.strip():
        return []
    try:
        data = json.loads(raw)
        return [Lease.from_dict(item) for item in data["leases"]]
    except (ValueError, KeyError, TypeError) as error:
        raise LedgerError(
            f"the lease ledger {path} cannot be read ({type(error).__name__}): move it aside "
            "(its instances are then no longer ended by gpueater gc; check "
            "`gpueater instances`)"
        ) from None


def _read(path: Path) -> list[Lease]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as error:
        raise LedgerError(f"the lease ledger {path} cannot be read: {error.strerror}") from None
    return _decode(path, raw)


def read_leases() -> list[Lease]:
    """Every lease in the ledger (none when it does not exist yet)."""
    return _read(ledger_path())


def change_leases(change: Callable[[list[Lease]], list[Lease]]) -> list[Lease]:
    """Replace the ledger with `change(leases)`, under its lock; returns the new list."""
    from gpueater_ext._local_files import locked, write_locked

    path = ledger_path()
    if not path.parent.is_dir():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with locked(path) as real:
        leases = change(_read(real))
        body = {"version": _VERSION, "leases": [lease.to_dict() for lease in leases]}
        write_locked(real, (json.dumps(body, indent=1) + "\n").encode())
    return leases


def change_lease(
    service_url: str, instance_id: str, change: Callable[[Lease], Lease]
) -> Lease | None:
    """Replace the instance's lease with `change(lease)`, under the ledger's lock (`change`
    sees the lease as the ledger holds it then); the new lease, or None when it has none."""
    changed: list[Lease] = []

    def edit(leases: list[Lease]) -> list[Lease]:
        out = []
        for lease in leases:
            if lease.same_instance(service_url, instance_id):
                lease = change(lease)
                changed.append(lease)
            out.append(lease)
        return out

    change_leases(edit)
    return changed[0] if changed else None


def record_lease(
    *,
    instance_id: str,
    tag: str,
    service_url: str,
    profile: str | None,
    max_duration: float,
    action: Action,
    idle_timeout: float | None = None,
    shutdown_backstop: bool = False,
) -> Lease:
    """Make or renew the instance's lease (see the docstring: a renewal never shortens it,
    nor forgets a backstop an earlier run left on the instance)."""
    now = utc_now().replace(microsecond=0)  # the ledger keeps whole seconds
    deadline = now + datetime.timedelta(seconds=max_duration)
    made: list[Lease] = []

    def change(leases: list[Lease]) -> list[Lease]:
        old = next((x for x in leases if x.same_instance(service_url, instance_id)), None)
        lease = Lease(
            instance_id=instance_id,
            tag=tag,
            service_url=service_url,
            profile=profile,
            created=old.created if old is not None else now,
            deadline=max(deadline, old.deadline) if old is not None else deadline,
            action=action,
            idle_timeout=idle_timeout,
            job_id=old.job_id if old is not None else None,
            shutdown_backstop=shutdown_backstop or (old is not None and old.shutdown_backstop),
        )
        made.append(lease)
        rest = [x for x in leases if not x.same_instance(service_url, instance_id)]
        return [*rest, lease]

    change_leases(change)
    return made[0]


def release_lease(service_url: str, instance_id: str) -> bool:
    """Drop the instance's lease; whether there was one."""
    dropped: list[Lease] = []

    def change(leases: list[Lease]) -> list[Lease]:
        dropped.extend(x for x in leases if x.same_instance(service_url, instance_id))
        return [x for x in leases if not x.same_instance(service_url, instance_id)]

    change_leases(change)
    return bool(dropped)


def find_lease(leases: list[Lease], name: str, service_url: str | None = None) -> Lease:
    """The lease of the instance `name` (its id or tag; of `service_url` when given);
    NotFoundError when none matches, InvalidArgumentError when a tag names several."""
    mine = [x for x in leases if service_url is None or x.service_url == service_url]
    by_id = [x for x in mine if x.instance_id == name]
    found = by_id or [x for x in mine if x.tag == name]
    if not found:
        raise NotFoundError(f"no lease for {name!r}: see the leases with `gpueater lease list`")
    if len(found) > 1:
        ids = ", ".join(x.instance_id for x in found)
        raise InvalidArgumentError(f"{name!r} names several leased instances ({ids}): give the id")
    return found[0]
