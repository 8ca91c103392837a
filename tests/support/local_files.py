"""Shared checks of the local-files tests: writers killed at every step of a write, and
what a folder may hold afterwards (no stray temporaries, every file private)."""

from __future__ import annotations

import os
import stat
import traceback
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from gpueater_ext import _local_files
from gpueater_ext._local_files import KILL_AT_STEP, TEMPORARY_MARK

__all__ = [
    "assert_private",
    "forked_writer",
    "in_parallel_processes",
    "kill_at_every_step",
    "temporaries",
]


def _fork(write: Callable[[], object], home: Path, extra: Mapping[str, str]) -> int:
    """Start `write()` in a forked child with HOME set to `home` (so the lock folder is
    there too); returns the child's pid. The child never returns into pytest."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.environ.update({"HOME": str(home), **extra})
            os.environ.pop("XDG_STATE_HOME", None)
            _local_files._steps_passed = 0
            write()
        except BaseException:
            traceback.print_exc()
            code = 1
        os._exit(code)
    return pid


def _status(pid: int) -> int:
    """The child's exit status (negative: killed by that signal); a failure is an error."""
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    code = os.WEXITSTATUS(status)
    assert code == 0, "the writer failed (its traceback is above)"
    return code


def forked_writer(write: Callable[[], object], home: Path) -> Callable[[Mapping[str, str]], int]:
    """A writer running `write()` in a forked child (see `_fork`); it returns the exit
    status. A fork rather than a new interpreter: the kill matrix runs writes dozens of
    times."""
    return lambda extra: _status(_fork(write, home, extra))


def in_parallel_processes(writes: Iterable[Callable[[], object]], home: Path) -> None:
    """Run each write in its own forked process, all at once; each must succeed."""
    children = [_fork(write, home, {}) for write in writes]
    for pid in children:
        assert _status(pid) == 0


def kill_at_every_step(
    run: Callable[[Mapping[str, str]], int],
    after_kill: Callable[[int], None],
    *,
    before: Callable[[], None] = lambda: None,
) -> int:
    """Run the writer killed at its step 1, 2, ... until one run finishes; `before` sets
    the old state up for every run and `after_kill(step)` checks what a kill left.
    Returns how many steps were killed."""
    step = 0
    while True:
        step += 1
        assert step < 400, "the write never finished"
        before()
        code = run({KILL_AT_STEP: str(step)})
        if code == 0:
            return step - 1
        after_kill(step)


def temporaries(*folders: Path) -> list[Path]:
    """The tool's temporaries (`.<name>.gpueater-tmp-<random>`) in these folders."""
    return [
        path
        for folder in folders
        if folder.is_dir()
        for path in folder.iterdir()
        if path.name.startswith(".") and TEMPORARY_MARK in path.name
    ]


def assert_private(paths: Iterable[Path]) -> None:
    """Each file is readable by its owner only."""
    for path in paths:
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert mode == 0o600, f"{path} has mode {mode:04o}"
