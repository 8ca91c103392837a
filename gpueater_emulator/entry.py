"""The emulator's command line, for both entry points: `python -m gpueater_emulator` and
`gpueater emulator`. Only the standard library is imported here, so that without the
`[emulator]` extra either one answers the same one line and exit status 2."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .settings import EmulatorSettings

__all__ = ["EXTRA_MODULES", "MISSING_EXTRA_EXIT", "missing_extra_message", "run"]

# The import names of the distributions pyproject.toml lists under the `emulator` extra.
EXTRA_MODULES = ("starlette", "uvicorn", "yaml", "jsonschema", "cryptography")
MISSING_EXTRA_EXIT = 2  # a configuration error, as everywhere in the `gpueater` command


def missing_extra_message() -> str | None:
    """The one line to print when the extra's modules are not installed, else None."""
    missing = [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]
    if not missing:
        return None
    return (
        f"error: the emulator needs the [emulator] extra (missing: {', '.join(missing)});"
        " install it with: pip install 'gpueater[emulator]'"
    )


def run(
    argv: Sequence[str] | None,
    *,
    prog: str,
    on_ready: Callable[[str, EmulatorSettings], None] | None = None,
    epilog: str | None = None,
    persist: bool = False,
) -> int:
    """Serve until SIGINT/SIGTERM; the exit status. `on_ready(url, settings)` runs once
    connections are accepted (`gpueater emulator` prints its profile there); `epilog` ends
    the help; `persist` keeps the world in the default state folder (`--persist` of
    `gpueater emulator`), the same as `--state-dir` that folder."""
    message = missing_extra_message()
    if message is not None:
        print(message, file=sys.stderr)
        return MISSING_EXTRA_EXIT
    arguments = list(sys.argv[1:] if argv is None else argv)
    if persist:
        from .store import default_state_dir

        arguments = ["--state-dir", str(default_state_dir()), *arguments]
    from .server import main

    return main(arguments, prog=prog, on_ready=on_ready, epilog=epilog)
