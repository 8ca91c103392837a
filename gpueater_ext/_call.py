"""One attempt of one operation, shared by the sync and async sessions.

`invoke_sync`/`invoke_async` send the request the generated module builds (its
`_get_kwargs`: path, query and form encoding, as its `sync_detailed` sends it) and turn
every httpx or generator exception into the SDK's own. The answer is read within the
bounds of `_bounded.AnswerLimits` (size cap, call deadline). They skip the generated response
parsing on purpose: its attrs models are never used (they do not validate, see `_decode`),
and building them doubled the JSON work of every answer (a 100-instance `instance_list`
cost 1.2 ms more). `interpret` reads the answer:
a redirect to the login page raises LoginRedirect (handled by the session), any other
status than 200 raises UnexpectedResponseError, an error envelope raises APIError with the
server's payload, and the payload is validated into the operation's public model.
"""

from __future__ import annotations

import functools
import json
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from gpueater_ext import _catalog, _models
from gpueater_ext._bounded import (
    DEFAULT_LIMITS,
    Answer,
    AnswerLimits,
    parse_json,
    read_async,
    read_sync,
)
from gpueater_ext._decode import Decoder, decode_none, list_of, model
from gpueater_ext._errors import (
    APIError,
    GPUEaterConnectionError,
    GPUEaterError,
    GPUEaterTimeoutError,
    UnexpectedResponseError,
)
from gpueater_ext._operations import Operation

__all__ = ["LoginRedirect", "interpret", "invoke_async", "invoke_sync", "login_failure"]

_RESULT_MODELS: dict[str, Any] = {
    name: getattr(module, name)
    for module in (_models, _catalog)
    for name in module.__all__
    if isinstance(getattr(module, name), type)
}


class LoginRedirect(Exception):
    """The service redirected to its login page: the session is missing or expired."""


def _closed(operation: str) -> GPUEaterError:
    # httpx's own RuntimeError would be the only non-SDK exception a user could meet.
    return GPUEaterError(f"{operation}: this client has been closed; create a new one")


def invoke_sync(
    operation: Operation,
    client: Any,
    arguments: dict[str, Any],
    limits: AnswerLimits = DEFAULT_LIMITS,
) -> Answer:
    """Send the generated client's request for `operation`; return its answer, the body
    read within `limits`."""
    http = client.get_httpx_client()
    if http.is_closed:
        raise _closed(operation.name)
    try:
        request = http.build_request(**operation.generated_module()._get_kwargs(**arguments))
        return read_sync(http, request, operation.name, limits.cap_for(operation.result), limits)
    except httpx.HTTPError as error:
        raise _transport_error(operation.name, error) from error
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise _unreadable(operation.name) from error


async def invoke_async(
    operation: Operation,
    client: Any,
    arguments: dict[str, Any],
    limits: AnswerLimits = DEFAULT_LIMITS,
) -> Answer:
    """Like `invoke_sync`, with the generated client's async httpx client."""
    http = client.get_async_httpx_client()
    if http.is_closed:
        raise _closed(operation.name)
    try:
        request = http.build_request(**operation.generated_module()._get_kwargs(**arguments))
        cap = limits.cap_for(operation.result)
        return await read_async(http, request, operation.name, cap, limits)
    except httpx.HTTPError as error:
        raise _transport_error(operation.name, error) from error
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise _unreadable(operation.name) from error


def interpret(operation: Operation, response: Answer, *, raw: bool = False) -> Any:
    """The validated result of `operation` from its HTTP answer, or an exception. `raw`:
    the envelope's `data` as JSON, for a caller that decodes only the part it needs (a
    read-back, `_read_back`)."""
    status = int(response.status_code)
    if 300 <= status < 400 and "/login" in response.headers.get("location", ""):
        raise LoginRedirect
    if status != 200:
        raise UnexpectedResponseError(
            f"{operation.name}: the service answered HTTP {status}",
            operation=operation.name,
            status_code=status,
            retry_after=_retry_after(response.headers.get("retry-after")),
        )
    content_type = response.headers.get("content-type", "")
    if operation.result == "pdf" and content_type.startswith("application/pdf"):
        return bytes(response.content)
    body = _envelope(operation.name, response.content, content_type)
    if body["error"] is not None:
        raise APIError(
            f"{operation.name}: {_error_text(body['error'])}",
            operation=operation.name,
            payload=body["error"],
        )
    if raw:
        return body["data"]
    return _decoder(operation.result)(body["data"], operation.name)


def login_failure(content: bytes) -> str | None:
    """The reason an `api_login` answer gives for refusing, or None when it succeeded."""
    try:
        body = json.loads(content)
    except RecursionError:
        return "the service's login answer is nested too deeply to be JSON"
    except ValueError:
        return "the service did not answer the login with JSON"
    if not isinstance(body, dict) or "error" not in body:
        return "the service's login answer is not the JSON envelope"
    return None if body["error"] is None else _error_text(body["error"])


@functools.cache  # one decoder per result type, not one made for every call
def _decoder(result: str | None) -> Decoder[Any]:
    if result is None:
        return decode_none
    if result == "pdf":  # a failed make_invoice answers the envelope instead of a PDF
        return _not_a_pdf
    if result.startswith("list["):
        return list_of(_RESULT_MODELS[result[5:-1]])
    return model(_RESULT_MODELS[result])


def _not_a_pdf(data: Any, operation: str) -> None:
    raise APIError(
        f"{operation}: the service answered an envelope without error instead of the PDF",
        operation=operation,
    )


def _envelope(operation: str, content: bytes, content_type: str) -> dict[str, Any]:
    try:
        body = parse_json(content, operation)
    except ValueError:
        kind = "an HTML page" if "html" in content_type else "something that is not JSON"
        raise APIError(
            f"{operation}: the service answered {kind} instead of the JSON envelope",
            operation=operation,
        ) from None
    if not isinstance(body, dict) or "data" not in body or "error" not in body:
        raise APIError(
            f"{operation}: the service's answer is not the {{data, error}} envelope",
            operation=operation,
        )
    return body


def _error_text(error: Any) -> str:
    if isinstance(error, dict):
        message = str(error.get("message", error))
        code = error.get("code")
        return f"{message} ({code})" if code else message
    return str(error)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import UTC, datetime

    if moment.tzinfo is None:  # a `-0000` zone parses as naive; HTTP dates are UTC anyway
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def _transport_error(operation: str, error: httpx.HTTPError) -> GPUEaterError:
    # A connect error or connect timeout means the request never left this machine.
    never_sent = isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
    kind = type(error).__name__
    if isinstance(error, httpx.TimeoutException):
        return GPUEaterTimeoutError(
            f"{operation}: the service did not answer in time ({kind})",
            operation=operation,
            may_have_reached_server=not never_sent,
        )
    detail = str(error) or kind
    return GPUEaterConnectionError(
        f"{operation}: could not talk to the service ({kind}: {detail})",
        operation=operation,
        may_have_reached_server=not never_sent,
    )


def _unreadable(operation: str) -> APIError:
    return APIError(
        f"{operation}: the service's answer could not be read as the API describes it",
        operation=operation,
    )
