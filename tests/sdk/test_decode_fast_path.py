"""`_build` fills a model's __dict__ itself instead of calling its frozen __init__ (for
speed); what it builds must be indistinguishable from what __init__ builds."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

import pytest

from gpueater_ext import _catalog, _models
from gpueater_ext._decode import Model, _layout

MODELS = [
    getattr(module, name)
    for module in (_models, _catalog)
    for name in module.__all__
    if isinstance(getattr(module, name), type) and issubclass(getattr(module, name), Model)
]


def _required_payload(cls: type[Model]) -> dict[str, Any]:
    """The model's required fields, filled through its own decoder's idea of each type."""
    samples = {str: "x", int: 1, float: 1.5, bool: True}
    hints = typing.get_type_hints(cls)
    payload: dict[str, Any] = {}
    for name, as_is, _convert, required in _layout(cls).fields:
        if required:
            scalar = next((t for t in as_is if t in samples), None)
            hint = hints[name]
            if isinstance(hint, type) and issubclass(hint, Model):
                payload[name] = _required_payload(hint)  # a nested model
                continue
            empty: Any = {} if typing.get_origin(hint) is dict else []
            payload[name] = samples[scalar] if scalar else empty
    return payload


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_a_decoded_model_equals_the_one_its_init_makes(cls):
    payload = {**_required_payload(cls), "added_later": "kept"}
    decoded = cls.from_payload(payload, operation="test")
    assert _layout(cls).defaults is not None  # the fast path is the one under test
    fields = {f.name: getattr(decoded, f.name) for f in dataclasses.fields(cls)}
    made = cls(**fields)
    assert decoded == made
    assert repr(decoded) == repr(made)
    assert decoded.to_dict() == made.to_dict()
    assert decoded.extra == {"added_later": "kept"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        decoded.extra = {}
    assert dataclasses.replace(decoded) == decoded


def test_a_model_with_post_init_is_built_through_init():
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Checked(Model):
        name: str
        seen: list[str] = dataclasses.field(default_factory=list, compare=False)

        def __post_init__(self) -> None:
            self.seen.append(self.name)

    assert _layout(Checked).defaults is None
    assert Checked.from_payload({"name": "a"}, operation="test").seen == ["a"]
