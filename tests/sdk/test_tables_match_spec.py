"""The SDK's operation table and public models agree with openapi/gpueater.yaml.

The SDK does not read the YAML at run time; these tests are what keep its hand-written
table (`_operations`) and models (`_models`, `_catalog`) in step with the spec.
"""

from __future__ import annotations

import dataclasses
import inspect
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml

from gpueater_ext import _catalog, _models
from gpueater_ext._api_list import CLIENT_SIDE_FUNCTIONS, api_functions
from gpueater_ext._decode import Model
from gpueater_ext._methods import Method, Methods
from gpueater_ext._operations import OPERATIONS, Kind

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "gpueater.yaml"
SEED_FUNCTIONS_NOT_IN_SPEC = set(CLIENT_SIDE_FUNCTIONS)


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
    return loaded


def spec_operations(spec: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    found = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "delete", "patch"}:
                found[operation["operationId"]] = (method.upper(), path, operation)
    return found


def ref_name(node: dict[str, Any]) -> str:
    return str(node["$ref"]).rsplit("/", 1)[-1]


def result_of(spec: dict[str, Any], operation: dict[str, Any]) -> str | None:
    """The table's notation for the operation's 200 payload."""
    content = operation["responses"]["200"]["content"]
    if "application/pdf" in content:
        return "pdf"
    envelope = spec["components"]["schemas"][ref_name(content["application/json"]["schema"])]
    data = envelope["properties"]["data"]
    if data.get("type") == "null":
        return None
    (payload,) = [option for option in data["oneOf"] if option.get("type") != "null"]
    if payload.get("type") == "array":
        return f"list[{ref_name(payload['items'])}]"
    return ref_name(payload)


def deprecated_twins(spec: dict[str, Any]) -> dict[str, str]:
    """twin -> the operation it answers like (`x-twin-of`)."""
    found = spec_operations(spec).items()
    return {name: op["x-twin-of"] for name, (_, _, op) in found if "x-twin-of" in op}


def test_every_spec_operation_but_login_and_deprecated_twins_is_in_the_table(spec):
    # A deprecated twin (a published client's other path for an operation) is served by
    # the emulator for that client; the SDK calls the operation it twins instead.
    expected = set(spec_operations(spec)) - {"api_login"} - set(deprecated_twins(spec))
    assert expected == set(OPERATIONS)


def test_a_deprecated_twin_is_a_published_path_answering_like_the_sdks_operation(spec):
    operations = spec_operations(spec)
    twins = {"snapshots": "snapshot_list", "take_snapshot": "snapshot_instance"}
    assert deprecated_twins(spec) == twins
    for twin, of in twins.items():
        _, path, operation = operations[twin]
        assert operation["deprecated"] is True
        assert path.rsplit("/", 1)[-1] == twin  # named after its path
        assert operation["x-path-source"] == "published"
        assert f"`{of}`" in operation["description"]
        assert result_of(spec, operation) == OPERATIONS[of].result
        body = operation.get("requestBody")
        form = body and ref_name(body["content"]["application/x-www-form-urlencoded"]["schema"])
        assert form == OPERATIONS[of].form


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_a_table_row_matches_its_spec_operation(spec, name):
    method, path, operation = spec_operations(spec)[name]
    row = OPERATIONS[name]
    assert (row.method, row.path) == (method, path)
    assert row.group == operation["tags"][0]
    assert row.since == operation.get("x-since")
    assert row.result == result_of(spec, operation)
    body = operation.get("requestBody")
    form_schema = body and ref_name(body["content"]["application/x-www-form-urlencoded"]["schema"])
    assert row.form == form_schema
    query = tuple(
        p.get("name") or spec["components"]["parameters"][ref_name(p)]["name"]
        for p in operation.get("parameters", [])
    )
    assert row.query == query
    # GETs change nothing; of the POSTs only peak_transaction is documented as a read.
    assert (row.kind is Kind.READ) == (method == "GET" or name == "peak_transaction")


def test_api_list_names_every_seed_function_once():
    names = [row.name for row in api_functions()]
    assert len(names) == len(set(names))
    assert set(names) == set(OPERATIONS) | SEED_FUNCTIONS_NOT_IN_SPEC


def public_models() -> list[type[Model]]:
    return [
        getattr(module, name)
        for module in (_models, _catalog)
        for name in module.__all__
        if isinstance(getattr(module, name), type) and issubclass(getattr(module, name), Model)
    ]


# The SDK's own wrappers of a bare list the service answers: model -> (field, item schema).
SDK_ONLY_MODELS = {_models.PortList: ("port_list", "Port")}


def test_an_sdk_only_model_wraps_a_list_the_spec_answers(spec):
    operations = spec_operations(spec)
    for model, (field, item) in SDK_ONLY_MODELS.items():
        assert model.__name__ not in spec["components"]["schemas"]
        assert [f.name for f in dataclasses.fields(model) if f.name != "extra"] == [field]
        wrapped = {name for name, row in OPERATIONS.items() if row.result == f"list[{item}]"}
        assert wrapped, model.__name__
        for name in wrapped:
            assert result_of(spec, operations[name][2]) == f"list[{item}]"
            plan = getattr(Methods, name).plan
            assert typing.get_type_hints(plan)["return"].__args__[-1] is model


@pytest.mark.parametrize(
    "model",
    [model for model in public_models() if model not in SDK_ONLY_MODELS],
    ids=lambda model: model.__name__,
)
def test_a_public_model_has_its_schemas_fields_and_required_ones(spec, model):
    schema = spec["components"]["schemas"][model.__name__]
    fields = {f.name: f for f in dataclasses.fields(model) if f.name != "extra"}
    assert set(fields) == set(schema["properties"])
    required = {
        name
        for name, f in fields.items()
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    assert required == set(schema.get("required", []))
    hints = typing.get_type_hints(model)
    for name, prop in schema["properties"].items():
        json_type = prop.get("type") if isinstance(prop.get("type"), str) else ""
        expected = {"string": str, "integer": int, "number": float, "boolean": bool}.get(json_type)
        if expected is not None:
            options = typing.get_args(hints[name]) or (hints[name],)
            assert expected in options, f"{model.__name__}.{name}"


def spec_fields(spec: dict[str, Any], operation: dict[str, Any]) -> set[str]:
    """The names an operation takes: its form schema's properties or its query parameters."""
    body = operation.get("requestBody")
    if body:
        schema = ref_name(body["content"]["application/x-www-form-urlencoded"]["schema"])
        return set(spec["components"]["schemas"][schema]["properties"])
    return {
        p.get("name") or spec["components"]["parameters"][ref_name(p)]["name"]
        for p in operation.get("parameters", [])
    }


# Keywords that steer the SDK and are never sent (the launches' idempotency by tag).
CLIENT_SIDE = {
    "launch_ondemand_instance": {"if_tag_exists"},
    "launch_subcription_instance": {"if_tag_exists"},
}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_a_methods_keyword_arguments_are_its_operations_fields(spec, name):
    plan = Methods.__dict__[name].plan
    parameters = inspect.signature(plan).parameters.values()
    keywords = {p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY}
    keywords -= CLIENT_SIDE.get(name, set())
    assert keywords == spec_fields(spec, spec_operations(spec)[name][2])
    takes_form = any(p.kind is inspect.Parameter.POSITIONAL_ONLY for p in parameters)
    assert takes_form == bool(keywords)


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_operation_is_a_method_of_both_clients_and_a_module_function(name):
    import gpueater
    from gpueater_ext import AsyncGPUEater, GPUEater

    assert isinstance(vars(Methods)[name], Method)  # the table's entry, and the clients' defs:
    assert inspect.getattr_static(GPUEater, name).__name__ == vars(Methods)[name].plan.__name__
    assert inspect.iscoroutinefunction(inspect.getattr_static(AsyncGPUEater, name))
    assert name in gpueater.__all__
    assert callable(getattr(gpueater, name))
