"""The fixtures work: a real server answers, and the in-process app logs in."""

from __future__ import annotations

import httpx
import pytest


def test_server_logs_in_and_lists_images(emulator):
    with httpx.Client(base_url=emulator.url, timeout=10) as client:
        login = client.post(
            "/api_login", data={"email": emulator.email, "password": emulator.password}
        )
        assert login.json() == {"data": None, "error": None}
        images = client.get("/console/servers/images").json()["data"]
    assert "Ubuntu16.04 x64" in {image["name"] for image in images}
    assert emulator.state()["requests"] == {"api_login": 1, "image_list": 1}


@pytest.mark.anyio
async def test_in_process_app_answers_the_session_timeout_redirect(emulator_app):
    transport = httpx.ASGITransport(app=emulator_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as client:
        answer = await client.get("/console/servers/instance_list")
    assert answer.status_code == 302
    assert answer.headers["location"] == "/login?state=session_timeout"
