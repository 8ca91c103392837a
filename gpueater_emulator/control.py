"""The emulator's own control interface under /_emulator (not part of the public spec).

It speaks plain JSON with ordinary HTTP status codes: it is a tool for tests and demos,
not an imitation of the service.
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .errors import ApiError
from .faults import FaultSpecError
from .handlers.instances import seed_running_instances
from .records import iso_time
from .runtime import EmulatorRuntime
from .spec import find_spec_path

__all__ = ["control_routes"]


async def _json_body(request: Request) -> Any:
    try:
        return json.loads(await request.body() or b"{}")
    except ValueError:
        return None


# The clock may not pass the start of year 9000: dates are formatted (created_at, billing
# periods) and datetime ends at year 9999, so one huge advance would make every later call,
# reset included, fail with HTTP 500 until the emulator is restarted.
_LATEST_CLOCK = 221_845_392_000.0  # 9000-01-01T00:00:00Z


def _refuse(message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=400)


# Enough for the benchmark's 2,000-instance account and more; a bound so that one mistyped
# count cannot exhaust the emulator's memory.
MOST_SEEDED_INSTANCES = 10_000
_SEED_TEXT_FIELDS = ("product_id", "image", "ssh_key_id")


def _seed_request_error(body: Any) -> str | None:
    """What is wrong with a seeding request, or None."""
    if not isinstance(body, dict):
        return "body: must be a JSON object"
    count = body.get("count")
    if isinstance(count, bool) or not isinstance(count, int):
        return "count: must be a whole number"
    if not 1 <= count <= MOST_SEEDED_INSTANCES:
        return f"count: must be between 1 and {MOST_SEEDED_INSTANCES}"
    for name in _SEED_TEXT_FIELDS:
        if not isinstance(body.get(name), str) or not body[name]:
            return f"{name}: must be a non-empty string (as launch_ondemand_instance takes it)"
    unknown = sorted(set(body) - {"count", *_SEED_TEXT_FIELDS})
    if unknown:
        return f"{unknown[0]}: not a field of this request (count, {', '.join(_SEED_TEXT_FIELDS)})"
    return None


def control_routes(runtime: EmulatorRuntime) -> list[BaseRoute]:
    async def state(request: Request) -> Response:
        described = runtime.state_json()
        runtime.commit()  # a look settles due transitions
        return JSONResponse(described)

    async def reset(request: Request) -> Response:
        runtime.reset()
        return JSONResponse(runtime.state_json())

    async def add_fault(request: Request) -> Response:
        try:
            fault = runtime.faults.add(await _json_body(request))
        except FaultSpecError as refused:
            return _refuse(str(refused))
        return JSONResponse({"added": fault.as_json(), "faults": runtime.faults.as_json()}, 201)

    async def clear_faults(request: Request) -> Response:
        runtime.faults.clear()
        return JSONResponse({"faults": []})

    async def advance_clock(request: Request) -> Response:
        body = await _json_body(request)
        seconds = body.get("seconds") if isinstance(body, dict) else None
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not math.isfinite(seconds)
            or seconds < 0
        ):
            return _refuse("seconds: must be a finite number of at least 0")
        if runtime.settings.clock.now() + seconds > _LATEST_CLOCK:
            return _refuse("seconds: would move the clock past the year 9000")
        runtime.settings.clock.advance(float(seconds))
        runtime.commit()
        return JSONResponse({"now": iso_time(runtime.settings.clock.now())})

    async def seed_instances(request: Request) -> Response:
        body = await _json_body(request)
        refused = _seed_request_error(body)
        if refused is not None:
            return _refuse(refused)
        if runtime.settings.ssh_machines is not None:
            return _refuse("seeding makes no SSH machines: use it without --sshd")
        try:
            seeded = seed_running_instances(
                runtime.world, body["count"], body["product_id"], body["image"], body["ssh_key_id"]
            )
        except ApiError as refusal:
            return _refuse(refusal.message)
        runtime.commit()
        return JSONResponse({"instance_ids": [instance.instance_id for instance in seeded]}, 201)

    async def spec_document(request: Request) -> Response:
        return Response(find_spec_path().read_bytes(), media_type="application/yaml")

    return [
        Route("/_emulator/state", state, methods=["GET"]),
        Route("/_emulator/reset", reset, methods=["POST"]),
        Route("/_emulator/faults", add_fault, methods=["POST"]),
        Route("/_emulator/faults", clear_faults, methods=["DELETE"]),
        Route("/_emulator/clock", advance_clock, methods=["POST"]),
        Route("/_emulator/instances", seed_instances, methods=["POST"]),
        Route("/_emulator/openapi.yaml", spec_document, methods=["GET"]),
    ]
