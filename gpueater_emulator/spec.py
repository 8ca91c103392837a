"""The operations of `openapi/gpueater.yaml`, read once, as the emulator routes them.

The emulator is an independent implementation of the spec: it reads the document itself and
never imports the generated client, so tests that drive the client against it compare two
readings of the same text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "SPEC_URI",
    "QueryParameter",
    "SpecOperation",
    "find_spec_path",
    "load_operations",
    "load_spec",
    "resolve",
]

SPEC_URI = "urn:gpueater:openapi"
_FORM = "application/x-www-form-urlencoded"
_JSON = "application/json"


@dataclass(frozen=True)
class QueryParameter:
    name: str
    required: bool
    schema: dict[str, Any]


@dataclass(frozen=True)
class SpecOperation:
    operation_id: str
    method: str
    path: str
    needs_session: bool
    query: tuple[QueryParameter, ...]
    # The resolved form schema of a write, None for reads.
    form_schema: dict[str, Any] | None
    form_schema_ref: str | None
    # The `$ref` of the JSON answer (an envelope), None when the answer is not JSON.
    response_schema_ref: str | None
    response_media_type: str


def find_spec_path() -> Path:
    """The spec shipped beside the package when installed as data, else the repository's."""
    packaged = Path(__file__).with_name("gpueater.yaml")
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[1] / "openapi" / "gpueater.yaml"


# libyaml's loader reads the spec in ~0.06 s instead of ~0.35 s: most of the start-up time.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_spec() -> dict[str, Any]:
    text = find_spec_path().read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 (a safe loader)
    return loaded


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` (the spec only uses `#/components/...` ones)."""
    seen = 0
    while "$ref" in node:
        pointer = node["$ref"]
        if not pointer.startswith("#/"):
            raise ValueError(f"only local references are supported, got {pointer}")
        target: Any = load_spec()
        for part in pointer[2:].split("/"):
            target = target[part]
        node = target
        seen += 1
        if seen > 32:
            raise ValueError(f"reference cycle at {pointer}")
    return node


def _query_parameters(operation: dict[str, Any]) -> tuple[QueryParameter, ...]:
    parameters = []
    for raw in operation.get("parameters", []):
        parameter = resolve(raw)
        if parameter["in"] != "query":
            raise ValueError(f"unsupported parameter location {parameter['in']}")
        parameters.append(
            QueryParameter(
                name=parameter["name"],
                required=bool(parameter.get("required", False)),
                schema=parameter.get("schema", {}),
            )
        )
    return tuple(parameters)


def _operation(path: str, method: str, raw: dict[str, Any], default_security: Any) -> SpecOperation:
    form_schema = form_ref = None
    body = raw.get("requestBody")
    if body is not None:
        media = resolve(body)["content"][_FORM]["schema"]
        form_ref = media.get("$ref")
        form_schema = resolve(media)
    answer = raw["responses"]["200"]["content"]
    media_type = _JSON if _JSON in answer else next(iter(answer))
    response_ref = answer[_JSON]["schema"]["$ref"] if media_type == _JSON else None
    security = raw.get("security", default_security)
    return SpecOperation(
        operation_id=raw["operationId"],
        method=method.upper(),
        path=path,
        needs_session=bool(security),
        query=_query_parameters(raw),
        form_schema=form_schema,
        form_schema_ref=form_ref,
        response_schema_ref=response_ref,
        response_media_type=media_type,
    )


@cache
def load_operations() -> tuple[SpecOperation, ...]:
    spec = load_spec()
    operations = []
    for path, item in spec["paths"].items():
        for method, raw in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                operations.append(_operation(path, method, raw, spec.get("security")))
    return tuple(operations)
