"""Turning the service's JSON payloads into the public models, checking every field.

The generated attrs models do not check types (their `from_dict` only pops keys, and inside
nullable unions a malformed item comes back as a raw dict), so the public models are plain
frozen dataclasses validated here from their own type hints. A payload that breaks the
spec raises APIError naming the operation and the field, never a KeyError or TypeError.

Fields the service sends that a model does not declare are kept in the model's `extra`
mapping, so a field added to the service later is not lost on the way to plain dicts.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Self, TypeVar, Union

from gpueater_ext._errors import APIError

__all__ = ["Decoder", "Model", "decode_none", "list_of", "model"]

T = TypeVar("T")
M = TypeVar("M", bound="Model")

# A decoder turns the envelope's `data` into the operation's result (or raises APIError).
Decoder = Callable[[Any, str], T]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Model:
    """Base of the public models: `from_payload` validates, `to_dict` gives plain data back.

    `extra` holds the fields the service sent that the model does not declare.
    """

    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_payload(cls, payload: Any, *, operation: str, where: str = "data") -> Self:
        """Build the model from a JSON object; raise APIError when it breaks the spec."""
        if not isinstance(payload, Mapping):
            raise _malformed(operation, where, f"expected an object, got {_kind(payload)}")
        hints = _hints(cls)
        values: dict[str, Any] = {}
        for field in dataclasses.fields(cls):
            if field.name == "extra":
                continue
            if field.name in payload:
                values[field.name] = _coerce(
                    payload[field.name], hints[field.name], operation, f"{where}.{field.name}"
                )
            elif _is_required(field):
                raise _malformed(operation, where, f"the required field {field.name!r} is missing")
        known = set(values) | {f.name for f in dataclasses.fields(cls)}
        extra = {key: value for key, value in payload.items() if key not in known}
        return cls(**values, extra=extra)

    def to_dict(self) -> dict[str, Any]:
        """The model as plain JSON-style data (what the 1.5 library returned)."""
        plain: dict[str, Any] = {
            field.name: _plain(getattr(self, field.name))
            for field in dataclasses.fields(self)
            if field.name != "extra"
        }
        for key, value in self.extra.items():
            plain.setdefault(key, value)
        return plain


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def model(cls: type[M]) -> Decoder[M]:
    """The decoder for an operation whose `data` is one object."""

    def decode(data: Any, operation: str) -> M:
        return cls.from_payload(data, operation=operation)

    return decode


def list_of(cls: type[M]) -> Decoder[list[M]]:
    """The decoder for an operation whose `data` is a list of objects."""

    def decode(data: Any, operation: str) -> list[M]:
        if not isinstance(data, list):
            raise _malformed(operation, "data", f"expected a list, got {_kind(data)}")
        return [
            cls.from_payload(item, operation=operation, where=f"data[{index}]")
            for index, item in enumerate(data)
        ]

    return decode


def decode_none(data: Any, operation: str) -> None:
    """The decoder for an operation that answers `{"data": null}` on success."""
    if data is not None:
        raise _malformed(operation, "data", f"expected null, got {_kind(data)}")


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    # Resolved once per model: get_type_hints evaluates the string annotations.
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _is_required(field: dataclasses.Field[Any]) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


def _coerce(value: Any, hint: Any, operation: str, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        (inner,) = [option for option in options if option is not type(None)]
        return _coerce(value, inner, operation, where)
    if origin is list:
        if not isinstance(value, list):
            raise _malformed(operation, where, f"expected a list, got {_kind(value)}")
        (item_hint,) = typing.get_args(hint)
        return [
            _coerce(item, item_hint, operation, f"{where}[{index}]")
            for index, item in enumerate(value)
        ]
    if origin is dict:
        if not isinstance(value, Mapping):
            raise _malformed(operation, where, f"expected an object, got {_kind(value)}")
        _, value_hint = typing.get_args(hint)
        return {
            str(key): _coerce(item, value_hint, operation, f"{where}.{key}")
            for key, item in value.items()
        }
    if hint is Any:
        return value
    if isinstance(hint, type) and issubclass(hint, Model):
        return hint.from_payload(value, operation=operation, where=where)
    return _scalar(value, hint, operation, where)


def _scalar(value: Any, hint: Any, operation: str, where: str) -> Any:
    # bool is an int subclass in Python; JSON keeps them apart, and so do we.
    if hint is bool and isinstance(value, bool):
        return value
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint is str and isinstance(value, str):
        return value
    name = getattr(hint, "__name__", str(hint))
    raise _malformed(operation, where, f"expected {name}, got {_kind(value)}")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def _malformed(operation: str, where: str, problem: str) -> APIError:
    return APIError(
        f"{operation}: the service's answer breaks the API contract at {where}: {problem}",
        operation=operation,
    )
