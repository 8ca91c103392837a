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
import functools
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
        try:
            return _build(cls, payload)
        except _Mismatch as mismatch:
            raise _malformed(operation, where + mismatch.path, mismatch.problem) from None

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

    # (whole list in C loops, record by record), made at the first decode
    converters: list[_Converter] = []

    def decode(data: Any, operation: str) -> list[M]:
        if not converters:
            from gpueater_ext._decode_shapes import exact_records

            converters.append(functools.partial(exact_records, cls, _layout(cls)))
            # the model's builder itself, not `_nested`'s extra call per record
            converters.append(_list_converter(_builder(cls)))
        exact, by_record = converters
        built: list[M] | None = exact(data)
        if built is not None:
            return built
        try:
            return by_record(data)  # type: ignore[no-any-return]
        except _Mismatch as mismatch:
            raise _malformed(operation, "data" + mismatch.path, mismatch.problem) from None

    return decode


def decode_none(data: Any, operation: str) -> None:
    """The decoder for an operation that answers `{"data": null}` on success."""
    if data is not None:
        raise _malformed(operation, "data", f"expected null, got {_kind(data)}")


class _Mismatch(Exception):
    """A value that breaks its type. `path` (like `.ports[2].port`) grows as the error
    leaves each container, so a payload that is fine costs no path strings at all."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.path = ""

    def within(self, step: str) -> _Mismatch:
        self.path = step + self.path
        return self


# A converter checks one JSON value against a type hint and answers the Python value, or
# raises _Mismatch.
_Converter = Callable[[Any], Any]


@dataclasses.dataclass(frozen=True)
class _Layout:
    """A model's fields as `_walk` and `_decode_shapes` check them: (name, types taken as they
    are, converter, required), and every field name (for telling the `extra` ones apart)."""

    fields: tuple[tuple[str, frozenset[type], _Converter, bool], ...]
    names: frozenset[str]
    # The values of optional fields a payload leaves out, when `_build` may fill the new
    # object's __dict__ itself; None when it must call the class (see `_direct_defaults`).
    defaults: dict[str, Any] | None


_LAYOUTS: dict[type, _Layout] = {}


def _layout(cls: type) -> _Layout:
    # Worked out once per model: resolving string annotations and walking typing objects
    # for every field of every item made decoding a 100-instance list cost more than the
    # HTTP request itself.
    layout = _LAYOUTS.get(cls)
    if layout is None:
        hints = typing.get_type_hints(cls)
        fields = [field for field in dataclasses.fields(cls) if field.name != "extra"]
        layout = _Layout(
            tuple(
                (f.name, _taken_as_is(hints[f.name]), _converter(hints[f.name]), _is_required(f))
                for f in fields
            ),
            frozenset(f.name for f in dataclasses.fields(cls)),
            _direct_defaults(cls, fields),
        )
        _LAYOUTS[cls] = layout
    return layout


def _direct_defaults(cls: type, fields: list[dataclasses.Field[Any]]) -> dict[str, Any] | None:
    """A frozen dataclass's __init__ sets every field through object.__setattr__, which
    made it most of the cost of decoding an instance list (3.4 us of an instance's ~6 us).
    The builders may skip it and fill __dict__ when __init__ would do nothing else: no
    __post_init__, no __slots__, and every optional field a plain (immutable) default."""
    if hasattr(cls, "__post_init__") or "__slots__" in cls.__dict__:
        return None
    if any(f.default_factory is not dataclasses.MISSING for f in fields):
        return None
    return {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}


def _is_required(field: dataclasses.Field[Any]) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


def _build(cls: type[M], payload: Any) -> M:
    return _builder(cls)(payload)  # type: ignore[no-any-return]


_BUILDERS: dict[type, _Converter] = {}


def _builder(cls: type) -> _Converter:
    """The builder of `cls`: by shape (`_decode_shapes`) when it may be filled directly
    (`_direct_defaults`), else the field walk `_walk` (a class with __post_init__ or a
    default factory is built through its __init__)."""
    builder = _BUILDERS.get(cls)
    if builder is None:
        # Imported here: that module builds on this one (_Mismatch, _Layout, _walk).
        from gpueater_ext._decode_shapes import shaped

        layout = _layout(cls)
        defaults = layout.defaults
        builder = (
            functools.partial(_walk, cls) if defaults is None else shaped(cls, layout, defaults)
        )
        _BUILDERS[cls] = builder
    return builder


def _nested(cls: type[M]) -> _Converter:
    """The converter of a value holding model `cls`: its builder, found at the first use
    (so a model may name one defined after it, or itself)."""
    found: list[_Converter] = []

    def convert(value: Any) -> Any:
        if not found:
            found.append(_builder(cls))
        return found[0](value)

    return convert


def _walk(cls: type[M], payload: Any) -> M:
    """The model from `payload`, field by field in declaration order (so the first broken
    field is the one reported): a value of a type the field takes as it is (`str | None`:
    a str or None) is kept without a call, any other goes through the field's converter,
    whose _Mismatch gains the field's name; keys that are not fields go to `extra`. What
    `_decode_shapes` does for a payload of a shape it knows, this does for any payload."""
    if not isinstance(payload, Mapping):
        raise _Mismatch(f"expected an object, got {_kind(payload)}")
    layout = _layout(cls)
    values: dict[str, Any] = {}
    for name, as_is, convert, required in layout.fields:
        if name in payload:
            value = payload[name]
            if type(value) in as_is:  # most fields: a string, number or null; no call
                values[name] = value
                continue
            try:
                values[name] = convert(value)
            except _Mismatch as mismatch:
                raise mismatch.within(f".{name}") from None
        elif required:
            raise _Mismatch(f"the required field {name!r} is missing")
    # Every key of the payload was a field: nothing extra (the usual case, no set lookups).
    extra = (
        {}
        if len(values) == len(payload)
        else {key: value for key, value in payload.items() if key not in layout.names}
    )
    if layout.defaults is None:
        return cls(**values, extra=extra)
    built = object.__new__(cls)
    state = built.__dict__
    state.update(layout.defaults)
    state.update(values)
    state["extra"] = extra
    return built


_SCALARS = (str, int, bool, float)


def _taken_as_is(hint: Any) -> frozenset[type]:
    """The exact JSON value types that need no conversion for `hint` (its converter would
    return them unchanged): `str | None` takes str and None as they are."""
    options = typing.get_args(hint) if typing.get_origin(hint) in (Union, types.UnionType) else ()
    candidates = options or (hint,)
    return frozenset(c for c in candidates if c in _SCALARS or c is type(None))


def _converter(hint: Any) -> _Converter:
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        options = typing.get_args(hint)
        inner_hints = [option for option in options if option is not type(None)]
        inner = _converter(inner_hints[0]) if len(inner_hints) == 1 else _first_of(inner_hints)
        if type(None) not in options:
            return inner
        return lambda value: None if value is None else inner(value)
    if origin is list:
        return _list_converter(_converter(typing.get_args(hint)[0]))
    if origin is dict:
        return _dict_converter(_converter(typing.get_args(hint)[1]))
    if hint is Any:
        return lambda value: value
    if isinstance(hint, type) and issubclass(hint, Model):
        return _nested(hint)
    if hint in _SCALARS:
        # JSON's own types arrive exactly as json.loads makes them; anything else is checked
        # (and explained) by _scalar.
        exact = hint
        return lambda value: value if type(value) is exact else _scalar(value, exact)
    return lambda value: _scalar(value, hint)


def _first_of(hints: list[Any]) -> _Converter:
    """A union of scalars (`float | str`, for a field whose type the service does not
    publish): the first type the value fits, else a mismatch naming them all."""
    if not all(hint in _SCALARS for hint in hints):
        raise TypeError(f"only unions of scalars are supported, not {hints}")

    def convert(value: Any) -> Any:
        for hint in hints:
            try:
                return _scalar(value, hint)
            except _Mismatch:
                continue
        names = " or ".join(hint.__name__ for hint in hints)
        raise _Mismatch(f"expected {names}, got {_kind(value)}")

    return convert


def _list_converter(item: _Converter) -> _Converter:
    def convert(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise _Mismatch(f"expected a list, got {_kind(value)}")
        try:
            # A comprehension: no index, append or try per item (~10 us of a 100-instance
            # list). The converters are pure, so after a failure the walk below meets the
            # same failure at the same item and adds its index.
            return [item(entry) for entry in value]
        except _Mismatch:
            pass
        for index, entry in enumerate(value):
            try:
                item(entry)
            except _Mismatch as mismatch:
                raise mismatch.within(f"[{index}]") from None
        raise AssertionError("a converter failed, then passed on the same value")

    return convert


def _dict_converter(item: _Converter) -> _Converter:
    def convert(value: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise _Mismatch(f"expected an object, got {_kind(value)}")
        converted = {}
        for key, entry in value.items():
            try:
                converted[str(key)] = item(entry)
            except _Mismatch as mismatch:
                raise mismatch.within(f".{key}") from None
        return converted

    return convert


def _scalar(value: Any, hint: Any) -> Any:
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
    raise _Mismatch(f"expected {name}, got {_kind(value)}")


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
