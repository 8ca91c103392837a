"""The service's way of failing: HTTP 200 with an error envelope."""

from __future__ import annotations

from typing import Any

__all__ = ["ApiError", "envelope", "error_envelope", "invalid_state", "not_found"]


class ApiError(Exception):
    """A refusal the service answers as `{"data": null, "error": {...}}`.

    `code` is one of: invalid_request, invalid_credentials, not_found, invalid_state,
    out_of_stock, product_limited, duplicate, incompatible, out_of_capacity (no room for
    another instance: its address pool, or in `--sshd` mode its SSH capacity, is full).
    """

    def __init__(self, message: str, code: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field

    def as_error_object(self) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.field is not None:
            error["field"] = self.field
        return error


def envelope(data: Any) -> dict[str, Any]:
    return {"data": data, "error": None}


def error_envelope(error: ApiError) -> dict[str, Any]:
    return {"data": None, "error": error.as_error_object()}


def not_found(field: str, what: str, value: str) -> ApiError:
    return ApiError(f"{field}: no {what} {value!r}", "not_found", field)


def invalid_state(field: str, message: str) -> ApiError:
    return ApiError(f"{field}: {message}", "invalid_state", field)
