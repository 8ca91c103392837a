"""Numbered pickers for options left out on a terminal, as the old console asked them."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

import click

from gpueater_ext.cli import _say
from gpueater_ext.cli._exit import CliUsageError

__all__ = ["can_ask", "pick"]

T = TypeVar("T")


def can_ask() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def pick(title: str, choices: Sequence[T], describe: Callable[[T], str], *, option: str) -> T:
    """Ask for one of `choices` by number; without a terminal, name the missing option."""
    if not can_ask():
        raise CliUsageError(f"missing {option} (there is no terminal to ask on)")
    if not choices:
        raise CliUsageError(f"missing {option}, and there is nothing to choose from")
    _say.echo(f"{title}:", err=True)
    for number, choice in enumerate(choices, start=1):
        _say.echo(f"  {number:>2}) {describe(choice)}", err=True)  # names from the service
    chosen: int = _say.prompt("Number", type=click.IntRange(1, len(choices)), prompt_suffix=": ")
    return choices[chosen - 1]
