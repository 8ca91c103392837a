"""The spec's own rules (issue: one operation per function, named schemas, strings for ids)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from openapi_spec_validator import validate

from tests.spec.expected import (
    DEPRECATED,
    OPERATIONS,
    PROJECT_PATHS,
    PUBLISHED_PATHS,
    SPEC_PATH,
    operations,
)


def walk(node: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    yield where, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{where}/{index}")


def test_the_spec_is_a_valid_openapi_3_1_document(spec):
    assert spec["openapi"].startswith("3.1")
    validate(spec, base_uri=SPEC_PATH.as_uri())


def test_every_function_has_exactly_one_operation(spec):
    ids = [operation["operationId"] for _, _, operation in operations(spec)]
    assert sorted(ids) == sorted(OPERATIONS)


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_operation_metadata(spec, operation_id):
    ((path, method, operation),) = [
        found for found in operations(spec) if found[2]["operationId"] == operation_id
    ]
    tag, since = OPERATIONS[operation_id]
    assert operation["tags"] == [tag]
    assert operation.get("x-since") == since
    expected_source = "project" if operation_id in PROJECT_PATHS else "published"
    assert operation["x-path-source"] == expected_source
    assert operation["summary"].strip()
    assert operation["description"].strip()
    if operation_id in PUBLISHED_PATHS:
        assert (method, path) == PUBLISHED_PATHS[operation_id]
    # Reads are GET with a query string; writes are form posts.
    if method == "post":
        assert list(operation["requestBody"]["content"]) == ["application/x-www-form-urlencoded"]
    else:
        assert "requestBody" not in operation
    # Every operation documents its example answer, and the session-timeout redirect.
    (media,) = operation["responses"]["200"]["content"].values()
    assert "example" in media
    if operation_id != "api_login":
        assert operation["responses"]["302"] == {"$ref": "#/components/responses/SessionTimeout"}


def test_stop_instance_and_the_ruby_twins_are_deprecated_and_nothing_else_is(spec):
    deprecated = {op["operationId"] for _, _, op in operations(spec) if op.get("deprecated")}
    assert deprecated == DEPRECATED


def test_the_description_says_why_cards_and_admin_functions_are_left_out(spec):
    description = spec["info"]["description"]
    assert "card_list" in description
    assert "card numbers do not belong" in description
    assert "administrators" in description
    paths = " ".join(spec["paths"])
    assert "card" not in paths
    assert "admin" not in paths.replace("unsubscribe_for_admin", "")


def test_no_inline_object_schemas(spec):
    """Every object is a named component: the generator names inline ones after their place."""
    schemas = spec["components"]["schemas"]
    for name, schema in schemas.items():
        for where, node in walk(schema.get("properties", {}), f"#/components/schemas/{name}"):
            if isinstance(node, dict) and node.get("type") == "object":
                pytest.fail(f"inline object schema at {where}")
    for where, node in walk(spec["paths"], "#/paths"):
        if where.endswith("/schema") and isinstance(node, dict):
            assert "$ref" in node or node.get("type") in {"string", "integer"}, where


def test_ids_are_strings_and_state_is_an_open_string(spec):
    schemas = spec["components"]["schemas"]
    for name, schema in schemas.items():
        for prop, definition in schema.get("properties", {}).items():
            if prop == "id" or prop.endswith("_id"):
                assert definition["type"] in ("string", ["string", "null"]), f"{name}.{prop}"
    state = schemas["Instance"]["properties"]["state"]
    assert state["type"] == "string"
    assert "enum" not in state
    for known in ("LAUNCHING", "RUNNING", "STOPPING", "STOPPED", "TERMINATING"):
        assert known in state["description"]


def test_lifecycle_writes_accept_the_optional_instances_field(spec):
    form = spec["components"]["schemas"]["InstanceActionForm"]
    assert "instances" in form["properties"]
    assert "instances" not in form["required"]
    for _, _, operation in operations(spec):
        if operation["operationId"] in {
            "start_instance",
            "stop_instance",
            "terminate_instance",
            "emergency_restart_instance",
        }:
            body = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]
            assert body["schema"] == {"$ref": "#/components/schemas/InstanceActionForm"}


def test_servers_name_production_and_the_emulator(spec):
    urls = [server["url"] for server in spec["servers"]]
    assert "https://www.gpueater.com" in urls
    assert any(url.startswith("http://127.0.0.1") for url in urls)
