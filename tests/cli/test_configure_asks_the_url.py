"""Interactive `configure` asks for the service URL, the current one as the default."""

from __future__ import annotations

from tests.support.cli import Cli
from tests.support.pty_session import _terminal_screen


def test_interactive_configure_asks_for_the_url_with_the_current_default(cli: Cli):
    cli.without_credentials()
    screen = _terminal_screen(cli, {}, "Service URL", "configure")
    assert f"Service URL [{cli.emulator.url}]" in screen


def test_configure_accepts_url_after_the_command(cli: Cli):
    url = cli.env.pop("GPUEATER_URL")
    cli.without_credentials()
    result = cli(
        "configure", "--email", cli.emulator.email, "--password-stdin", "--url", url,
        input=cli.emulator.password + "\n",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert url in (cli.home / ".eater").read_text()
