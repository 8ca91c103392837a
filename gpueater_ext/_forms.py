"""Turning a method's arguments into the generated operation's arguments.

Every method accepts, in any combination: a seed-style `form` dict, a model (an Instance
supplies its instance_id, machine_resource_id and connection_id), and keyword arguments;
later ones win. Only the fields the operation declares are sent, so a whole instance dict
can be passed as the 1.5 README does. A keyword argument the operation does not know is a
typo and raises; an unknown key inside a form dict or model is ignored. Missing required
fields raise InvalidArgumentError before anything is sent.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from functools import cache
from typing import Any

from gpueater_ext._decode import Model
from gpueater_ext._errors import InvalidArgumentError
from gpueater_ext._operations import Operation

__all__ = ["FormArg", "build_arguments", "merge_form", "required_fields"]

FormArg = Mapping[str, Any] | Model | None


def merge_form(form: FormArg, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The form dict or model, updated with keyword fields; None values count as absent."""
    if form is None:
        merged: dict[str, Any] = {}
    elif isinstance(form, Model):
        merged = form.to_dict()
    elif isinstance(form, Mapping):
        merged = dict(form)
    else:
        raise InvalidArgumentError(f"expected a form dict or a model, got {type(form).__name__}")
    merged.update((key, value) for key, value in fields.items() if value is not None)
    return {key: value for key, value in merged.items() if value is not None}


def build_arguments(
    operation: Operation, form: FormArg, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """Keyword arguments for the generated `sync_detailed`/`asyncio_detailed` of `operation`."""
    declared = _declared_fields(operation)
    unknown = sorted(set(fields) - set(declared))
    if unknown:
        raise InvalidArgumentError(
            f"{operation.name} has no field {', '.join(map(repr, unknown))}; "
            f"its fields are {', '.join(declared) or 'none'}"
        )
    merged = merge_form(form, fields)
    values = {
        name: _convert(operation, name, merged[name], is_int)
        for name, (is_int, _) in declared.items()
        if name in merged
    }
    missing = [name for name, (_, required) in declared.items() if required and name not in values]
    if missing:
        raise InvalidArgumentError(
            f"{operation.name} needs {', '.join(missing)} "
            "(pass them as keyword arguments, in a form dict, or pass the model that has them)"
        )
    if operation.form is not None:
        return {"body": operation.form_model()(**values)}
    return values


def required_fields(operation: Operation) -> frozenset[str]:
    """The fields `operation` cannot be sent without."""
    return frozenset(
        name for name, (_, required) in _declared_fields(operation).items() if required
    )


@cache
def _declared_fields(operation: Operation) -> dict[str, tuple[bool, bool]]:
    """name -> (is an integer, is required), in the spec's order."""
    model = operation.form_model()
    if model is not None:
        import attrs  # a form's fields only: a read imports neither it nor the models

        return {
            field.name: ("int" in str(field.type), field.default is attrs.NOTHING)
            for field in attrs.fields(model)
            if field.name != "additional_properties"
        }
    signature = inspect.signature(operation.generated_module().sync_detailed)
    return {
        name: (False, parameter.default is inspect.Parameter.empty)
        for name, parameter in signature.parameters.items()
        if name != "client"
    }


def _convert(operation: Operation, name: str, value: Any, is_int: bool) -> Any:
    # Ids are strings on the wire, but users naturally pass product_id=3 or port="8888".
    if isinstance(value, bool):
        pass
    elif is_int and isinstance(value, int):
        return value
    elif is_int and isinstance(value, str) and value.strip().isdigit():
        return int(value)
    elif not is_int and isinstance(value, str | int):
        return str(value)
    expected = "an integer" if is_int else "a string"
    raise InvalidArgumentError(
        f"{operation.name}: {name} must be {expected}, got {type(value).__name__}"
    )
