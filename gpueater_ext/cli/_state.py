"""What the global options decided, shared by every command through click's context."""

from __future__ import annotations

import dataclasses
import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    # logging only for --debug: `gpueater --help` does not import it (~5 ms, issue 25).
    import logging

    from gpueater_ext import GPUEater
    from gpueater_ext._config import Config

__all__ = [
    "DATA_FORMATS",
    "OUTPUT_FORMATS",
    "CliState",
    "RemoteStatusCommand",
    "add_global_options",
    "output_option",
    "pass_state",
    "start_debug_log",
    "yes_option",
]


# `-o`: tables for people; the same data as JSON, YAML or CSV for programs (`_output`).
OUTPUT_FORMATS = ("table", "json", "yaml", "csv")
DATA_FORMATS = frozenset(OUTPUT_FORMATS[1:])


@dataclasses.dataclass
class CliState:
    profile: str | None = None
    url: str | None = None
    output: str = "table"
    debug: bool = False
    quiet: bool = False
    yes: bool = False
    # --no-header (tables and CSV) and --wide (tables never cut to the terminal's width).
    no_header: bool = False
    wide: bool = False
    # Set by commands whose exit status is the remote command's (see RemoteStatusCommand).
    remote_status: bool = False
    _client: GPUEater | None = None
    # --debug's handler on the root logger and the level it had (see start_debug_log).
    _debug_log: tuple[logging.Handler, int] | None = None

    @property
    def json(self) -> bool:
        """Whether the result is printed as data (`-o json`, `yaml` or `csv`), not for people.

        Named for the first data format: every command's "print the data" branch tests it,
        and `_output.print_json` writes the data in whichever of the formats was chosen.
        """
        return self.output in DATA_FORMATS

    @property
    def chatty(self) -> bool:
        """Whether progress and notes may go to stderr."""
        return not (self.quiet or self.json)

    def client(self) -> GPUEater:
        """The SDK client, created on first use: `--help` never pays for httpx.

        The session cookie is cached (user cache dir, mode 0600) so that a script running
        many commands does not log in for each one. `GPUEATER_RECONCILE_TIMEOUT` (seconds)
        bounds how long a write whose answer was lost is read back (default: the read
        timeout, 60 s).
        """
        if self._client is None:
            from gpueater_ext._config import load_config
            from gpueater_ext._session_cache import prefetch_fingerprint

            reconcile_timeout = _reconcile_timeout()
            config = load_config(url=self.url, profile=self.profile)
            # The cached session's check (an scrypt, ~15-30 ms) runs in a thread while the
            # client's modules import below (~150 ms): its time is hidden (issue 25).
            prefetch_fingerprint(config)
            # Its listings also keep TAB completion's names fresh (see `_recording_client`).
            from gpueater_ext.cli._recording_client import RecordingClient

            self._client = RecordingClient(
                config=config, session_cache=True, reconcile_timeout=reconcile_timeout
            )
        return self._client

    def config(self) -> Config | None:
        """The configuration the client uses, or None when none could be resolved."""
        if self._client is not None:
            return self._client.config
        from gpueater_ext import GPUEaterError, load_config

        try:
            return load_config(url=self.url, profile=self.profile)
        except GPUEaterError:
            return None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._debug_log is not None:
            import logging

            handler, level = self._debug_log
            root_logger = logging.getLogger()
            root_logger.removeHandler(handler)
            root_logger.setLevel(level)
            self._debug_log = None


def _reconcile_timeout() -> float | None:
    import math
    import os

    from gpueater_ext._errors import ConfigError

    raw = os.environ.get("GPUEATER_RECONCILE_TIMEOUT")
    if raw is None or not raw.strip():
        return None
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not math.isfinite(seconds) or seconds < 0:
        raise ConfigError(
            f"GPUEATER_RECONCILE_TIMEOUT: {raw!r} is not a number of seconds (0 or more); "
            "fix or unset it"
        )
    return seconds


class RemoteStatusCommand(click.Command):
    """A command that exits with a remote command's status (`ssh INSTANCE -- CMD`): marked
    before its arguments are parsed, so even a usage error exits 255, as ssh's do."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.ensure_object(CliState).remote_status = True
        return super().parse_args(ctx, args)


pass_state = click.make_pass_decorator(CliState, ensure=True)


def _store(name: str) -> Any:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        # Options given after the command override the same option given before it.
        if value is not None and value is not False:
            setattr(ctx.ensure_object(CliState), name, value)

    return callback


def output_option(command: Any) -> Any:
    """`-o/--output` accepted after the command too (`gpueater instances -o json`)."""
    return click.option(
        "-o",
        "--output",
        type=click.Choice(OUTPUT_FORMATS),
        default=None,
        expose_value=False,
        callback=_store("output"),
        help="Output format (also accepted before the command).",
    )(command)


def yes_option(command: Any) -> Any:
    """`--yes` accepted after the command too (`gpueater terminate web --yes`)."""
    return click.option(
        "--yes",
        "-y",
        is_flag=True,
        default=False,
        expose_value=False,
        callback=_store("yes"),
        help="Do not ask for confirmation.",
    )(command)


def start_debug_log(state: CliState) -> None:
    """--debug: requests logged to stderr (the SDK redacts secrets).

    The handler goes on the root logger for this command only (`CliState.close` takes it
    off and puts the level back): a program that runs `main` and has configured logging
    itself still gets the log (basicConfig would do nothing there), and one that runs
    `main` again does not get every line twice.
    """
    if state._debug_log is not None:
        return
    import logging

    from gpueater_ext._printable import printable

    class _PrintableFormatter(logging.Formatter):
        """--debug lines quote URLs and headers the service sent: escaped like all output."""

        def format(self, record: logging.LogRecord) -> str:
            return printable(super().format(record), keep="\n")

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_PrintableFormatter(logging.BASIC_FORMAT))
    root_logger = logging.getLogger()
    state._debug_log = (handler, root_logger.level)
    root_logger.addHandler(handler)
    root_logger.setLevel(logging.DEBUG)


def _debug(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    if value and not ctx.ensure_object(CliState).debug:
        _store("debug")(ctx, param, value)
        start_debug_log(ctx.ensure_object(CliState))


def _global_options() -> list[click.Option]:
    """The root's --profile, --url, --debug, -o, --no-header and --wide, as accepted after
    any command; their parameter names are their own, so a command's URL argument keeps
    its name."""
    return [
        click.Option(
            ["--profile", "global_profile"],
            metavar="NAME",
            expose_value=False,
            callback=_store("profile"),
            help="Profile in ~/.eater (also accepted before the command).",
        ),
        click.Option(
            ["--url", "global_url"],
            metavar="URL",
            expose_value=False,
            callback=_store("url"),
            help="Service URL (also accepted before the command).",
        ),
        click.Option(
            ["--debug", "global_debug"],
            is_flag=True,
            default=False,
            expose_value=False,
            callback=_debug,
            help="Log requests to stderr, secrets redacted (also before the command).",
        ),
        click.Option(
            ["-o", "--output", "global_output"],
            type=click.Choice(OUTPUT_FORMATS),
            default=None,
            expose_value=False,
            callback=_store("output"),
            help="Output format (also accepted before the command).",
        ),
        click.Option(
            ["--no-header", "global_no_header"],
            is_flag=True,
            default=False,
            expose_value=False,
            callback=_store("no_header"),
            help="Tables and CSV without their heading line (also before the command).",
        ),
        click.Option(
            ["--wide", "global_wide"],
            is_flag=True,
            default=False,
            expose_value=False,
            callback=_store("wide"),
            help="Tables in full, never cut to the terminal's width (also before the command).",
        ),
    ]


def add_global_options(command: click.Command) -> None:
    """Give `command` and every command under it the global options it does not have yet:
    `gpueater instances --profile tok` works as `gpueater --profile tok instances` does.
    The emulator's own options are passed through to it, untouched."""
    if command.name == "emulator":
        return
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_global_options(sub)
        return
    taken = {opt for param in command.params for opt in getattr(param, "opts", [])}
    for option in _global_options():
        if not taken.intersection(option.opts):
            command.params.append(option)
