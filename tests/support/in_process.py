"""The `gpueater` command run inside the test's own process, through the entry point the
installed command runs (`gpueater_ext.cli:main`: exceptions to exit codes, logging set up),
as a script runs it: no terminal, stdin, stdout and stderr files, its own environment and
working folder.

Everything a command may change in the process is put back after the call: the standard
streams (file descriptors 0-2 too, so the ssh, scp and rsync it starts write where a real
process's children would), os.environ, the working folder, sys.argv, the logging tree's
handlers, levels and switches, the warnings filters and showwarning, and the handlers of the
signals a command may catch. Each pytest-xdist worker is a process of its own, and a worker
runs one test at a time, so swapping the process's descriptors is safe there.

A call that must be a second process (it reads a real terminal, is sent a signal, is killed
on purpose, or what is checked is the start-up) uses the subprocess mode instead
(`Cli(..., process=True)`); `GPUEATER_TEST_KILL_AT_STEP` is refused here, since it SIGKILLs
the process it runs in.
"""

from __future__ import annotations

import contextlib
import io
import locale
import logging
import os
import signal
import sys
import tempfile
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

from gpueater_ext._local_files import KILL_AT_STEP

__all__ = ["run_in_process"]

# Signals a command may catch (tunnel and jupyter take TERM and HUP; Ctrl-C is INT).
_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE, signal.SIGCHLD)


def run_in_process(
    args: Sequence[str],
    *,
    stdin: str,
    env: Mapping[str, str],
    cwd: Path,
    merged: bool = False,
) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `gpueater ARGS`, decoded as subprocess.run(text=True)
    decodes a child's output (the locale's encoding, universal newlines). `merged`: stderr
    goes to stdout's file, as `2>&1` (subprocess's stderr=STDOUT) does, and comes back as
    stdout, interleaved as a real process's two streams would be (stderr buffered by line,
    stdout by block), with stderr empty."""
    assert KILL_AT_STEP not in env, "a kill test needs a real process (process=True)"
    from gpueater_ext.cli import main

    encoding = locale.getpreferredencoding(False)
    with (
        tempfile.TemporaryFile() as given,
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        given.write(stdin.encode(encoding))
        given.seek(0)
        with (
            _process_state_kept(env, cwd, ["gpueater", *args]),
            _standard_streams(given, out, out if merged else err, encoding),
        ):
            try:
                main(list(args))
                code = 0
            except SystemExit as leaving:
                code = _exit_code(leaving.code)
        return code, _text(out, encoding), _text(err, encoding)


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return 1  # sys.exit("message") prints it and exits 1, as the interpreter does


def _text(file: IO[bytes], encoding: str) -> str:
    file.seek(0)
    return io.TextIOWrapper(io.BytesIO(file.read()), encoding=encoding).read()


@contextlib.contextmanager
def _standard_streams(
    given: IO[bytes], out: IO[bytes], err: IO[bytes], encoding: str
) -> Iterator[None]:
    """Descriptors 0, 1, 2 on the three files, and sys.std* text streams over them, made as
    the interpreter makes them for pipes (block buffered; stderr backslash-replaces)."""
    files = [given, out, err]
    saved_fds = [os.dup(number) for number in (0, 1, 2)]
    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    for number, file in enumerate(files):
        os.dup2(file.fileno(), number)
    sys.stdin = open(0, encoding=encoding, closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding=encoding, closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding=encoding, errors="backslashreplace", closefd=False)  # noqa: SIM115
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(ValueError, OSError):
                stream.flush()
        for stream in (sys.stdin, sys.stdout, sys.stderr):
            with contextlib.suppress(ValueError, OSError):
                stream.close()
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        for number, saved in enumerate(saved_fds):
            os.dup2(saved, number)
            os.close(saved)


@contextlib.contextmanager
def _process_state_kept(env: Mapping[str, str], cwd: Path, argv: list[str]) -> Iterator[None]:
    saved_environ = dict(os.environ)
    saved_cwd = os.getcwd()
    saved_argv = sys.argv
    saved_signals = {number: signal.getsignal(number) for number in _SIGNALS}
    saved_logging = _logging_state()
    try:
        os.environ.clear()
        os.environ.update(env)
        os.chdir(cwd)
        sys.argv = argv
        with warnings.catch_warnings():  # filters and showwarning
            _fresh_interpreter_warning_filters()
            yield
    finally:
        os.environ.clear()
        os.environ.update(saved_environ)
        os.chdir(saved_cwd)
        sys.argv = saved_argv
        for number, handler in saved_signals.items():
            if handler is not None:
                signal.signal(number, handler)
        _restore_logging(saved_logging)


def _fresh_interpreter_warning_filters() -> None:
    """The filters a fresh `python` starts with (no -W, no PYTHONWARNINGS), in place of the
    test run's (which make every warning an error): the CLI shows its own warnings as one
    `warning:` line, which an error filter would turn into a failure a user never sees."""
    warnings.resetwarnings()
    for category in (ResourceWarning, ImportWarning, PendingDeprecationWarning):
        warnings.simplefilter("ignore", category)
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")


_LoggerState = tuple[int, list[logging.Handler], bool, bool]


def _loggers() -> list[logging.Logger]:
    found = [logging.getLogger()]
    found += [
        logger
        for logger in list(logging.Logger.manager.loggerDict.values())
        if isinstance(logger, logging.Logger)
    ]
    return found


def _logging_state() -> tuple[int, dict[logging.Logger, _LoggerState]]:
    return logging.root.manager.disable, {
        logger: (logger.level, list(logger.handlers), logger.propagate, logger.disabled)
        for logger in _loggers()
    }


def _restore_logging(saved: tuple[int, dict[logging.Logger, _LoggerState]]) -> None:
    """Levels, handlers and switches as they were; a handler the command added is closed.
    Filters stay: the SDK's redaction filter is installed once per process, on purpose."""
    disable, loggers = saved
    logging.disable(disable)
    kept = {handler for _, handlers, _, _ in loggers.values() for handler in handlers}
    for logger in _loggers():
        level, handlers, propagate, disabled = loggers.get(
            logger, (logging.NOTSET, [], True, False)
        )
        for handler in logger.handlers:
            if handler not in kept:
                handler.close()
        logger.handlers = handlers
        logger.setLevel(level)
        logger.propagate, logger.disabled = propagate, disabled
