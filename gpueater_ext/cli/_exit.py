"""Exit codes, and the one-line error each failure becomes.

Scripts branch on these codes, so they are part of the command's contract:
0 success; 1 the API refused, or some items of a multi-item command failed; 2 usage or
configuration error; 3 not found; 4 timed out waiting; 130 interrupted.
"""

from __future__ import annotations

import enum

import click

from gpueater_ext._errors import (
    ConfigError,
    GPUEaterError,
    InvalidArgumentError,
    NotFoundError,
    WaitTimeoutError,
)
from gpueater_ext.cli._say import one_line_text

__all__ = ["CliUsageError", "ExitCode", "exit_code_for", "one_line"]


class ExitCode(enum.IntEnum):
    OK = 0
    FAILED = 1
    USAGE = 2
    NOT_FOUND = 3
    WAIT_TIMEOUT = 4
    INTERRUPTED = 130


class CliUsageError(click.UsageError):
    """A usage error found after parsing (a bad name, a refused non-interactive destroy)."""


def exit_code_for(error: BaseException) -> ExitCode:
    if isinstance(error, KeyboardInterrupt | click.Abort):
        return ExitCode.INTERRUPTED
    if isinstance(error, click.UsageError | ConfigError | InvalidArgumentError):
        return ExitCode.USAGE
    if isinstance(error, click.ClickException):
        return ExitCode(error.exit_code)
    if isinstance(error, NotFoundError):
        return ExitCode.NOT_FOUND
    if isinstance(error, WaitTimeoutError):
        return ExitCode.WAIT_TIMEOUT
    return ExitCode.FAILED


def one_line(error: BaseException) -> str:
    """The error as one line: what went wrong and, where the message says it, what to do."""
    if isinstance(error, KeyboardInterrupt | click.Abort):
        text = "interrupted"
    elif isinstance(error, click.ClickException):
        text = error.format_message()
        context = getattr(error, "ctx", None)
        if context is not None and not isinstance(error, CliUsageError):
            text += f" (see '{context.command_path} --help')"
    elif isinstance(error, GPUEaterError):
        text = error.describe(cli=True) or type(error).__name__
    else:
        text = f"unexpected {type(error).__name__}: {error}"
    return one_line_text(text)  # escaped: messages quote the service and instances
