"""Naming a limited product exactly reaches the service, which says why it refuses
(the emulator's account is not one it is offered to), instead of 'no product named'."""

from __future__ import annotations

from tests.support.cli import Cli


def test_a_limited_product_named_exactly_is_refused_by_the_service(cli: Cli):
    cli.ok("ssh-key", "generate", "work-key", "--register")
    result = cli(
        "launch", "--product", "a1.vegafe", "--image", "Ubuntu16.04 x64",
        "--ssh-key", "work-key", "-o", "json",
    )  # fmt: skip
    assert result.code == 1
    assert "limited set of accounts" in result.error_line
    assert result.stdout == ""
    assert cli.emulator.state()["instances"] == []
