"""A stateful local GPUEater service built from `openapi/gpueater.yaml`.

`create_app(EmulatorSettings(...))` gives the ASGI app (in-process tests);
`python -m gpueater_emulator` serves it on loopback.
"""

from __future__ import annotations

from .app import create_app
from .settings import EmulatorClock, EmulatorSettings

__all__ = ["EmulatorClock", "EmulatorSettings", "create_app"]
