"""What every public model's decoder accepts, builds and refuses, with cases generated from
the model's own fields (so a model or field added later is covered without a new test):

- a full record (every field, of its type) and a minimal one (the required fields only)
  decode to what the model's own __init__ builds from the same values, field types
  included (an integer for a float field arrives as a float);
- each field given each JSON kind its type does not take raises APIError naming the
  operation, the path of the field and both kinds, in the exact words users see; a missing
  required field is named; a payload that is not an object is refused;
- fields the model does not declare are kept in `extra`; a read-only Mapping decodes too.

The decoder is built for speed (issue 25); these are the contracts the speed must keep.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Union

import pytest

from gpueater_ext import APIError, _catalog, _models
from gpueater_ext._api_list import ApiFunction
from gpueater_ext._decode import Model, _builder, list_of
from gpueater_ext._decode_shapes import MAX_SHAPES

MODELS: list[type[Model]] = [
    getattr(module, name)
    for module in (_models, _catalog)
    for name in module.__all__
    if isinstance(getattr(module, name), type) and issubclass(getattr(module, name), Model)
] + [ApiFunction]

# One JSON value of each kind json.loads makes, and the word the errors use for it.
KINDS: dict[str, Any] = {
    "null": None,
    "a boolean": True,
    "int": 7,
    "float": 2.5,
    "a string": "text",
    "a list": ["x"],
    "an object": {"k": "v"},
}


def _fields(cls: type[Model]) -> list[tuple[str, Any, bool]]:
    """(name, type hint, required) of every field but `extra`."""
    hints = typing.get_type_hints(cls)
    return [
        (f.name, hints[f.name], f.default is dataclasses.MISSING)
        for f in dataclasses.fields(cls)
        if f.name != "extra"
    ]


def _options(hint: Any) -> tuple[list[Any], bool]:
    """The hint's non-null types, and whether it takes null."""
    if typing.get_origin(hint) in (Union, types.UnionType):
        options = typing.get_args(hint)
        return [o for o in options if o is not type(None)], type(None) in options
    return [hint], False


def _sample(hint: Any, variant: int) -> tuple[Any, Any]:
    """(JSON value, the Python value the model holds for it) for a type hint."""
    inner, _ = _options(hint)
    first = inner[0]
    origin = typing.get_origin(first)
    if origin is list:
        pairs = [_sample(typing.get_args(first)[0], variant + i) for i in range(2)]
        return [json for json, _ in pairs], [value for _, value in pairs]
    if origin is dict:
        json, value = _sample(typing.get_args(first)[1], variant)
        return {"key": json}, {"key": value}
    if isinstance(first, type) and issubclass(first, Model):
        record, expected = _full(first, variant)
        return record, expected
    if len(inner) > 1:  # a union of scalars: the last option, so the first must not fit
        return _scalar_sample(inner[-1], variant)
    return _scalar_sample(first, variant)


def _scalar_sample(hint: Any, variant: int) -> tuple[Any, Any]:
    if hint is str:
        return f"s{variant}", f"s{variant}"
    if hint is bool:
        return variant % 2 == 0, variant % 2 == 0
    if hint is int:
        return 40 + variant, 40 + variant
    if hint is float:  # JSON has one number type: an integer is a float's valid value
        return (3 + variant, float(3 + variant)) if variant % 2 else (0.5, 0.5)
    if hint is Any:
        return {"any": [variant]}, {"any": [variant]}
    raise AssertionError(f"no sample for {hint!r}")


def _full(cls: type[Model], variant: int = 0) -> tuple[dict[str, Any], Model]:
    record, values = {}, {}
    for index, (name, hint, _required) in enumerate(_fields(cls)):
        record[name], values[name] = _sample(hint, variant + index)
    return record, cls(**values)


def _minimal(cls: type[Model]) -> tuple[dict[str, Any], Model]:
    record, values = {}, {}
    for index, (name, hint, required) in enumerate(_fields(cls)):
        if required:
            record[name], values[name] = _sample(hint, index)
    return record, cls(**values)


def _same(decoded: Model, expected: Model) -> None:
    assert type(decoded) is type(expected)
    assert decoded == expected
    assert repr(decoded) == repr(expected)
    assert decoded.to_dict() == expected.to_dict()
    for field in dataclasses.fields(expected):
        mine, theirs = getattr(decoded, field.name), getattr(expected, field.name)
        assert type(mine) is type(theirs), field.name
        if isinstance(theirs, Model):
            _same(mine, theirs)
        if isinstance(theirs, list):
            for a, b in zip(mine, theirs, strict=True):
                assert type(a) is type(b)
                if isinstance(b, Model):
                    _same(a, b)


def _expected_words(hint: Any) -> str:
    inner, _ = _options(hint)
    first = inner[0]
    if typing.get_origin(first) is list:
        return "a list"
    if typing.get_origin(first) is dict or (isinstance(first, type) and issubclass(first, Model)):
        return "an object"
    return " or ".join(option.__name__ for option in inner)


def _refused_kinds(hint: Any) -> list[str]:
    """The JSON kinds (KINDS' words) that a field of `hint` must refuse."""
    inner, nullable = _options(hint)
    taken = {"null"} if nullable else set()
    for option in inner:
        origin = typing.get_origin(option)
        if option is Any:
            return []
        if origin is list:
            taken.add("a list")
        elif origin is dict or (isinstance(option, type) and issubclass(option, Model)):
            taken.add("an object")
        else:
            taken |= {str: {"a string"}, bool: {"a boolean"}, int: {"int"}}.get(option, set())
            if option is float:
                taken |= {"int", "float"}
    return [kind for kind in KINDS if kind not in taken]


def _decode(cls: type[Model], payload: Any) -> Model:
    return cls.from_payload(payload, operation="test_op")


def _message(where: str, problem: str) -> str:
    return f"test_op: the service's answer breaks the API contract at {where}: {problem}"


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_a_full_and_a_minimal_record_decode_as_init_builds_them(cls):
    for record, expected in (_full(cls), _full(cls, 1), _minimal(cls)):
        _same(_decode(cls, record), expected)
        _same(_decode(cls, types.MappingProxyType(record)), expected)
        listed = list_of(cls)([record, record], "test_op")
        assert len(listed) == 2
        for item in listed:
            _same(item, expected)


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_each_field_refuses_each_kind_its_type_does_not_take(cls):
    record, _ = _full(cls)
    checked = 0
    for name, hint, _required in _fields(cls):
        for kind in _refused_kinds(hint):
            with pytest.raises(APIError) as raised:
                _decode(cls, {**record, name: KINDS[kind]})
            assert raised.value.operation == "test_op"
            expected = f"expected {_expected_words(hint)}, got {kind}"
            assert str(raised.value) == _message(f"data.{name}", expected)
            with pytest.raises(APIError) as listed:
                list_of(cls)([record, {**record, name: KINDS[kind]}], "test_op")
            assert str(listed.value) == _message(f"data[1].{name}", expected)
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_a_wrong_type_inside_a_nested_model_or_list_names_its_whole_path(cls):
    record, _ = _full(cls)
    for name, hint, _required in _fields(cls):
        inner, _ = _options(hint)
        origin = typing.get_origin(inner[0])
        nested = typing.get_args(inner[0])[-1] if origin in (list, dict) else inner[0]
        if not (isinstance(nested, type) and issubclass(nested, Model)):
            continue
        field, field_hint, _ = _fields(nested)[0]
        kind = _refused_kinds(field_hint)[0]
        value = record[name]
        step = {list: "[1]", dict: ".key"}.get(origin, "")
        if origin is list:
            value = [value[0], {**value[1], field: KINDS[kind]}]
        elif origin is dict:
            value = {"key": {**value["key"], field: KINDS[kind]}}
        else:
            value = {**value, field: KINDS[kind]}
        with pytest.raises(APIError) as raised:
            _decode(cls, {**record, name: value})
        expected = f"expected {_expected_words(field_hint)}, got {kind}"
        assert str(raised.value) == _message(f"data.{name}{step}.{field}", expected)


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_a_missing_required_field_is_named_and_extra_fields_are_kept(cls):
    record, expected = _full(cls)
    for name, _hint, required in _fields(cls):
        if required:
            with pytest.raises(APIError) as raised:
                _decode(cls, {key: value for key, value in record.items() if key != name})
            problem = f"the required field {name!r} is missing"
            assert str(raised.value) == _message("data", problem)
    decoded = _decode(cls, {**record, "added_later": [1], "state_reason": None})
    assert decoded.extra == {"added_later": [1], "state_reason": None}
    assert decoded == expected  # extra is not compared, as for a model built by hand
    assert decoded.to_dict() == {**expected.to_dict(), "added_later": [1], "state_reason": None}
    assert _decode(cls, record).extra == {}


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("kind", ["null", "a boolean", "int", "a string", "a list"])
def test_a_payload_that_is_not_an_object_is_refused(cls, kind):
    with pytest.raises(APIError) as raised:
        _decode(cls, KINDS[kind])
    assert str(raised.value) == _message("data", f"expected an object, got {kind}")
    with pytest.raises(APIError) as listed:
        list_of(cls)([_full(cls)[0], KINDS[kind]], "test_op")
    assert str(listed.value) == _message("data[1]", f"expected an object, got {kind}")


def test_a_decoded_model_is_immutable():
    decoded = _models.Instance.from_payload(_full(_models.Instance)[0], operation="test_op")
    with pytest.raises(dataclasses.FrozenInstanceError):
        decoded.tag = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        decoded.extra = {}  # type: ignore[misc]


def test_a_service_cannot_set_what_is_not_a_field_whatever_the_shape():
    record, expected = _full(_models.Instance)
    for payload in (
        {**record, "_service_url": "https://evil.example", "extra": {"x": 1}},
        {"_service_url": "https://evil.example", **record},
    ):
        for _ in range(2):  # a new shape, then the same shape again
            decoded = _models.Instance.from_payload(payload, operation="test_op")
            assert decoded.service_url is None
            assert decoded.extra == {"_service_url": "https://evil.example"}
            assert set(vars(decoded)) == {f.name for f in dataclasses.fields(expected)}


def test_many_shapes_decode_right_and_the_builder_remembers_a_bounded_number():
    record, expected = _full(_models.Port)
    for number in range(3 * MAX_SHAPES):
        decoded = _decode(_models.Port, {**record, f"new_{number}": number})
        assert (decoded, repr(decoded)) == (expected, repr(expected))
        assert decoded.extra == {f"new_{number}": number}
    builder = _builder(_models.Port)
    cells = dict(zip(builder.__code__.co_freevars, builder.__closure__ or (), strict=True))
    assert len(cells["plans"].cell_contents) == MAX_SHAPES
