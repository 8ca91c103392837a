"""No exception but GPUEaterError leaves the SDK, whatever bytes, status and headers the
service answers: every operation, through GPUEater, AsyncGPUEater and `import gpueater`
(hypothesis draws the answers; httpx.MockTransport serves them)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import typing
from typing import Any

import attrs
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gpueater
from gpueater_ext import AsyncGPUEater, GPUEater, GPUEaterError
from gpueater_ext._operations import OPERATIONS, Operation
from tests.sdk.fakes import BASE_URL, EMAIL, PASSWORD


def sample_form(operation: Operation) -> dict[str, Any]:
    """A form with every field of the operation filled (the answer is what is under test)."""
    fields: dict[str, Any] = dict.fromkeys(operation.query, "1")
    model = operation.form_model()
    if model is not None:
        hints = typing.get_type_hints(model)
        for field in attrs.fields(model):
            if field.name != "additional_properties":
                kind = str(hints.get(field.name))
                fields[field.name] = 1 if "int" in kind and "str" not in kind else "1"
    return fields


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
header_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries({"data": json_values, "error": json_values}).map(
        lambda value: json.dumps(value).encode()
    ),
    st.integers(1, 100_000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(1, 100_000).map(lambda depth: b'{"data":' + b"[" * depth),
)
answers = st.fixed_dictionaries(
    {
        "status": st.sampled_from([200, 200, 200, 302, 400, 404, 429, 500, 503]),
        "headers": st.dictionaries(
            st.sampled_from(
                ["content-type", "location", "retry-after", "content-encoding", "set-cookie"]
            ),
            header_text
            | st.sampled_from(["/login", "application/pdf", "gzip", "deflate", "br", "1e9"]),
            max_size=3,
        ),
        "body": bodies,
        "login_works": st.booleans(),
    }
)
CLIENTS = ["sync", "async", "module"]


def handler(answer: dict[str, Any]) -> Any:
    def respond(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api_login" and answer["login_works"]:
            cookie = {"set-cookie": "gpueater_session=s3ss10n-value; Path=/"}
            return httpx.Response(200, json={"data": None, "error": None}, headers=cookie)
        return httpx.Response(answer["status"], headers=answer["headers"], content=answer["body"])

    return respond


async def _no_sleep(_seconds: float) -> None:
    return None


def call(client: str, name: str, answer: dict[str, Any]) -> None:
    form = sample_form(OPERATIONS[name])
    arguments = (form,) if form else ()
    transport = httpx.MockTransport(handler(answer))
    if client == "async":

        async def run() -> None:
            async with AsyncGPUEater(
                BASE_URL, email=EMAIL, password=PASSWORD, transport=transport, sleep=_no_sleep
            ) as eater:
                await getattr(eater, name)(*arguments)

        asyncio.run(run())
        return
    with GPUEater(
        BASE_URL, email=EMAIL, password=PASSWORD, transport=transport, sleep=lambda _s: None
    ) as eater:
        if client == "sync":
            getattr(eater, name)(*arguments)
        else:
            gpueater.set_client(eater)
            try:
                getattr(gpueater, name)(*arguments)
            finally:
                gpueater.set_client(None)


@pytest.mark.slow
@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    name=st.sampled_from(sorted(OPERATIONS)),
    client=st.sampled_from(CLIENTS),
    answer=answers,
)
def test_any_answer_to_any_operation_is_a_result_or_a_gpueater_error(
    name: str, client: str, answer: dict[str, Any]
) -> None:
    with contextlib.suppress(GPUEaterError):  # any other exception fails the test
        call(client, name, answer)


def test_every_operation_is_callable_in_all_three_clients() -> None:
    # The property above is only as wide as this: each name exists in each client.
    missing = [
        (where.__name__, name)
        for name in OPERATIONS
        for where in (GPUEater, AsyncGPUEater, gpueater)
        if not hasattr(where, name)
    ]
    assert missing == []
