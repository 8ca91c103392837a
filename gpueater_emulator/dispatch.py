"""The path of one API call: count it, maybe misbehave, check the session, validate, act,
and (with a state folder) commit what it changed before the answer goes out.

Order matters and is part of the fault contract: faults of the BEFORE_EFFECT kinds answer
before the session check and before the handler runs; AFTER_EFFECT kinds spoil the answer
of a call whose effect has been applied.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from .arguments import Arguments
from .connections import DroppedAnswer
from .errors import ApiError, envelope, error_envelope
from .faults import Fault
from .handlers import DocumentAnswer, Handler
from .html_pages import (
    MAINTENANCE_PAGE_HTML,
    SESSION_TIMEOUT_LOCATION,
    SESSION_TIMEOUT_REDIRECT_HTML,
)
from .lifecycle import advance
from .runtime import EmulatorRuntime
from .sessions import SESSION_COOKIE
from .spec import SpecOperation
from .validation import (
    coerce_arguments,
    validate_error_envelope,
    validate_request,
    validate_response,
)

__all__ = ["operation_endpoint"]

Endpoint = Callable[[Request], Awaitable[Response]]
_FORM = "application/x-www-form-urlencoded"


def session_timeout() -> Response:
    return HTMLResponse(
        SESSION_TIMEOUT_REDIRECT_HTML,
        status_code=302,
        headers={"location": SESSION_TIMEOUT_LOCATION},
    )


async def _raw_arguments(request: Request, operation: SpecOperation) -> dict[str, str]:
    if operation.form_schema is None:
        return dict(request.query_params)
    media_type = request.headers.get("content-type", _FORM).split(";")[0].strip().lower()
    if media_type != _FORM:
        raise ApiError(f"the body must be {_FORM}, not {media_type}", "invalid_request")
    fields: dict[str, str] = {}
    body = (await request.body()).decode("utf-8", errors="replace")
    for name, value in parse_qsl(body, keep_blank_values=True):
        fields.setdefault(name, value)
    return fields


async def _before_effect(
    fault: Fault, request: Request, runtime: EmulatorRuntime
) -> Response | None:
    """The fault's answer, or None when the call should go on (a finished delay)."""
    if fault.kind == "delay":
        await asyncio.sleep(fault.seconds or 0.0)
        return None
    if fault.kind == "http_500":
        return Response("Internal Server Error", status_code=500, media_type="text/plain")
    if fault.kind == "http_503":
        return Response(
            "Service Unavailable", 503, headers={"Retry-After": "1"}, media_type="text/plain"
        )
    if fault.kind == "rate_limit_429":
        return Response(
            "Too Many Requests", 429, headers={"Retry-After": "1"}, media_type="text/plain"
        )
    if fault.kind == "session_timeout":
        runtime.sessions.drop(request.cookies.get(SESSION_COOKIE))
        return session_timeout()
    if fault.kind == "drop_before_commit":
        return DroppedAnswer(runtime.connections)
    raise AssertionError(f"not a before-effect fault: {fault.kind}")


def _after_effect(fault: Fault, answer: Response, runtime: EmulatorRuntime) -> Response:
    if fault.kind == "drop_after_commit":
        return DroppedAnswer(runtime.connections, full_body=bytes(answer.body))
    if fault.kind == "html_page":
        return HTMLResponse(MAINTENANCE_PAGE_HTML, status_code=200)
    if fault.kind == "malformed_json":
        # Any strict prefix of a JSON object is not JSON.
        body = bytes(answer.body)
        return Response(body[: max(1, len(body) // 2)], media_type="application/json")
    raise AssertionError(f"not an after-effect fault: {fault.kind}")


def _json_answer(runtime: EmulatorRuntime, operation: SpecOperation, payload: Any) -> Response:
    if runtime.settings.validate_responses:
        if payload.get("error") is not None:
            validate_error_envelope(payload)
        else:
            validate_response(operation, payload)
    return JSONResponse(payload)


def _log_in(runtime: EmulatorRuntime, operation: SpecOperation, values: dict[str, Any]) -> Response:
    """api_login has no handler: its answer is a cookie, not a payload."""
    session = runtime.sessions.log_in({name: str(value) for name, value in values.items()})
    answer = _json_answer(runtime, operation, envelope(None))
    answer.set_cookie(
        SESSION_COOKIE,
        session,
        max_age=int(runtime.settings.session_ttl),
        path="/",
        httponly=True,
        samesite="lax",
    )
    return answer


async def _answer(
    request: Request, runtime: EmulatorRuntime, operation: SpecOperation, handler: Handler
) -> Response:
    try:
        values = coerce_arguments(operation, await _raw_arguments(request, operation))
        if runtime.settings.validate_requests:
            validate_request(operation, values)
        if operation.operation_id == "api_login":
            return _log_in(runtime, operation, values)
        advance(runtime.world)
        # Settled transitions start their sshds before the handler builds its answer, so an
        # answer never reports a port that the sshd's start then changed.
        runtime.sync_machines()
        try:
            result = handler(runtime.world, Arguments(values))
        finally:
            # Writes change states: they may start or stop an instance's sshd.
            runtime.sync_machines()
    except ApiError as refused:
        return _json_answer(runtime, operation, error_envelope(refused))
    if isinstance(result, DocumentAnswer):
        if runtime.settings.validate_responses:
            validate_response(operation, result.content)
        disposition = f'inline; filename="{result.filename}"'
        return Response(
            result.content,
            media_type=result.media_type,
            headers={"Content-Disposition": disposition},
        )
    return _json_answer(runtime, operation, envelope(result))


def operation_endpoint(
    runtime: EmulatorRuntime, operation: SpecOperation, handler: Handler
) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        runtime.record_call(operation.operation_id, request.scope)
        # Read the whole request first, as a server does before it works on it: a client
        # that gives up during a delay must not stop a call that has already arrived.
        await request.body()
        if runtime.settings.latency_ms:
            await asyncio.sleep(runtime.settings.latency_ms / 1000)
        fault = runtime.faults.take(operation.operation_id, before_effect=True)
        if fault is not None:
            refused = await _before_effect(fault, request, runtime)
            if refused is not None:
                runtime.commit()  # a session_timeout fault ended a session
                return refused
        if operation.needs_session and not runtime.sessions.is_valid(
            request.cookies.get(SESSION_COOKIE)
        ):
            return session_timeout()
        answer = await _answer(request, runtime, operation, handler)
        # The call's one transaction (with a state folder), before any answer is sent: a
        # spoiled answer (drop_after_commit) still reports an effect that is on disk.
        runtime.commit()
        if fault is None:
            # One fault per call: a call that was only delayed spends nothing more.
            spoiler = runtime.faults.take(operation.operation_id, before_effect=False)
            if spoiler is not None:
                return _after_effect(spoiler, answer, runtime)
        return answer

    endpoint.__name__ = operation.operation_id
    return endpoint
