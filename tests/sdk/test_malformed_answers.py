"""Whatever the service answers, a caller gets a typed result or an SDK error: never a
KeyError, TypeError or a raw dict (hypothesis generates the answers)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import respx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gpueater_ext import APIError, GPUEater, Instance, LaunchCatalog
from tests.sdk.fakes import BASE_URL, EMAIL, PASSWORD, instance

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
# Near misses of a valid instance: each field dropped or replaced by any JSON value.
instance_like = st.builds(
    lambda replacements, dropped: {
        **{k: v for k, v in instance().items() if k not in dropped},
        **replacements,
    },
    st.dictionaries(st.sampled_from(sorted(instance())), json_values, max_size=3),
    st.sets(st.sampled_from(sorted(instance())), max_size=2),
)
answers = st.one_of(
    json_values,
    st.fixed_dictionaries({"data": json_values, "error": st.none()}),
    st.fixed_dictionaries({"data": st.lists(instance_like, max_size=3), "error": st.none()}),
)


def outcome(call: Callable[[], Any]) -> Any:
    """The call's result, or the APIError it raised (any other exception fails the test)."""
    try:
        return call()
    except APIError as error:
        return error


def answer_with(body: Any) -> httpx.Response:
    return httpx.Response(200, content=json.dumps(body).encode())


@pytest.mark.slow
def test_any_instance_list_answer_is_a_list_of_instances_or_an_api_error():
    with serving("instance_list") as (answer, eater):

        @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(body=answers)
        def check(body: Any) -> None:
            answer["body"] = body
            result = outcome(eater.instance_list)
            if isinstance(result, APIError):
                assert result.operation == "instance_list"
            else:
                assert all(isinstance(item, Instance) for item in result)

        check()


@pytest.mark.slow
def test_any_catalog_answer_is_a_catalog_or_an_api_error():
    with serving("ondemand_launch_list") as (answer, eater):

        @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(body=st.fixed_dictionaries({"data": json_values, "error": st.none()}))
        def check(body: Any) -> None:
            answer["body"] = body
            result = outcome(eater.ondemand_list)
            if isinstance(result, APIError):
                assert result.operation == "ondemand_list"
            else:
                assert isinstance(result, LaunchCatalog)

        check()


@contextmanager
def serving(path: str) -> Iterator[tuple[dict[str, Any], GPUEater]]:
    """One logged-in client; the service answers `path` with whatever `answer["body"]` is."""
    answer: dict[str, Any] = {"body": None}
    with respx.mock(base_url=BASE_URL) as router:
        router.post("/api_login").mock(return_value=answer_with({"data": None, "error": None}))
        router.get(f"/console/servers/{path}").mock(
            side_effect=lambda request: answer_with(answer["body"])
        )
        with GPUEater(BASE_URL, email=EMAIL, password=PASSWORD) as eater:
            yield answer, eater
