"""`gpueater emulator`: run the local GPUEater service (gpueater_emulator) in the foreground,
ready in one step.

Once it serves, the command prints the profile that reaches it, named `emulator` (or the
root `--profile`): the URL and the credentials the emulator accepts, as the JSON entry of
`~/.eater` on stdout. With `--configure` it saves that entry instead (under the config
file's lock, mode 0600, other profiles kept) and prints where, without the password: then
`gpueater --profile emulator instances` works in another terminal with no other step.
The password is printed only in that profile entry, which the user asked for by running
this command; it never goes to the emulator's log lines on stderr.

`--persist` keeps the emulator's world in its default folder under the user's data
directory (the same as `--state-dir` that folder), so the credentials, and the profile,
stay the same across restarts. Every other option is the emulator's own (`--help`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gpueater_ext.cli import _say
from gpueater_ext.cli._state import CliState, pass_state

if TYPE_CHECKING:
    from collections.abc import Callable

    from gpueater_emulator.settings import EmulatorSettings

    ReadyHook = Callable[[str, EmulatorSettings], None]

__all__ = ["EMULATOR_PROFILE", "emulator", "emulator_profile"]

EMULATOR_PROFILE = "emulator"

_EPILOG = """\
gpueater emulator also takes:
  --persist    keep the world (account, credentials, instances, clock) in the default
               folder under your data directory: the same as --state-dir that folder
  --configure  save the profile that reaches this emulator as 'emulator' (or --profile)
               in ~/.eater (GPUEATER_CONFIG), instead of printing it
Then: gpueater --profile emulator instances
"""


def emulator_profile(url: str, settings: EmulatorSettings) -> dict[str, str]:
    """The config entry that reaches this emulator: its URL and one pair it accepts."""
    values = {"url": url}
    if settings.accounts:
        email, password = next(iter(settings.accounts.items()))
        values.update(email=email, password=password)
    elif settings.tokens:
        access, secret = next(iter(settings.tokens.items()))
        values.update(access_token=access, secret_token=secret)
    return values


def _announce(profile: str, configure: bool) -> ReadyHook:
    def on_ready(url: str, settings: EmulatorSettings) -> None:
        values = emulator_profile(url, settings)
        if not configure:
            _say.echo(json.dumps({profile: values}, indent=2), lines=True)
            _say.echo(
                f"gpueater emulator: the profile above reaches {url}; save it with --configure"
                f", then: gpueater --profile {profile} instances",
                err=True,
            )
            return
        from gpueater_ext import save_config

        target = os.environ.get("GPUEATER_CONFIG")
        path = save_config(values, profile=profile, path=Path(target) if target else None)
        _say.echo(
            f"gpueater emulator: saved profile {profile!r} ({url}) in {path}; try: "
            f"gpueater --profile {profile} instances",
            err=True,
        )

    return on_ready


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
@pass_state
def emulator(state: CliState, arguments: tuple[str, ...]) -> None:
    """Run the local GPUEater emulator (options: gpueater emulator --help)."""
    from gpueater_emulator.entry import run

    options = list(arguments)
    configure = "--configure" in options
    persist = "--persist" in options
    options = [option for option in options if option not in ("--configure", "--persist")]
    hook = _announce(state.profile or EMULATOR_PROFILE, configure)
    raise SystemExit(
        run(options, prog="gpueater emulator", on_ready=hook, epilog=_EPILOG, persist=persist)
    )
