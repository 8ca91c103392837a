"""An argument a method does not take is an InvalidArgumentError that names it (and the
closest keyword the method does take), for every method of both clients, before anything
is sent. The methods come from the method table, so a new one is covered by itself."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from gpueater_ext import AsyncGPUEater, GPUEater, InvalidArgumentError
from gpueater_ext._methods import Method, Methods

METHODS = sorted(name for name, value in vars(Methods).items() if isinstance(value, Method))
# Nothing listens here: a method that sent anything would fail with a connection error.
NOWHERE = "http://127.0.0.1:9"


def keywords(name: str) -> list[str]:
    method: Method[..., object] = vars(Methods)[name]
    return [
        p.name
        for p in inspect.signature(method.plan).parameters.values()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]


def misspelt(keyword: str) -> str:
    return keyword[:-1] + ("x" if keyword[-1] != "x" else "y")


@pytest.fixture
def eater():
    with GPUEater(NOWHERE, access_token="a", secret_token="b") as client:
        yield client


@pytest.mark.parametrize("name", METHODS)
def test_an_unknown_keyword_is_an_invalid_argument_naming_it(eater, name):
    with pytest.raises(InvalidArgumentError) as raised:
        getattr(eater, name)(bogus=1)
    assert "no keyword argument 'bogus'" in str(raised.value)
    assert not isinstance(raised.value.__cause__, TypeError)


# A two-letter keyword (delete_ssh_key's `id`) has no "closest" spelling worth proposing.
@pytest.mark.parametrize("name", [n for n in METHODS if max(map(len, keywords(n)), default=0) > 3])
def test_a_misspelt_keyword_is_answered_with_the_closest_one(eater, name):
    wanted = max(keywords(name), key=len)
    with pytest.raises(InvalidArgumentError) as raised:
        getattr(eater, name)(**{misspelt(wanted): 1})
    assert f"did you mean {wanted!r}?" in str(raised.value)


def test_the_issue_examples(eater):
    with pytest.raises(InvalidArgumentError, match=r"'prot'; did you mean 'port'\?"):
        eater.open_port("web-1", prot=1)
    with pytest.raises(InvalidArgumentError, match="'bogus'"):
        eater.launch_ondemand_instance(product_id=1, image="x", ssh_key_id=1, bogus=1)
    with pytest.raises(InvalidArgumentError, match="too many positional arguments"):
        eater.image_list("extra")


@pytest.mark.parametrize("name", METHODS)
def test_the_async_client_checks_the_same_way(name):
    async def call() -> None:
        async with AsyncGPUEater(NOWHERE, access_token="a", secret_token="b") as client:
            await getattr(client, name)(bogus=1)

    with pytest.raises(InvalidArgumentError, match="'bogus'"):
        asyncio.run(call())
