"""Building models fast from the service's records, by their shape: what `_decode._walk`
builds and raises, for much less (issue 25: decoding was most of the SDK's overhead over
bare httpx).

- `shaped(cls, ...)`: one record; a record's keys and value types (read in C) select a plan
  worked out once per shape: which values need their converter, which defaults fill the
  fields left out, which keys are extra.
- `exact_records(cls, ...)`: a whole list whose records hold exactly the fields, checked
  column by column and built in C loops; None for any other list.

Every record these cannot build the same way (a missing required field, a value that is
not the field's type) goes to `_walk` or to the same converters, in field order, so the
errors are the walk's word for word (tests/sdk/test_decode_contract.py).
"""

from __future__ import annotations

import collections
import itertools
import operator
from typing import Any, TypeVar

from gpueater_ext._decode import Model, _Converter, _Layout, _Mismatch, _walk

__all__ = ["MAX_SHAPES", "exact_records", "shaped"]

M = TypeVar("M", bound=Model)

# (field name, converter) of the fields whose value a shape's plan converts
_Conversions = tuple[tuple[str, _Converter], ...]
# A plan: the defaults of the fields the shape leaves out, the fields its values need
# converted, and its keys that are not fields (they go to `extra`).
_ShapePlan = tuple[dict[str, Any], _Conversions, tuple[str, ...]]
# How many shapes (keys and value types) a model's builder remembers: a few per answer in
# practice (null or not in each optional field); the bound keeps a service that varies
# its records endlessly from growing the memory (past it, records are walked).
MAX_SHAPES = 256
_UNSEEN: Any = object()
# The plan of a record holding every field, each of a type it takes as it is, and nothing
# else: its builder skips the general plan's steps (~10% of an Instance's cost).
_EXACT: Any = object()


def shaped(cls: type[M], layout: _Layout, defaults: dict[str, Any]) -> _Converter:
    """The builder of a model that may be filled directly (`_decode._direct_defaults`), by
    the shape of each record.

    Why: checking every field of every record in Python (`_walk`) cost ~4.4 us per
    Instance, 0.44 ms of a 100-instance `instance_list` and most of the SDK's overhead over
    bare httpx (issue 25). But the records of one answer have few shapes: the same keys,
    and values of the same types up to which optional fields are null. So the builder
    reads a record's shape in C (`tuple(payload)`, `map(type, ...)`) and, for a shape it
    has seen, knows in one lookup which values need their converter (none, in the usual
    record: every value is a str, int, float or null its field takes as it is), which
    defaults fill the fields left out and which keys are extra: about 2 us per Instance.

    It builds what `_walk` builds and raises what `_walk` raises: a value is kept as it is
    exactly when its type is one its field takes as it is (the type is in the shape, so a
    plan never applies to values of other types), the other values go through the same
    converters in field order, and a shape missing a required field is left to `_walk`,
    which names the first field (missing or broken) in declaration order.
    """
    plans: dict[tuple[tuple[str, ...], tuple[type, ...]], _ShapePlan | Any] = {}
    new, put = object.__new__, object.__setattr__

    def build(payload: Any) -> Any:
        if type(payload) is not dict:  # another Mapping (from_payload's caller's own)
            return _walk(cls, payload)
        shape = (tuple(payload), tuple(map(type, payload.values())))
        plan = plans.get(shape, _UNSEEN)
        if plan is _UNSEEN:
            plan = _plan(layout, defaults, *shape)
            if len(plans) < MAX_SHAPES:
                plans[shape] = plan
        if plan is _EXACT:  # the usual record: a copy of it is the model's __dict__
            state = payload.copy()
            state["extra"] = {}
            built = new(cls)
            put(built, "__dict__", state)
            return built
        if plan is None:
            return _walk(cls, payload)
        left_out, conversions, extra_keys = plan
        # A new dict: the model never shares (or lets anyone change) the payload's.
        state = {**left_out, **payload} if left_out else payload.copy()
        for name, convert in conversions:
            try:
                state[name] = convert(state[name])
            except _Mismatch as mismatch:
                raise mismatch.within(f".{name}") from None
        # Every key that is not a field leaves __dict__ (a service's `_service_url` lands
        # in `extra`, never on the model); a key named `extra` is overwritten, as `_walk`
        # drops it.
        state["extra"] = {key: state.pop(key) for key in extra_keys} if extra_keys else {}
        built = new(cls)
        put(built, "__dict__", state)  # what __init__ leaves, see `_direct_defaults`
        return built

    return build


def exact_records(cls: type[M], layout: _Layout, records: Any) -> list[M] | None:
    """The models of a list whose records all hold exactly the model's fields, under the
    same keys in the same order, each value of a type its field takes as it is (what the
    service answers); None for any other list, which is then decoded record by record.

    Why: even by shape (`shaped`), each record costs a Python call and a shape lookup.
    Here the checks run column by column and the models are made in C loops (map, set,
    slices): ~13% less than record by record for 100 instances (interleaved medians, 344
    vs 398 us CPU on a loaded 2-vCPU machine; issue 25). Every record must have the
    fields as its keys, in the first record's order, and each column's set of value types
    must be within what its field takes as it is. Then each record is what `shaped` calls
    `_EXACT`, and the models are what it would build: a copy of the record as __dict__,
    with an empty `extra`.
    """
    if layout.defaults is None or type(records) is not list or not records:
        return None
    if set(map(type, records)) != {dict}:
        return None
    names = tuple(records[0])
    as_is = {name: taken for name, taken, _, _ in layout.fields}
    if len(names) != len(as_is) or not as_is.keys() >= set(names):
        return None
    width, count = len(names), len(records)
    # Every record has these keys in this order: as many keys, and all keys one after the
    # other are `names` repeated (a tuple comparison, by identity for json's shared keys;
    # no tuple per record to hash).
    if set(map(len, records)) != {width}:
        return None
    if tuple(itertools.chain.from_iterable(records)) != names * count:
        return None
    # One flat tuple of every value's type, record after record: column i is [i::width].
    kinds = tuple(map(type, itertools.chain.from_iterable(map(dict.values, records))))
    if not all(set(kinds[i::width]) <= as_is[name] for i, name in enumerate(names)):
        return None
    states = list(map(dict.copy, records))
    collections.deque(
        map(
            operator.setitem,
            states,
            itertools.repeat("extra", count),
            map(dict, itertools.repeat((), count)),
        ),
        maxlen=0,
    )
    built = list(map(object.__new__, itertools.repeat(cls, count)))
    collections.deque(
        map(object.__setattr__, built, itertools.repeat("__dict__", count), states), maxlen=0
    )
    return built


def _plan(
    layout: _Layout, defaults: dict[str, Any], keys: tuple[str, ...], kinds: tuple[type, ...]
) -> _ShapePlan | Any:
    """How `shaped` builds a record with these keys and value types: `_EXACT`, or what to
    fill, convert and move to `extra`; None when a required field is missing (then `_walk`
    reports it)."""
    kind_of = dict(zip(keys, kinds, strict=True))
    if any(required and name not in kind_of for name, _, _, required in layout.fields):
        return None
    left_out = {name: defaults[name] for name, *_ in layout.fields if name not in kind_of}
    conversions = tuple(
        (name, convert)
        for name, as_is, convert, _ in layout.fields
        if name in kind_of and kind_of[name] not in as_is
    )
    extra_keys = tuple(key for key in keys if key not in layout.names)
    if not (left_out or conversions or extra_keys):
        return _EXACT
    return left_out, conversions, extra_keys
