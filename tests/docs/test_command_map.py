"""The table "Every API function's command" of docs/guides/cli.md lists every function of the
API once, in its group, and every command it names exists (with its subcommand)."""

from __future__ import annotations

import re
from pathlib import Path

import click

from gpueater_ext._api_list import api_functions
from gpueater_ext.cli import _commands
from gpueater_ext.cli._root import root

PAGE = Path(__file__).resolve().parents[2] / "docs" / "guides" / "cli.md"


def mapping() -> list[tuple[str, str, str]]:
    text = PAGE.read_text(encoding="utf-8")
    section = text.split("## Every API function's command\n", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| ([^|`]+) \| `(\w+)` \| (.+) \|$", section, flags=re.MULTILINE)
    return [(group.strip(), function, command) for group, function, command in rows]


def test_every_api_function_is_mapped_once_in_its_group():
    listed = [(group, function) for group, function, _ in mapping()]
    expected = [(row.group, row.name) for row in api_functions()]
    assert sorted(listed) == sorted(expected)
    assert len(set(listed)) == len(listed)


def command_path(cell: str) -> list[str]:
    """The command words of the first command in a cell: `volume create --size GB` ->
    [volume, create]."""
    first = re.match(r"`([^`]+)`", cell)
    assert first, cell
    words = []
    for word in first.group(1).split():
        if not re.fullmatch(r"[a-z][a-z0-9-]*", word):
            break
        words.append(word)
    return words


def test_every_mapped_command_exists():
    _commands.register(root)
    for _, function, cell in mapping():
        command: click.Command = root
        for word in command_path(cell):
            if not isinstance(command, click.Group):
                break  # a choice argument such as `subscribe instance PLAN`
            assert word in command.commands, (function, cell)
            command = command.commands[word]
