"""A small fake of the GPUEater service for respx: sessions, login and a few operations.

Just enough state to exercise the SDK's call path; the real behaviour is tested against
the emulator in the integration tests.
"""

from __future__ import annotations

import itertools
import threading
from typing import Any
from urllib.parse import parse_qs

import httpx
import respx

from gpueater_ext import GPUEater

BASE_URL = "https://gpueater.test"
EMAIL, PASSWORD = "user@example.com", "planted-password-7f3a"
ACCESS_TOKEN, SECRET_TOKEN = "planted-access-token-19c2", "planted-secret-token-5d8e"
S = "/console/servers/"


SESSION_TIMEOUT_LOCATION = "/login?state=session_timeout"


def session_timeout() -> httpx.Response:
    """The service's session-timeout answer: a 302 to the login page with a short HTML body
    (spec, `SessionTimeout`)."""
    body = f'<p>Found. Redirecting to <a href="{SESSION_TIMEOUT_LOCATION}">here</a></p>'
    return httpx.Response(
        302,
        headers={"location": SESSION_TIMEOUT_LOCATION, "content-type": "text/html; charset=utf-8"},
        text=body,
    )


def envelope(data: Any = None, error: Any = None) -> httpx.Response:
    return httpx.Response(200, json={"data": data, "error": error})


def instance(
    instance_id: str = "10001", tag: str = "box", state: str = "RUNNING"
) -> dict[str, Any]:
    return {
        "instance_id": instance_id,
        "machine_resource_id": f"m{instance_id}",
        "connection_id": f"c{instance_id}",
        "tag": tag,
        "state": state,
        "ipv4": "203.0.113.10",
        "sshd_port": 2222,
        "sshd_user": "ubuntu",
        "ssh_key_file_name": "my_key",
    }


def form_of(request: httpx.Request) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(request.content.decode()).items()}


class FakeService:
    """Routes: /api_login issues a new session cookie; every other route answers a 302 to the
    login page unless the request carries the current session."""

    def __init__(self, router: respx.MockRouter) -> None:
        self.router = router
        self.logins = 0
        self.valid_session: str | None = None
        self.instances: list[dict[str, Any]] = []
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        router.post("/api_login").mock(side_effect=self._login)
        self.route("GET", "instance_list", lambda request: envelope(self.instances))
        self.route("POST", "launch_ondemand_instance", self._launch)
        self.route("POST", "change_instance_tag", self._change_tag)

    def _login(self, request: httpx.Request) -> httpx.Response:
        form = form_of(request)
        good = (form.get("email"), form.get("password")) == (EMAIL, PASSWORD) or (
            form.get("access_token"),
            form.get("secret_token"),
        ) == (ACCESS_TOKEN, SECRET_TOKEN)
        if not good:
            return envelope(error={"message": "wrong email or password", "code": "auth"})
        with self._lock:
            self.logins += 1
            self.valid_session = f"planted-session-{next(self._counter)}-aa91"
            cookie = f"gpueater_session={self.valid_session}; Path=/; HttpOnly"
        return httpx.Response(
            200, json={"data": None, "error": None}, headers={"set-cookie": cookie}
        )

    def expire_session(self) -> None:
        self.valid_session = None

    def guarded(self, handler: Any) -> Any:
        def answer(request: httpx.Request) -> httpx.Response:
            cookie = request.headers.get("cookie", "")
            if self.valid_session is None or f"gpueater_session={self.valid_session}" not in cookie:
                return session_timeout()
            response: httpx.Response = handler(request)
            return response

        return answer

    def route(self, method: str, operation_path: str, handler: Any) -> respx.Route:
        """Answer `method S+operation_path` with `handler` (replacing an earlier handler)."""
        if operation_path in self.router.routes:
            route: respx.Route = self.router.routes[operation_path]
        else:
            route = self.router.route(method=method, path=S + operation_path, name=operation_path)
        route.mock(side_effect=self.guarded(handler))
        return route

    def _change_tag(self, request: httpx.Request) -> httpx.Response:
        form = form_of(request)
        for found in self.instances:
            if found["instance_id"] == form.get("instance_id"):
                found["tag"] = form.get("tag", "")
                return envelope(found)
        return envelope(error={"message": "instance_id: no such instance", "code": "not_found"})

    def _launch(self, request: httpx.Request) -> httpx.Response:
        form = form_of(request)
        self.instances.append(
            instance(
                str(10000 + len(self.instances) + 1), tag=form.get("tag", ""), state="LAUNCHING"
            )
        )
        return envelope()


class FakeTime:
    """A monotonic clock that only moves when the client sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


def client(fake_time: FakeTime) -> GPUEater:
    return GPUEater(
        BASE_URL, email=EMAIL, password=PASSWORD, sleep=fake_time.sleep, clock=fake_time.clock
    )
