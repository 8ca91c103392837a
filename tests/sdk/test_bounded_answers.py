"""Answers are read within bounds: a size cap (settable on the client, a cap of its own for
the invoice PDF), a total deadline per call, and a parser that cannot recurse away. Past a
bound a call is an APIError naming the operation, raised in bounded memory."""

from __future__ import annotations

import asyncio
import gzip
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

import gpueater
from gpueater_ext import APIError, AsyncGPUEater, GPUEater, InvalidArgumentError
from tests.sdk.fakes import BASE_URL, EMAIL, PASSWORD, instance
from tests.sdk.hostile_answers import hostile_service

MiB = 1 << 20
REPOSITORY = Path(__file__).resolve().parents[2]


def serving(body: bytes, **headers: str) -> httpx.MockTransport:
    def respond(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api_login":
            cookie = {"set-cookie": "gpueater_session=s3ss10n-value; Path=/"}
            return httpx.Response(200, json={"data": None, "error": None}, headers=cookie)
        return httpx.Response(200, content=body, headers=headers)

    return httpx.MockTransport(respond)


def envelope(data: Any) -> bytes:
    return json.dumps({"data": data, "error": None}).encode()


@pytest.mark.parametrize("mode", ["oversized", "endless", "gzip_bomb"])
def test_an_answer_past_the_cap_fails_in_bounded_memory(mode: str) -> None:
    # A fresh process, so its peak resident size is this call's.
    probe = subprocess.run(
        [sys.executable, "-m", "tests.sdk.hostile_answers", "probe", mode],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=REPOSITORY,  # where `tests` imports from
    )
    outcome = json.loads(probe.stdout)
    assert outcome["error"] == "APIError"
    assert outcome["message"].startswith("instance_list: ")
    assert "larger than 33554432 bytes" in outcome["message"]
    assert outcome["peak_rss"] < 3 * 32 * MiB + 50 * 1000 * 1000


def test_an_answer_trickling_in_fails_at_the_call_deadline_sync_and_async() -> None:
    with hostile_service("trickle") as url:
        with (
            GPUEater(url, email=EMAIL, password=PASSWORD, call_deadline=0.5) as eater,
            pytest.raises(APIError, match=r"instance_list: .*call deadline") as sync,
        ):
            eater.instance_list()

        async def run() -> None:
            async with AsyncGPUEater(
                url, email=EMAIL, password=PASSWORD, call_deadline=0.5
            ) as eater:
                await eater.instance_list()

        with pytest.raises(APIError, match=r"instance_list: .*call deadline") as in_async:
            asyncio.run(run())
    assert sync.value.operation == in_async.value.operation == "instance_list"


def test_the_cap_is_settable_on_the_client() -> None:
    body = envelope([instance(str(n)) for n in range(20)])
    roomy = GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, transport=serving(body))
    tight = GPUEater(
        BASE_URL,
        email=EMAIL,
        password=PASSWORD,
        transport=serving(body),
        max_response_bytes=len(body) - 1,
    )
    with roomy, tight:
        assert len(roomy.instance_list()) == 20
        with pytest.raises(APIError, match=f"larger than {len(body) - 1} bytes"):
            tight.instance_list()


def test_a_compressed_answer_is_capped_after_decompression() -> None:
    body = envelope([instance(str(n)) for n in range(200)])
    packed = gzip.compress(body)
    eater = GPUEater(
        BASE_URL,
        email=EMAIL,
        password=PASSWORD,
        transport=serving(packed, **{"content-encoding": "gzip"}),
        max_response_bytes=len(packed) * 2,
    )
    with eater, pytest.raises(APIError, match="larger than"):
        eater.instance_list()


def test_the_invoice_pdf_has_a_cap_of_its_own() -> None:
    pdf = b"%PDF-1.4\n" + b"0" * 5000
    pdf_type = {"content-type": "application/pdf"}

    def client(max_response_bytes: int | None = None, max_pdf_bytes: int | None = None) -> GPUEater:
        return GPUEater(
            BASE_URL,
            email=EMAIL,
            password=PASSWORD,
            transport=serving(pdf, **pdf_type),
            max_response_bytes=max_response_bytes,
            max_pdf_bytes=max_pdf_bytes,
        )

    with client(max_response_bytes=100) as small_json_cap:
        assert small_json_cap.make_invoice(invoice_id="1") == pdf
    with (
        client(max_pdf_bytes=1000) as small_pdf_cap,
        pytest.raises(APIError, match=r"make_invoice: .*larger than 1000 bytes"),
    ):
        small_pdf_cap.make_invoice(invoice_id="1")


def test_a_deeply_nested_answer_is_an_api_error_in_the_sdk_and_the_module_api() -> None:
    nested = b'{"data": ' + b"[" * 200_000 + b"]" * 200_000 + b', "error": null}'
    eater = GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, transport=serving(nested))
    with eater:
        with pytest.raises(APIError, match=r"instance_list: .*nested too deeply"):
            eater.instance_list()
        gpueater.set_client(eater)
        with pytest.raises(APIError, match="nested too deeply"):
            gpueater.instance_list()


@pytest.mark.parametrize(
    "limits",
    [{"max_response_bytes": 0}, {"max_pdf_bytes": -1}, {"call_deadline": 0}],
)
def test_nonsense_limits_are_refused(limits: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgumentError):
        GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, **limits)
