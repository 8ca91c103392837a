"""The in-process runner (tests/support/in_process.py) against the real `gpueater` process:
representative commands give the same exit code, stdout and stderr both ways, and a call
leaves the test's process as it found it."""

from __future__ import annotations

import logging
import os
import re
import signal
import sys
import warnings
from typing import Any

import pytest

from tests.support.cli import Cli

# What differs between two runs of one command whichever way it runs: times and durations.
_TIMING = re.compile(
    r"\d+(\.\d+)?\s?(ms|s|m|h)\b|\d{4}-\d\d-\d\dT[\d:.]+Z?|\b\d+ (second|minute)s?\b"
)


def _same(text: str) -> str:
    return _TIMING.sub("<time>", text)


COMMANDS = [
    ("products",),
    ("products", "-o", "json"),
    ("images", "-o", "yaml"),
    ("instances", "-o", "csv"),
    ("--help",),
    ("volume",),
    ("show", "no-such-instance"),
    ("launch", "--product", "no.such", "--image", "Ubuntu16.04 x64"),
    ("instances", "--output", "xml"),
    ("ssh-keys", "-o", "json"),
    ("completion", "bash"),
    ("configure", "--email", "e@example.com"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_command_gives_the_same_code_stdout_and_stderr_in_process_and_as_a_process(
    cli: Cli, args: tuple[str, ...]
):
    inside = cli.in_this_process()(*args, input="\n")
    outside = cli.in_a_process()(*args, input="\n")
    assert (inside.code, _same(inside.stdout)) == (outside.code, _same(outside.stdout))
    assert _same(inside.stderr).splitlines() == _same(outside.stderr).splitlines()


def test_an_unreachable_service_says_so_the_same_way_both_ways(cli: Cli):
    down = {"GPUEATER_URL": "http://127.0.0.1:9"}
    inside = cli.in_this_process()("instances", env=down)
    outside = cli.in_a_process()("instances", env=down)
    assert (inside.code, inside.stdout, inside.stderr) == (
        outside.code,
        outside.stdout,
        outside.stderr,
    )
    assert inside.code != 0
    assert inside.error_line


def _process_state() -> dict[str, Any]:
    root = logging.getLogger()
    return {
        "environ": dict(os.environ),
        "cwd": os.getcwd(),
        "argv": list(sys.argv),
        "root": (root.level, list(root.handlers)),
        "ours": [
            (name, logger.level, list(logger.handlers), logger.propagate)
            for name, logger in sorted(logging.Logger.manager.loggerDict.items())
            if isinstance(logger, logging.Logger)
        ],
        "filters": list(warnings.filters),
        "showwarning": warnings.showwarning,
        "signals": [signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)],
        "streams": (sys.stdin, sys.stdout, sys.stderr),
    }


def test_a_call_leaves_the_process_as_it_found_it(cli: Cli):
    cli = cli.in_this_process()
    cli("products")  # imports and registers what a first call does
    before = _process_state()
    cli.ok("ssh-key", "generate", "kept", "--debug")
    cli("show", "nothing-here", "--debug")
    after = _process_state()
    # A logger the command created on first use may be new; every one there before is kept.
    after["ours"] = [entry for entry in after["ours"] if entry[0] in {e[0] for e in before["ours"]}]
    assert after == before


def test_debug_output_is_shown_once_per_call_however_often_main_runs(cli: Cli):
    cli = cli.in_this_process()
    for _ in range(2):
        shown = cli("products", "--debug")
        assert shown.code == 0
        requests = [line for line in shown.stderr.splitlines() if "HTTP Request:" in line]
        assert requests  # shown though pytest had configured logging before the call
        assert len(requests) == len(set(requests))  # and once: no handler left from before


def test_a_kill_test_is_refused_in_process(cli: Cli):
    with pytest.raises(AssertionError, match="real process"):
        cli.in_this_process()("products", env={"GPUEATER_TEST_KILL_AT_STEP": "1"})
