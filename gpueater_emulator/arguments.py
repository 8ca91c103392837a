"""A request's fields as handlers read them.

Validation against the spec normally refuses a bad request before a handler runs; these
accessors repeat the essential checks so that `--no-validate` still answers an error
envelope rather than crashing.
"""

from __future__ import annotations

from typing import Any

from .errors import ApiError

__all__ = ["Arguments"]


class Arguments:
    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def __contains__(self, name: object) -> bool:
        # Given at all: an empty form field counts as given (and then fails its own check).
        return name in self._values

    def text(self, name: str) -> str:
        value = self._values.get(name)
        if value is None or value == "":
            raise ApiError(f"{name}: is required", "invalid_request", name)
        return str(value)

    def optional_text(self, name: str, default: str = "") -> str:
        value = self._values.get(name)
        return default if value is None else str(value)

    def integer(self, name: str, minimum: int, maximum: int | None = None) -> int:
        value = self._values.get(name)
        if value is None:
            raise ApiError(f"{name}: is required", "invalid_request", name)
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or number < minimum or (maximum is not None and number > maximum):
            bound = f"between {minimum} and {maximum}" if maximum else f"of at least {minimum}"
            raise ApiError(f"{name}: must be an integer {bound}", "invalid_request", name)
        return number
