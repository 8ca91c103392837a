"""docs/reference/cli.md hands mkdocs-click the very group the installed `gpueater` runs,
and the docs hook registers every command on it as `main` does, so the reference lists
each command `gpueater --help` lists, and no copy of the command tree exists to drift."""

from __future__ import annotations

import importlib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "reference" / "cli.md"
HOOK = ROOT / "docs" / "hooks" / "cli_reference.py"


def installed_commands() -> set[str]:
    gpueater = Path(sys.executable).parent / "gpueater"
    helped = subprocess.run(
        [str(gpueater), "--help"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    listing = helped.split("Commands:\n", 1)[1]
    return set(re.findall(r"^  ([a-z][a-z0-9-]*)\s", listing, flags=re.MULTILINE))


def test_the_cli_reference_documents_every_command_of_the_installed_gpueater():
    text = PAGE.read_text(encoding="utf-8")
    module = re.search(r"^\s+:module: (\S+)$", text, flags=re.MULTILINE)
    attribute = re.search(r"^\s+:command: (\S+)$", text, flags=re.MULTILINE)
    assert module, "cli.md: the mkdocs-click directive has no :module:"
    assert attribute, "cli.md: the mkdocs-click directive has no :command:"
    spec = importlib.util.spec_from_file_location("cli_reference", HOOK)
    assert spec is not None
    assert spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    hook.on_config({})
    group = getattr(importlib.import_module(module.group(1)), attribute.group(1))
    assert isinstance(group, click.Group)
    from gpueater_ext.cli._root import root  # the group `gpueater_ext.cli.main` runs

    assert group is root
    assert set(group.commands) == installed_commands()
