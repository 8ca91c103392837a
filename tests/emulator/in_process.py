"""A small synchronous client for the in-process ASGI app, for tests that move its clock."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from starlette.applications import Starlette

from tests.support.emulator_process import DEMO_EMAIL, DEMO_PASSWORD


class InProcessClient:
    """Each call runs to completion on a private event loop; cookies persist between calls."""

    def __init__(self, app: Starlette) -> None:
        self._loop = asyncio.new_event_loop()
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://emulator"
        )

    def __enter__(self) -> InProcessClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._loop.run_until_complete(self._client.aclose())
        self._loop.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self._loop.run_until_complete(self._client.request(method, path, **kwargs))

    def log_in(self) -> None:
        answer = self.request(
            "POST", "/api_login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        )
        assert answer.json() == {"data": None, "error": None}

    def data(self, method: str, path: str, **kwargs: Any) -> Any:
        """The payload of a call that must succeed."""
        answer = self.request(method, "/console/servers/" + path, **kwargs)
        assert answer.status_code == 200, answer.status_code
        envelope = answer.json()
        assert envelope["error"] is None, envelope["error"]
        return envelope["data"]

    def error(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """The error object of a call that must be refused."""
        answer = self.request(method, "/console/servers/" + path, **kwargs)
        envelope = answer.json()
        assert envelope["data"] is None
        error: dict[str, Any] = envelope["error"]
        return error
