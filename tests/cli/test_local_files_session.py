"""The command line's session cache is keyed by the credentials too: after a run that
cached a session, a wrong GPUEATER_PASSWORD fails instead of riding on that session."""

from __future__ import annotations

from tests.support.cli import Cli


def test_a_wrong_password_fails_after_a_cached_session(cli: Cli):
    cli.ok("images")  # logs in and caches the session
    refused = cli("images", env={"GPUEATER_PASSWORD": "not-the-password"})
    assert refused.code == 1
    assert "password" in refused.error_line
    cli.ok("images")  # the right password still works
