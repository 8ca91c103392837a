"""Faults a test asks for: which operation misbehaves, how, and how many more times.

Each kind acts at a fixed moment of the call, so a test knows whether the call's effect
was applied: the BEFORE_EFFECT kinds refuse the call untouched, the AFTER_EFFECT kinds
apply it and then spoil the answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["AFTER_EFFECT", "BEFORE_EFFECT", "Fault", "FaultQueue", "FaultSpecError"]

BEFORE_EFFECT = frozenset(
    {"http_500", "http_503", "rate_limit_429", "delay", "session_timeout", "drop_before_commit"}
)
AFTER_EFFECT = frozenset({"drop_after_commit", "html_page", "malformed_json"})
ANY_OPERATION = "*"
# Logging in is how clients recover from faults; a wildcard fault must not block recovery.
_ONLY_WHEN_NAMED = frozenset({"api_login"})
_DEFAULT_DELAY_SECONDS = 1.0


class FaultSpecError(ValueError):
    """A fault request the control interface cannot accept."""


@dataclass
class Fault:
    operation: str
    kind: str
    count: int
    seconds: float | None = None

    @property
    def before_effect(self) -> bool:
        return self.kind in BEFORE_EFFECT

    def matches(self, operation_id: str) -> bool:
        if self.operation == ANY_OPERATION:
            return operation_id not in _ONLY_WHEN_NAMED
        return self.operation == operation_id

    def as_json(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "operation": self.operation,
            "kind": self.kind,
            "count": self.count,
        }
        if self.seconds is not None:
            described["seconds"] = self.seconds
        return described


def _parse(raw: Any, known_operations: frozenset[str]) -> Fault:
    if not isinstance(raw, dict):
        raise FaultSpecError("a fault is a JSON object")
    operation, kind = raw.get("operation"), raw.get("kind")
    if operation != ANY_OPERATION and operation not in known_operations:
        raise FaultSpecError(f"operation: {operation!r} is not an operationId of the spec or *")
    if kind not in BEFORE_EFFECT | AFTER_EFFECT:
        known = ", ".join(sorted(BEFORE_EFFECT | AFTER_EFFECT))
        raise FaultSpecError(f"kind: {kind!r} is not one of {known}")
    count = raw.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise FaultSpecError("count: must be an integer of at least 1")
    seconds = raw.get("seconds")
    if kind == "delay":
        seconds = _DEFAULT_DELAY_SECONDS if seconds is None else seconds
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise FaultSpecError("seconds: must be a number")
        if not math.isfinite(seconds) or seconds < 0:
            raise FaultSpecError("seconds: must be a finite number of at least 0")
        seconds = float(seconds)
    elif seconds is not None:
        raise FaultSpecError(f"seconds: only a delay takes seconds, not {kind}")
    return Fault(operation=str(operation), kind=str(kind), count=count, seconds=seconds)


class FaultQueue:
    """Faults in the order they were added; the first one matching a call is spent on it."""

    def __init__(self, known_operations: frozenset[str]) -> None:
        self._known_operations = known_operations
        self._faults: list[Fault] = []

    def add(self, raw: Any) -> Fault:
        fault = _parse(raw, self._known_operations)
        self._faults.append(fault)
        return fault

    def clear(self) -> None:
        self._faults.clear()

    def take(self, operation_id: str, *, before_effect: bool) -> Fault | None:
        """Spend the first fault matching the call, if it acts at this moment.

        A call asks twice: before its effect, then (only if it got that far and spent
        nothing yet) after it. An after-effect fault is therefore not wasted on a call
        refused earlier, for example by the session check.
        """
        fault = next((fault for fault in self._faults if fault.matches(operation_id)), None)
        if fault is None or fault.before_effect != before_effect:
            return None
        fault.count -= 1
        if fault.count == 0:
            self._faults.remove(fault)
        return Fault(fault.operation, fault.kind, 1, fault.seconds)

    def as_json(self) -> list[dict[str, Any]]:
        return [fault.as_json() for fault in self._faults]
