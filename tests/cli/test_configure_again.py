"""Running `gpueater configure` again (to change a password) keeps the profile's service."""

from __future__ import annotations

import json

from tests.support.cli import Cli


def test_configuring_again_without_url_keeps_the_profiles_url(cli: Cli):
    cli.without_credentials()
    cli.env.pop("GPUEATER_URL")
    password = cli.emulator.password + "\n"
    login = ("configure", "--email", cli.emulator.email, "--password-stdin")
    cli.ok("--url", cli.emulator.url, *login, input=password)
    cli.ok(*login, input=password)  # logs in to the profile's url, as before
    saved = json.loads((cli.home / ".eater").read_text())["gpueater"]
    assert saved["url"] == cli.emulator.url
    assert cli.ok("images", "-o", "json").json()
