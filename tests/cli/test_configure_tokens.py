"""`configure` never needs a secret on the command line: the token pair comes from stdin
(two lines, --tokens-stdin) or the environment; --access-token still works but warns."""

from __future__ import annotations

import json

from tests.support.cli import Cli


def saved_tokens(cli: Cli) -> tuple[str, str]:
    profile = json.loads((cli.home / ".eater").read_text())["gpueater"]
    return profile["access_token"], profile["secret_token"]


def test_both_tokens_travel_on_stdin_one_per_line(cli: Cli) -> None:
    cli.without_credentials()
    pair = f"{cli.emulator.access_token}\n{cli.emulator.secret_token}\n"
    done = cli.ok("configure", "--tokens-stdin", input=pair)
    assert "warning" not in done.stderr
    assert saved_tokens(cli) == (cli.emulator.access_token, cli.emulator.secret_token)


def test_a_missing_second_line_is_a_usage_error(cli: Cli) -> None:
    cli.without_credentials()
    refused = cli("configure", "--tokens-stdin", input=f"{cli.emulator.access_token}\n")
    assert refused.code == 2
    assert "second line" in refused.error_line
    assert not (cli.home / ".eater").exists()


def test_the_pair_comes_from_the_environment_without_any_option(cli: Cli) -> None:
    cli.without_credentials()
    cli.env["GPUEATER_ACCESS_TOKEN"] = cli.emulator.access_token
    cli.env["GPUEATER_SECRET_TOKEN"] = cli.emulator.secret_token
    cli.ok("configure")  # no terminal: nothing could have been asked
    assert saved_tokens(cli) == (cli.emulator.access_token, cli.emulator.secret_token)


def test_half_a_pair_in_the_environment_is_named(cli: Cli) -> None:
    cli.without_credentials()
    cli.env["GPUEATER_ACCESS_TOKEN"] = cli.emulator.access_token
    refused = cli("configure")
    assert refused.code == 2
    assert "GPUEATER_SECRET_TOKEN is not set" in refused.error_line


def test_an_access_token_on_the_command_line_works_but_warns_once(cli: Cli) -> None:
    cli.without_credentials()
    done = cli.ok(
        "configure", "--access-token", cli.emulator.access_token, "--secret-token-stdin",
        input=cli.emulator.secret_token + "\n",
    )  # fmt: skip
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "visible to other users" in warnings[0]
    assert cli.emulator.access_token not in done.stderr
    assert saved_tokens(cli) == (cli.emulator.access_token, cli.emulator.secret_token)
