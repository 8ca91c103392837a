"""Exit codes, and the one-line error each failure becomes.

Scripts branch on these codes, so they are part of the command's contract: the table of
docs/guides/cli.md ("Exit codes") shows `EXIT_CODE_MEANINGS` below word for word
(tests/docs/test_exit_code_table.py checks); tests/cli/test_exit_codes.py walks every
command and checks each failure kind against it.

Commands that pass a remote exit status through (`ssh INSTANCE [-- CMD]`) are the one
exception, as ssh is: the remote command's status, or 255 for any failure of the tool itself
(their `error:` line still says which).
"""

from __future__ import annotations

import enum

import click

from gpueater_ext._errors import (
    APIError,
    ConfigError,
    GPUEaterConnectionError,
    GPUEaterError,
    GPUEaterTimeoutError,
    InvalidArgumentError,
    NotAppliedError,
    NotFoundError,
    OutcomeUnknownError,
    WaitTimeoutError,
)
from gpueater_ext.cli._say import one_line_text

__all__ = [
    "EXIT_CODE_MEANINGS",
    "REMOTE_STATUS_TOOL_FAILED",
    "CliUsageError",
    "ExitCode",
    "exit_code_for",
    "one_line",
]


class ExitCode(enum.IntEnum):
    OK = 0
    FAILED = 1
    USAGE = 2
    NOT_FOUND = 3
    WAIT_TIMEOUT = 4
    OUTCOME_UNKNOWN = 5
    UNREACHABLE = 6
    INTERRUPTED = 130


EXIT_CODE_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success",
    ExitCode.FAILED: (
        "the service refused (a wrong password included), an SSH step failed, or some items "
        "of a multi-item command failed (one `error:` line each)"
    ),
    ExitCode.USAGE: (
        "usage or configuration error (a bad option, port number or tag, a tag another "
        "instance has, an ambiguous name, a missing `--yes` without a terminal)"
    ),
    ExitCode.NOT_FOUND: (
        "not found: an unknown instance, product, image, key, region, port or local path "
        "(the candidates are listed), whether this tool or the service found it missing"
    ),
    ExitCode.WAIT_TIMEOUT: "timed out waiting",
    ExitCode.OUTCOME_UNKNOWN: (
        "the outcome is unknown: a change was sent, its answer was lost and reading the "
        "state back did not find it; check before running it again"
    ),
    ExitCode.UNREACHABLE: (
        "the service could not be reached (nothing was changed, or, for a change, see the "
        "message): the line names the URL and the profile"
    ),
    ExitCode.INTERRUPTED: (
        "interrupted (Ctrl-C); while a launch waits, a line says which instance exists and "
        "how to terminate it"
    ),
}

# What `ssh INSTANCE -- CMD` exits with when the tool, not the remote command, failed.
REMOTE_STATUS_TOOL_FAILED = 255


class CliUsageError(click.UsageError):
    """A usage error found after parsing (a bad name, a refused non-interactive destroy)."""


def exit_code_for(error: BaseException) -> ExitCode:
    """The documented code of a failure kind (see EXIT_CODE_MEANINGS)."""
    if isinstance(error, KeyboardInterrupt | click.Abort):
        return ExitCode.INTERRUPTED
    if isinstance(error, click.UsageError | ConfigError | InvalidArgumentError):
        return ExitCode.USAGE
    if isinstance(error, click.ClickException):
        return ExitCode(error.exit_code)
    if isinstance(error, NotFoundError):
        return ExitCode.NOT_FOUND
    if isinstance(error, APIError) and error.code == "not_found":
        # The service looked the name up and found nothing: the same kind as a local miss.
        return ExitCode.NOT_FOUND
    if isinstance(error, WaitTimeoutError):
        return ExitCode.WAIT_TIMEOUT
    if isinstance(error, OutcomeUnknownError):
        return ExitCode.OUTCOME_UNKNOWN
    if isinstance(error, NotAppliedError):
        return exit_code_for(error.cause) if _unreachable(error.cause) else ExitCode.FAILED
    if _unreachable(error):
        return ExitCode.UNREACHABLE
    return ExitCode.FAILED


def _unreachable(error: BaseException) -> bool:
    return isinstance(error, GPUEaterConnectionError | GPUEaterTimeoutError)


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
