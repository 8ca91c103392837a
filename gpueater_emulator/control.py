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

from .faults import FaultSpecError
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

    async def spec_document(request: Request) -> Response:
        return Response(find_spec_path().read_bytes(), media_type="application/yaml")

    return [
        Route("/_emulator/state", state, methods=["GET"]),
        Route("/_emulator/reset", reset, methods=["POST"]),
        Route("/_emulator/faults", add_fault, methods=["POST"]),
        Route("/_emulator/faults", clear_faults, methods=["DELETE"]),
        Route("/_emulator/clock", advance_clock, methods=["POST"]),
        Route("/_emulator/openapi.yaml", spec_document, methods=["GET"]),
    ]
