"""Bad input as a new user types it: an exit code that means something and one line."""

from __future__ import annotations

from tests.support.cli import Cli

LAUNCH = ("launch", "--image", "Ubuntu16.04 x64", "--ssh-key", "work-key")


def test_unknown_product_lists_the_closest_names(cli: Cli, launched):
    result = cli(*LAUNCH, "--product", "a1.rx58")
    assert result.code == 3
    assert "a1.rx580" in result.error_line
    assert result.stdout == ""


def test_unknown_image(cli: Cli, launched):
    result = cli("launch", "--product", "a1.rx580", "--image", "Ubuntu 99", "--ssh-key", "work-key")
    assert result.code == 3
    assert "image" in result.error_line


def test_missing_options_without_a_terminal_are_a_usage_error(cli: Cli):
    result = cli("launch", "--image", "Ubuntu16.04 x64")
    assert result.code == 2
    assert "--product" in result.error_line


def test_missing_config_says_how_to_configure(cli: Cli):
    cli.without_credentials()
    result = cli("instances", "-o", "json")
    assert result.code == 2
    assert "gpueater configure" in result.error_line
    assert result.stdout == ""


def test_broken_config_is_reported_and_left_untouched(cli: Cli):
    cli.without_credentials()
    broken = '{"gpueater": {"email": "a@b.c", '
    (cli.home / ".eater").write_text(broken)
    result = cli("instances")
    assert result.code == 2
    assert ".eater" in result.error_line
    assert (cli.home / ".eater").read_text() == broken


def test_wrong_password(cli: Cli):
    result = cli("instances", env={"GPUEATER_PASSWORD": "not-the-password"})
    assert result.code == 1
    assert "not-the-password" not in result.stderr
    result.error_line  # noqa: B018 - asserts one line, no traceback


def test_terminate_without_a_terminal_needs_yes(cli: Cli, launched):
    result = cli("terminate", "web-1")
    assert result.code == 2
    assert "--yes" in result.error_line
    assert len(cli.emulator.state()["instances"]) == 1


def test_port_numbers_out_of_range(cli: Cli, launched):
    for port in ("0", "70000"):
        result = cli("port", "open", "web-1", port)
        assert result.code == 2
        assert "1<=x<=65535" in result.error_line or "65535" in result.error_line


def test_ambiguous_and_unknown_instances(cli: Cli, launched):
    cli.ok(*LAUNCH, "--product", "a1.rx580", "--tag", "web-2")
    ambiguous = cli("show", "web")
    assert ambiguous.code == 2
    assert "ambiguous" in ambiguous.error_line
    assert "web-1" in ambiguous.error_line
    unknown = cli("show", "nope")
    assert unknown.code == 3
    assert "nope" in unknown.error_line


def test_partial_failure_of_a_multi_instance_command(cli: Cli, launched):
    cli.emulator.add_fault("stop_instance", "http_500")
    cli.ok(*LAUNCH, "--product", "a1.rx580", "--tag", "web-2")
    result = cli("stop", "web-1", "web-2")
    assert result.code == 1
    assert len([line for line in result.stderr.splitlines() if line.startswith("error:")]) == 1


def test_destroying_with_yes_needs_the_exact_name(cli: Cli, launched):
    """A script's `terminate job1 --yes` must not hit job10 once job1 is gone."""
    refused = cli("terminate", "web", "--yes")
    assert refused.code == 2
    assert "prefix" in refused.error_line
    assert "web-1" in refused.error_line
    assert len(cli.emulator.state()["instances"]) == 1
    cli.ok("terminate", "web-1", "--yes")
    assert cli.emulator.state()["instances"] == []
