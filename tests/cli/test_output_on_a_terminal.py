"""What a person at a real terminal (a pty of a set size, no COLUMNS) sees: tables fitted
to the terminal's own width, the question before closing port 22, `instances --watch`
redrawing until Ctrl-C."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support.cli import Cli
from tests.support.terminal import Terminal

_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _shown_lines(text: str) -> list[str]:
    return [line for line in _ESCAPES.sub("", text).replace("\r", "").split("\n") if line]


@pytest.fixture
def terminal_env(cli: Cli) -> dict[str, str]:
    return {name: value for name, value in cli.env.items() if name != "COLUMNS"}


@pytest.mark.parametrize("columns", [60, 80])
def test_tables_fit_the_terminals_own_width(
    cli: Cli, launched: dict[str, Any], terminal_env: dict[str, str], columns: int
) -> None:
    for args in (["instances"], ["images"], ["products"]):
        with Terminal(args, terminal_env, cli.home, columns=columns) as terminal:
            assert terminal.finish() == 0
            lines = _shown_lines(terminal.text)
        assert lines, args
        assert max(len(line.rstrip()) for line in lines) <= columns, (args, lines)
    with Terminal(["images"], terminal_env, cli.home, columns=columns) as terminal:
        terminal.finish()
        assert "…" in terminal.text
    with Terminal(["images"], terminal_env, cli.home, columns=200) as terminal:
        terminal.finish()
        assert "…" not in terminal.text
        assert "rocm-1.9.224-tensorflow-1.10-ubuntu-16.04-x64" in terminal.text


def _open_ports(cli: Cli) -> list[int]:
    return [port["port"] for port in cli.ok("ports", "web-1", "-o", "json").json()["port_list"]]


def test_closing_port_22_warns_and_asks_on_a_terminal(
    cli: Cli, launched: dict[str, Any], terminal_env: dict[str, str]
) -> None:
    with Terminal(["port", "close", "web-1", "22"], terminal_env, cli.home) as terminal:
        asked = terminal.wait_for("[y/N]")
        terminal.send("n\n")
        code = terminal.finish()
    assert "warning: port 22 is SSH" in asked
    assert "Close port 22 (SSH) on web-1" in asked
    assert code == 1
    assert "cancelled" in terminal.text
    assert 22 in _open_ports(cli)

    with Terminal(["port", "close", "web-1", "22"], terminal_env, cli.home) as terminal:
        terminal.wait_for("[y/N]")
        terminal.send("y\n")
        assert terminal.finish() == 0
    assert 22 not in _open_ports(cli)


def test_watch_redraws_in_place_until_ctrl_c_which_exits_0(
    cli: Cli, launched: dict[str, Any], terminal_env: dict[str, str]
) -> None:
    args = ["instances", "--watch", "--interval", "0.5"]
    with Terminal(args, terminal_env, cli.home) as terminal:
        terminal.wait_for("web-1", count=3)
        terminal.ctrl_c()
        code = terminal.finish()
    assert code == 0
    assert "error" not in terminal.text
    assert terminal.text.count("\x1b[2J") >= 3  # the screen is cleared for each look
    assert "every 0.5 s, until Ctrl-C" in terminal.text
    assert terminal.text.count("web-1") >= 3
