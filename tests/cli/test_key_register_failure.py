"""`ssh-key generate NAME --register` whose registration fails says how to register the
private key it already saved (running the same command again is refused: the file exists)."""

from __future__ import annotations

from tests.support.cli import Cli


def test_a_failed_registration_says_how_to_register_the_saved_key(cli: Cli):
    cli.emulator.add_fault("register_ssh_key", "http_500", count=5)
    result = cli("ssh-key", "generate", "kept", "--register")
    assert result.code == 5  # the outcome is unknown (README exit codes)
    assert "register_ssh_key" in result.error_line
    key_file = cli.home / ".ssh" / "kept.pem"
    assert key_file.exists()
    assert f"ssh-keygen -y -f {key_file} > {key_file}.pub" in result.stderr
    assert f"gpueater ssh-key register kept --public-key-file {key_file}.pub" in result.stderr
