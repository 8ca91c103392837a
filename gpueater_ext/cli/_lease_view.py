"""How `gpueater instances` shows the leases `gpueater run` gave its instances: the
"EXPIRES IN" column and `-o json`'s `lease` object (the ledger is `gpueater_ext._jobs`')."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gpueater_ext._errors import GPUEaterError
from gpueater_ext._jobs import Lease, format_duration, read_leases, utc_now
from gpueater_ext.cli import _say
from gpueater_ext.cli._output import Column

if TYPE_CHECKING:
    from gpueater_ext import Instance

__all__ = ["expires_in", "expiry_column", "lease_fields"]


def expires_in(lease: Lease, now: datetime.datetime) -> str:
    left = lease.remaining(now)
    if left <= 0:
        return f"expired {format_duration(-left)} ago"
    return format_duration(left)


def _leases_of(instances: Sequence[Instance]) -> list[Lease | None] | None:
    """Each instance's lease (None: not leased), or None when the ledger cannot be read
    (a warning, never a failed listing)."""
    try:
        leases = read_leases()
    except GPUEaterError as error:
        _say.warning(str(error))
        return None
    return [
        next(
            (
                x
                for x in leases
                if instance.service_url is not None
                and x.same_instance(instance.service_url, instance.instance_id)
            ),
            None,
        )
        for instance in instances
    ]


def expiry_column(
    instances: Sequence[Instance], rows: list[dict[str, Any]], columns: Sequence[Column]
) -> Sequence[Column]:
    """For `gpueater instances`: put each leased instance's time left into its row and add
    an "EXPIRES IN" column when any is leased."""
    leases = _leases_of(instances)
    if leases is None or not any(leases):
        return columns
    now = utc_now()
    for lease, row in zip(leases, rows, strict=True):
        if lease is not None:
            row["expires_in"] = expires_in(lease, now)
    return (*columns, Column.field("EXPIRES IN", "expires_in"))


def lease_fields(instances: Sequence[Instance], rows: list[dict[str, Any]]) -> None:
    """For `gpueater instances -o json`: each row's `lease`, as `lease list` shows it plus
    `expires_in_seconds` (negative once expired), or null when `gpueater run` leased none."""
    leases = _leases_of(instances) or [None] * len(rows)
    now = utc_now()
    for lease, row in zip(leases, rows, strict=True):
        row["lease"] = None
        if lease is not None:
            row["lease"] = {**lease.to_dict(), "expires_in_seconds": lease.remaining(now)}
