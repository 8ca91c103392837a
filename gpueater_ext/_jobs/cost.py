"""What a run costs: the price per hour before launching, and duration x price after.

Issue 21 may bring a shared `_cost` module; until then this is the one place that turns a
price and a time into money, so the run's lines, its JSON and `gpueater job list` agree.

The figures are estimates made here, from the product's hourly price and this machine's
clock: the service's invoice is what is billed (it may round to whole hours or bill a
stopped instance). A subscription launch has no hourly price (None): no cost is claimed.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from gpueater_ext._cost import cost_usd

__all__ = ["RunCost", "duration_words", "price_line"]


def duration_words(seconds: float) -> str:
    """`42.0 s`, `12 min 5 s`, `3 h 4 min`: short enough for one line."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min {secs} s"


def price_line(price_per_hour: float, max_duration: float) -> str:
    """What the user hears before a launch: the price and the most the lease can cost."""
    most = cost_usd(price_per_hour, max_duration)
    return (
        f"price ${price_per_hour:.4f}/h; at most ${most:.2f} for the lease's "
        f"{duration_words(max_duration)} (its maximum duration)"
    )


@dataclasses.dataclass(frozen=True)
class RunCost:
    """A run's (or a job's) time and what it cost at the price per hour."""

    price_per_hour: float
    seconds: float

    @property
    def usd(self) -> float:
        return cost_usd(self.price_per_hour, self.seconds)

    def __str__(self) -> str:
        return f"{duration_words(self.seconds)}, about ${self.usd:.4f}"

    def to_dict(self) -> dict[str, Any]:
        seconds = round(self.seconds, 3)  # the usd is of the seconds shown, to the digit
        return {
            "price_per_hour": self.price_per_hour,
            "seconds": seconds,
            "usd": round(cost_usd(self.price_per_hour, seconds), 6),
            "currency": "USD",
        }
