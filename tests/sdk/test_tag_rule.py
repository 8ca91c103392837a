"""The tag rule (`gpueater_ext._tags`): what it admits, and that the SDK checks the tags it
would send before sending anything, never the tags the service returns."""

from __future__ import annotations

import pytest

from gpueater_ext import NO_RETRY, GPUEater, Instance, InvalidArgumentError, new_tag
from gpueater_ext._plans.launch import launch_tag
from gpueater_ext._tags import MAX_TAG_LENGTH, SENT_TAG, check_tag
from tests.sdk.fakes import BASE_URL, EMAIL, PASSWORD, instance

FORM = {"product_id": "3", "image": "ubuntu", "ssh_key_id": "5"}
GOOD = ["HappyGPUProgramming", "web-1", "train_v2.3", "7", "a" * MAX_TAG_LENGTH]
BAD = [
    "",
    "my job; rm -rf /",
    "x" * 300,
    "a" * (MAX_TAG_LENGTH + 1),
    "-leading-dash",
    ".hidden",
    "spaced name",
    "quote'd",
    "bell\a",
    "esc\x1b[2J",
    "line\nbreak",
    "日本語",
    "web-launch-0123456789ab",  # the shape of a launch in flight
]


def client() -> GPUEater:
    return GPUEater(
        BASE_URL, email=EMAIL, password=PASSWORD, retry_policy=NO_RETRY, sleep=lambda s: None
    )


@pytest.mark.parametrize("tag", GOOD)
def test_the_rule_admits_ordinary_tags_and_their_launch_tags(tag):
    assert check_tag(tag) == tag
    assert SENT_TAG.fullmatch(tag)
    assert SENT_TAG.fullmatch(launch_tag(tag))


def test_the_rule_admits_every_generated_tag():
    for _ in range(200):
        generated = new_tag()
        assert check_tag(generated) == generated


@pytest.mark.parametrize("tag", BAD)
def test_the_rule_refuses_with_one_line_naming_the_problem(tag):
    with pytest.raises(InvalidArgumentError) as refused:
        check_tag(tag, "--tag")
    message = str(refused.value)
    assert message.startswith("--tag ")
    assert "a tag is 1 to 40 characters" in message
    assert "\n" not in message  # repr shows them, never prints them raw
    assert "\x1b" not in message
    assert len(message) < 300  # a 300-character tag is quoted in part


@pytest.mark.parametrize("tag", ["my job; rm -rf /", "x" * 300])
def test_a_launch_with_a_bad_tag_sends_nothing(service, tag):
    with client() as eater, pytest.raises(InvalidArgumentError, match="launch_ondemand_instance"):
        eater.launch_ondemand_instance(FORM, tag=tag)
    assert service.logins == 0
    assert service.router.routes["launch_ondemand_instance"].call_count == 0


def test_a_rename_to_a_bad_tag_sends_nothing(service):
    service.instances = [instance("1", tag="box")]
    with client() as eater:
        box = Instance.from_payload(service.instances[0], operation="instance_list")
        with pytest.raises(InvalidArgumentError, match="change_instance_tag: tag"):
            eater.change_instance_tag(box, tag="a b")
        with pytest.raises(InvalidArgumentError, match="change_instance_tag: tag"):
            eater.change_instance_tag({"instance_id": "1", "tag": "a;b"})
    assert service.router.routes["change_instance_tag"].call_count == 0
    assert service.instances[0]["tag"] == "box"


def test_tags_the_service_returns_are_never_checked(service):
    """An instance tagged in the web console (a space, 60 characters) still lists, is found
    by its id, and renaming it to a good tag works."""
    odd = "Console box (team A) " + "x" * 40
    service.instances = [instance("1", tag=odd)]
    with client() as eater:
        [listed] = eater.instance_list()
        assert listed.tag == odd
        renamed = eater.change_instance_tag("1", tag="team-a")
    assert renamed.tag == "team-a"
