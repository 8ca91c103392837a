"""Every operation, called through the generated client against respx: the request is what
the spec says, and the spec's example answer parses into the typed model."""

from __future__ import annotations

import importlib
import json
import re
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from gpueater_client import Client
from gpueater_client.types import File

from tests.spec.expected import OPERATIONS, operations

BASE_URL = "https://gpueater.test"


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        _, *parts = node["$ref"].split("/")
        found: Any = spec
        for part in parts:
            found = found[part]
        node = found
    return node


def find_operation(spec: dict[str, Any], operation_id: str) -> tuple[str, str, dict[str, Any]]:
    for path, method, operation in operations(spec):
        if operation["operationId"] == operation_id:
            return path, method, operation
    raise LookupError(operation_id)


def call_arguments(
    spec: dict[str, Any], operation: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """Keyword arguments for the generated function, and the query and form it should send."""
    kwargs: dict[str, Any] = {}
    query: dict[str, str] = {}
    form: dict[str, str] = {}
    for parameter in operation.get("parameters", []):
        parameter = resolve(spec, parameter)
        kwargs[parameter["name"]] = parameter["example"]
        query[parameter["name"]] = str(parameter["example"])
    if "requestBody" in operation:
        media = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]
        schema_name = media["schema"]["$ref"].rsplit("/", 1)[-1]
        model = getattr(
            importlib.import_module(f"gpueater_client.models.{snake(schema_name)}"), schema_name
        )
        kwargs["body"] = model.from_dict(media["example"])
        form = {key: str(value) for key, value in media["example"].items()}
    return kwargs, query, form


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_operation_request_and_example(spec, operation_id):
    path, method, operation = find_operation(spec, operation_id)
    tag_module = operation["tags"][0].lower().replace(" ", "_")
    module = importlib.import_module(f"gpueater_client.api.{tag_module}.{operation_id}")
    kwargs, query, form = call_arguments(spec, operation)
    (content_type, media), *_ = operation["responses"]["200"]["content"].items()
    example = media["example"]
    if content_type == "application/json":
        answer = httpx.Response(200, json=example)
    else:
        answer = httpx.Response(
            200, content=example.encode(), headers={"Content-Type": content_type}
        )

    with respx.mock(assert_all_called=True) as router:
        route = router.request(method.upper(), BASE_URL + path).mock(return_value=answer)
        with Client(base_url=BASE_URL) as client:
            response = module.sync_detailed(client=client, **kwargs)

    request = route.calls.last.request
    assert request.method == method.upper()
    assert request.url.path == path
    assert {key: values[0] for key, values in parse_qs(request.url.query.decode()).items()} == query
    if "requestBody" in operation:
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        sent = {key: values[0] for key, values in parse_qs(request.content.decode()).items()}
        assert sent == form
    else:
        assert request.content == b""

    parsed = response.parsed
    if content_type == "application/json":
        # A round trip through the typed model gives back the example exactly: nothing was
        # left as a raw dict or dropped.
        assert type(parsed).__name__.endswith("Envelope")
        assert json.loads(json.dumps(parsed.to_dict())) == example
        assert parsed.error is None
        data = parsed.data
        items = data if isinstance(data, list) else [data]
        assert not any(isinstance(item, dict) for item in items)
    else:
        assert isinstance(parsed, File)
        assert parsed.payload.read() == example.encode()


def test_session_timeout_redirect_is_not_followed(spec):
    """A 302 to the login page reaches the caller as a 302, never as the HTML page."""
    from gpueater_client.api.instance import instance_list

    login_page = BASE_URL + "/login?state=session_timeout"
    with respx.mock(assert_all_called=False) as router:
        router.get(BASE_URL + "/console/servers/instance_list").mock(
            return_value=httpx.Response(302, headers={"Location": login_page}, text=REDIRECT_HTML)
        )
        page = router.get(login_page).mock(return_value=httpx.Response(200, text="<html>"))
        with Client(base_url=BASE_URL) as client:
            response = instance_list.sync_detailed(client=client)
    assert response.status_code == 302
    # The documented HTML body comes through as text; nothing tries to read it as JSON.
    assert response.parsed == REDIRECT_HTML
    assert not page.called


REDIRECT_HTML = "<p>Found. Redirecting to /login?state=session_timeout</p>"
