"""Requests and answers checked against the spec's schemas with jsonschema.

Form fields and query parameters arrive as strings; each is coerced to the type its schema
names before validation, so `port=abc` fails as "must be an integer" and `port=8888` passes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .errors import ApiError
from .spec import SPEC_URI, SpecOperation, load_spec, resolve

__all__ = [
    "ResponseContractError",
    "coerce_arguments",
    "validate_error_envelope",
    "validate_request",
    "validate_response",
]

_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class ResponseContractError(AssertionError):
    """The emulator was about to answer something the spec does not allow (a bug here)."""


@cache
def _registry() -> Registry[Any]:
    resource: Resource[Any] = Resource.from_contents(load_spec(), default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
    return registry


@cache
def _validator_for_ref(ref: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": SPEC_URI + ref}, registry=_registry())


def _validator_for_schema(schema_key: str, schema: dict[str, Any]) -> Draft202012Validator:
    return _validator_for_ref(schema_key) if "$ref" in schema else Draft202012Validator(schema)


def _coerce(value: str, schema: dict[str, Any]) -> Any:
    kind = resolve(schema).get("type")
    if kind == "integer" and _INTEGER.fullmatch(value):
        return int(value)
    if kind == "number" and _NUMBER.fullmatch(value):
        return float(value)
    if kind == "boolean" and value in {"true", "false"}:
        return value == "true"
    return value


def coerce_arguments(operation: SpecOperation, raw: Mapping[str, str]) -> dict[str, Any]:
    """The request's fields with each declared one converted to its schema's type."""
    properties: dict[str, Any] = {}
    if operation.form_schema is not None:
        properties = operation.form_schema.get("properties", {})
    else:
        properties = {parameter.name: parameter.schema for parameter in operation.query}
    return {
        name: _coerce(value, properties[name]) if name in properties else value
        for name, value in raw.items()
    }


def _describe_type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    article = {"integer": "an integer", "number": "a number", "boolean": "true or false"}
    described = article.get(str(kind), f"a {kind}" if isinstance(kind, str) else "valid")
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return f"{described} between {low} and {high}"
    if low is not None:
        return f"{described} of at least {low}"
    if high is not None:
        return f"{described} of at most {high}"
    return described


def _as_api_error(error: ValidationError, properties: dict[str, Any]) -> ApiError:
    if error.validator == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        required: list[str] = (
            list(error.schema.get("required", [])) if isinstance(error.schema, dict) else []
        )
        missing = next(name for name in required if name not in present)
        return ApiError(f"{missing}: is required", "invalid_request", missing)
    field = str(error.absolute_path[0]) if error.absolute_path else None
    if field is None:
        return ApiError(error.message, "invalid_request")
    if error.validator in {"type", "minimum", "maximum"}:
        schema = resolve(properties.get(field, {}))
        return ApiError(f"{field}: must be {_describe_type(schema)}", "invalid_request", field)
    return ApiError(f"{field}: {error.message}", "invalid_request", field)


def validate_request(operation: SpecOperation, arguments: dict[str, Any]) -> None:
    """Raise the ApiError the service would answer for a request that breaks the spec."""
    if operation.form_schema is not None:
        assert operation.form_schema_ref is not None
        validator = _validator_for_ref(operation.form_schema_ref)
        properties = operation.form_schema.get("properties", {})
        found = best_match(validator.iter_errors(arguments))
        if found is not None:
            raise _as_api_error(found, properties)
        return
    for parameter in operation.query:
        if parameter.name not in arguments:
            if parameter.required:
                raise ApiError(f"{parameter.name}: is required", "invalid_request", parameter.name)
            continue
        properties = {parameter.name: parameter.schema}
        schema = {"type": "object", "properties": properties}
        found = best_match(Draft202012Validator(schema).iter_errors(arguments))
        if found is not None:
            raise _as_api_error(found, properties)


def validate_response(operation: SpecOperation, payload: Any) -> None:
    """Fail loudly when an answer does not match the operation's documented schema."""
    if operation.response_schema_ref is None:
        if not (isinstance(payload, bytes) and payload.startswith(b"%PDF-")):
            raise ResponseContractError(f"{operation.operation_id}: the answer is not a PDF")
        return
    validator = _validator_for_ref(operation.response_schema_ref)
    found = best_match(validator.iter_errors(payload))
    if found is not None:
        raise ResponseContractError(
            f"{operation.operation_id}: the answer breaks {operation.response_schema_ref}: "
            f"{found.message} at {list(found.absolute_path)}"
        )


def validate_error_envelope(payload: Any) -> None:
    """Error answers share one schema whatever the operation."""
    found = best_match(
        _validator_for_ref("#/components/schemas/EmptyEnvelope").iter_errors(payload)
    )
    if found is not None:
        raise ResponseContractError(f"an error answer breaks the envelope: {found.message}")
