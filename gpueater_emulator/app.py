"""The emulator as an ASGI application: one route per operation of the spec."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .arguments import Arguments
from .control import control_routes
from .dispatch import operation_endpoint
from .handlers import all_handlers
from .html_pages import login_page
from .runtime import EmulatorRuntime
from .settings import EmulatorSettings
from .world import World

__all__ = ["create_app"]


def _unused_handler(world: World, arguments: Arguments) -> None:
    raise AssertionError("the dispatcher answers api_login itself")


async def _not_found(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": f"no such path: {request.url.path}"}, status_code=404)


def create_app(settings: EmulatorSettings) -> Starlette:
    """A fresh emulator; its runtime (account, sessions, faults) is `app.state.emulator`."""
    runtime = EmulatorRuntime.start(settings)
    handlers = all_handlers()
    missing = sorted(set(runtime.operations) - set(handlers) - {"api_login"})
    if missing:
        raise AssertionError(f"operations of the spec without a handler: {missing}")
    routes: list[BaseRoute] = [Route("/login", login_page, methods=["GET"])]
    for operation_id, operation in runtime.operations.items():
        # api_login is answered by the dispatcher itself: it sets the session cookie.
        handler = handlers.get(operation_id, _unused_handler)
        routes.append(
            Route(
                operation.path,
                operation_endpoint(runtime, operation, handler),
                methods=[operation.method],
            )
        )
    routes.extend(control_routes(runtime))
    app = Starlette(routes=routes, exception_handlers={404: _not_found})
    app.state.emulator = runtime
    return app
