"""`gpueater emulator`: run the local GPUEater service (gpueater_emulator) in the foreground."""

from __future__ import annotations

import importlib.util
import runpy
import sys

import click

from gpueater_ext._errors import ConfigError

__all__ = ["emulator"]


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
def emulator(arguments: tuple[str, ...]) -> None:
    """Run the local GPUEater emulator (options: gpueater emulator --help)."""
    missing = [name for name in ("starlette", "uvicorn") if importlib.util.find_spec(name) is None]
    if missing:
        raise ConfigError(
            f"the emulator needs {', '.join(missing)}: install it with "
            "pip install 'gpueater[emulator]'"
        )
    sys.argv = ["gpueater emulator", *arguments]
    runpy.run_module("gpueater_emulator", run_name="__main__", alter_sys=True)
