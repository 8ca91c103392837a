"""A stateful local GPUEater service built from the OpenAPI spec shipped in this package.

`create_app(EmulatorSettings(...))` gives the ASGI app (in-process tests);
`python -m gpueater_emulator` (or `gpueater emulator`) serves it on loopback;
`gpueater_emulator.pytest_plugin` runs it for a user's own tests.

The names below are loaded on first use (PEP 562): importing the package alone (as
`python -m gpueater_emulator` and the pytest plugin do) needs none of the `[emulator]`
extra, so a missing extra is reported in one line rather than an ImportError.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app
    from .settings import EmulatorClock, EmulatorSettings

__all__ = ["EmulatorClock", "EmulatorSettings", "create_app"]


if not TYPE_CHECKING:
    # Hidden from mypy, which reads the typed imports above: a module __getattr__ it could
    # see would let any name pass the type check.

    def __getattr__(name: str) -> Any:
        if name == "create_app":
            from .app import create_app

            return create_app
        if name in ("EmulatorClock", "EmulatorSettings"):
            from . import settings

            return getattr(settings, name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
