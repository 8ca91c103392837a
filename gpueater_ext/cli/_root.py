"""The `gpueater` command: global options, command registration and failure handling."""

from __future__ import annotations

import functools
import os
import sys
import warnings
from collections.abc import Sequence

import click

from gpueater_ext.cli import _say
from gpueater_ext.cli._commands import LazyGroup, register_lazily
from gpueater_ext.cli._exit import (
    REMOTE_STATUS_TOOL_FAILED,
    ExitCode,
    exit_code_for,
    one_line,
)
from gpueater_ext.cli._state import OUTPUT_FORMATS, CliState, start_debug_log

__all__ = ["main", "root"]


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--profile", metavar="NAME", help="Profile in ~/.eater (default: gpueater).")
@click.option("--url", metavar="URL", help="Service URL (default: the profile's, or production).")
@click.option(
    "-o",
    "--output",
    type=click.Choice(OUTPUT_FORMATS),
    default="table",
    show_default=True,
    help="Tables for people; JSON, YAML or CSV for programs.",
)
@click.option("--no-header", is_flag=True, help="Tables and CSV without their heading line.")
@click.option("--wide", is_flag=True, help="Tables in full, never cut to the terminal's width.")
@click.option("--debug", is_flag=True, help="Log requests to stderr (secrets redacted).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but the result.")
@click.option("-y", "--yes", is_flag=True, help="Do not ask before destroying.")
@click.version_option(package_name="gpueater", prog_name="gpueater")
@click.pass_context
def root(
    ctx: click.Context,
    profile: str | None,
    url: str | None,
    output: str,
    no_header: bool,
    wide: bool,
    debug: bool,
    quiet: bool,
    yes: bool,
) -> None:
    """Launch, reach and tear down GPUEater GPU instances.

    An INSTANCE is named by its id, its tag, or a unique prefix of either.
    """
    state = ctx.ensure_object(CliState)
    state.profile, state.url, state.output = profile, url, output
    state.no_header, state.wide = no_header, wide
    state.debug, state.quiet, state.yes = debug, quiet, yes
    if debug:
        start_debug_log(state)
    # Here, not in `main`: `--help` and `--version` end before this runs, so they do not
    # import the plans (reconcile, forms, models: ~30 ms) for a report they never make.
    from gpueater_ext._plans import reporting

    ctx.with_resource(reporting(functools.partial(_looking, state)))


def _looking(state: CliState, text: str) -> None:
    # A write whose answer was lost reads the state back for up to a read timeout: say
    # so, or a minute of silence looks like a hang. Quiet and JSON modes stay silent.
    if state.chatty:
        _say.note(text)


def _warning_line(message: Warning | str, *_where: object, **_more: object) -> None:
    """Show a warning (an ~/.eater others can read) as one `warning:` line on stderr, not
    Python's default, which quotes a line of the SDK's source after it."""
    _say.warning(str(message))


def _where_the_service_is(state: CliState) -> str:
    """Which service could not be reached, by which profile, and what to check."""
    config = state.config()
    where = ""
    if config is not None:
        where = f" at {config.url} (profile {config.profile!r})"
    return (
        f"{where}; check that the URL is right (--url, GPUEATER_URL or the profile's url) and "
        "that this machine reaches it; for the local emulator, start it with `gpueater emulator`"
    )


def _help_width() -> int:
    """The width click's help formatter would choose, by click's rule (the terminal's
    columns, at most 80, less 2, at least 50) with shutil.get_terminal_size's lookup
    (COLUMNS, else stdout's terminal, else 80), without importing shutil, which click
    imports for it (with zlib, bz2 and lzma: ~5 ms of `gpueater --help`, issue 25)."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return max(min(columns or 80, 80) - 2, 50)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command; every failure becomes one `error:` line and a meaningful exit code."""
    # Put back when the command ends, so a program that runs `main` keeps its own.
    showwarning, warnings.showwarning = warnings.showwarning, _warning_line
    register_lazily(root)  # each command's module is imported when it runs
    state = CliState()

    try:
        result = root.main(
            args=list(argv) if argv is not None else None,
            prog_name="gpueater",
            standalone_mode=False,
            obj=state,
            terminal_width=_help_width(),
        )
        code = result if isinstance(result, int) else ExitCode.OK
    except click.exceptions.NoArgsIsHelpError as bare:
        # A bare `gpueater` or group (`gpueater volume`) asks what there is: the help, exit 0
        # (click's own no_args_is_help exits 2, as if it were a mistake).
        _say.echo(bare.ctx.get_help(), lines=True)
        code = ExitCode.OK
    except (Exception, KeyboardInterrupt, click.Abort) as error:
        if state.debug:
            import traceback  # --debug only

            _say.echo(traceback.format_exc(), err=True, lines=True, nl=False)
        code = exit_code_for(error)
        line = one_line(error)
        if code == ExitCode.UNREACHABLE:
            line += _where_the_service_is(state)
        _say.error(line)
        if state.remote_status and code != ExitCode.INTERRUPTED:
            # `ssh -- CMD` exits with the remote command's status: the tool's own failures
            # take 255, as ssh's do, so no remote status is mistaken for one of ours.
            code = REMOTE_STATUS_TOOL_FAILED
    finally:
        state.close()
        warnings.showwarning = showwarning
    sys.exit(int(code))
