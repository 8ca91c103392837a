"""Issue 21, item 1: a tag names one instance, and only tags of the documented rule are sent
(`gpueater_ext._tags`, `gpueater_ext.cli._tag_use`), against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.cli import Cli
from tests.support.web_console import console_rename

LAUNCH = (
    "launch", "--product", "a1.rx580", "--image", "Ubuntu16.04 x64", "--ssh-key", "work-key",
)  # fmt: skip


def tags(cli: Cli) -> list[str]:
    return [i["tag"] for i in cli.ok("instances", "-o", "json").json()]


@pytest.mark.slow
def test_launch_and_tag_refuse_a_tag_in_use_and_name_its_instance(cli: Cli, launched):
    web_id = launched["instance_id"]
    again = cli(*LAUNCH, "--tag", "web-1")
    assert again.code == 2
    assert f"tag 'web-1' is already used by instance {web_id} (RUNNING)" in again.error_line
    assert "--allow-duplicate-tag" in again.error_line
    assert tags(cli) == ["web-1"]  # nothing was launched

    other = cli.ok(*LAUNCH, "--tag", "from-img", "-o", "json").json()
    renamed = cli("tag", "from-img", "web-1")
    assert renamed.code == 2
    assert f"instance {web_id} (RUNNING)" in renamed.error_line
    assert sorted(tags(cli)) == ["from-img", "web-1"]
    # So the names people use keep working: nothing became ambiguous.
    assert cli.ok("show", "web-1", "-o", "json").json()["instance_id"] == web_id
    cli.ok("tag", "web-1", "web-1")  # renaming an instance to its own tag is no clash

    shared = cli.ok("tag", "from-img", "web-1", "--allow-duplicate-tag", "-o", "json").json()
    assert (shared["instance_id"], shared["tag"]) == (other["instance_id"], "web-1")
    cli.ok(*LAUNCH, "--tag", "web-1", "--allow-duplicate-tag")
    ambiguous = cli("show", "web-1")  # what the flag's help warns of
    assert ambiguous.code == 2
    assert "ambiguous" in ambiguous.error_line


def test_a_launch_in_flight_holds_its_tag(cli: Cli, launched):
    """An instance still carrying the launch tag of `job` (TAG-launch-<hex>) is a launch of
    `job` not yet renamed: a second `launch --tag job` is refused too."""
    console_rename(cli.emulator, launched["instance_id"], "job-launch-0123456789ab")
    refused = cli(*LAUNCH, "--tag", "job")
    assert refused.code == 2
    assert f"instance {launched['instance_id']} (RUNNING)" in refused.error_line
    assert tags(cli) == ["job-launch-0123456789ab"]


def test_wild_tags_are_refused_before_anything_is_sent(cli: Cli, launched):
    for wild, problem in (
        ("my job; rm -rf /", "' ', '/', ';' are not allowed"),
        ("x" * 300, "(300 characters): is longer than 40 characters"),
        ("esc\x1b[2J", "'\\x1b', '[' are not allowed"),
    ):
        refused = cli(*LAUNCH, "--tag", wild)
        assert refused.code == 2, refused.stderr
        assert refused.error_line.startswith("error: --tag ")
        assert problem in refused.error_line
        assert "a tag is 1 to 40 characters: ASCII letters, digits" in refused.error_line
        assert "\x1b" not in refused.stderr
        renamed = cli("tag", "web-1", wild)
        assert renamed.code == 2
        assert renamed.error_line.startswith("error: NEW_TAG ")
    assert tags(cli) == ["web-1"]
    empty = cli("tag", "web-1", "")
    assert empty.code == 2
    assert "is empty" in empty.error_line


def test_generated_tags_pass_the_rule(cli: Cli, launched):
    made = cli.ok(*LAUNCH, "-o", "json").json()
    assert made["tag"].startswith("gpueater-")


@pytest.mark.slow
def test_an_instance_tagged_in_the_web_console_still_lists_shows_and_goes_by_id(
    cli: Cli, launched: dict[str, Any]
):
    odd = "Team A's box; (console) " + "x" * 60
    instance_id = launched["instance_id"]
    console_rename(cli.emulator, instance_id, odd)
    assert tags(cli) == [odd]
    assert instance_id in cli.ok("instances").stdout
    assert cli.ok("show", instance_id, "-o", "json").json()["tag"] == odd
    cli.ok("stop", instance_id, "--wait")
    renamed = cli.ok("tag", instance_id, "team-a", "-o", "json").json()
    assert renamed["tag"] == "team-a"
    console_rename(cli.emulator, instance_id, odd)
    cli.ok("terminate", instance_id, "--yes", "--wait")
    assert tags(cli) == []
