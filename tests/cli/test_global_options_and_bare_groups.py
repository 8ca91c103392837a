"""Global options after the command, for every command; a bare command or group shows help."""

from __future__ import annotations

import json

import click

from gpueater_ext.cli._commands import register
from gpueater_ext.cli._root import root
from tests.support.cli import Cli

GLOBAL = ("--profile", "--url", "--debug", "--output")


def test_every_command_accepts_the_global_options_after_it():
    register(root)
    missing: list[str] = []

    def walk(command: click.Command, path: str) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, f"{path} {name}")
            return
        if path.strip() == "emulator":  # its options are the emulator's own
            return
        opts = {opt for param in command.params for opt in getattr(param, "opts", [])}
        missing.extend(f"{path} {option}" for option in GLOBAL if option not in opts)

    for name, command in root.commands.items():
        walk(command, name)
    assert not missing


def test_profile_and_url_after_the_command(cli: Cli):
    cli.without_credentials()
    url = cli.env.pop("GPUEATER_URL")
    profile = {"email": cli.emulator.email, "password": cli.emulator.password, "url": url}
    (cli.home / ".eater").write_text(json.dumps({"tok": profile}))
    (cli.home / ".eater").chmod(0o600)
    listed = cli("instances", "--profile", "tok", "-o", "json")
    assert listed.code == 0, listed.stderr
    assert listed.json() == []
    refused = cli("instances", "--profile", "tok", "--url", "http://127.0.0.1:1")
    assert refused.code == 6
    assert "http://127.0.0.1:1" in refused.error_line
    assert "'tok'" in refused.error_line
    products = cli("products", "--profile", "tok", "--url", url, "--debug")
    assert products.code == 0, products.stderr
    assert "a1.rx580" in products.stdout
    assert "DEBUG" in products.stderr


def test_bare_command_and_groups_show_help_and_succeed(cli: Cli):
    for words in ((), ("ssh-key",), ("volume",), ("snapshot",)):
        result = cli(*words)
        assert result.code == 0, (words, result.stderr)
        assert result.stdout.startswith(f"Usage: gpueater {' '.join(words)}".rstrip())
        assert "Commands:" in result.stdout
        assert "error:" not in result.stderr
