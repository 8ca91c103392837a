"""`plans`, `subscriptions`, `subscribe`, `unsubscribe` and `launch --subscription` against
the emulator."""

from __future__ import annotations

import pytest

from tests.support.cli import Cli

LAUNCH_ON_SUBSCRIPTION = (
    "launch", "--subscription", "a1.rx580 monthly", "--image", "Ubuntu16.04 x64",
    "--ssh-key", "work-key", "--tag", "monthly-1",
)  # fmt: skip


def test_plans_of_every_kind_and_of_one(cli: Cli):
    every = cli.ok("plans", "-o", "json").json()
    assert {plan["kind"] for plan in every} == {"instance", "storage", "network"}
    storage = cli.ok("plans", "--kind", "storage", "-o", "json").json()
    assert [plan["kind"] for plan in storage] == ["storage"]
    assert "Static IPv4 monthly" in cli.ok("plans").stdout


@pytest.mark.slow
def test_an_instance_subscription_launches_an_instance_and_is_cancelled(cli: Cli):
    cli.ok("ssh-key", "generate", "work-key", "--register")
    subscribed = cli.ok("subscribe", "instance", "a1.rx580 monthly", "--yes", "-o", "json").json()
    assert (subscribed["kind"], subscribed["status"]) == ("instance", "ACTIVE")

    instance = cli.ok(*LAUNCH_ON_SUBSCRIPTION, "-o", "json").json()
    assert (instance["tag"], instance["product_name"]) == ("monthly-1", "a1.rx580")
    listed = cli.ok("subscriptions", "-o", "json").json()
    assert [(s["subscription_id"], s["instance_id"]) for s in listed] == [
        (subscribed["subscription_id"], instance["instance_id"])
    ]

    busy = cli("unsubscribe", "instance", "a1.rx580 monthly", "--yes")
    assert busy.code == 1
    assert "terminate the instance first" in busy.error_line
    cli.ok("terminate", "monthly-1", "--yes", "--wait")
    cancelled = cli.ok(
        "unsubscribe", "instance", subscribed["subscription_id"], "--yes", "-o", "json"
    ).json()
    assert cancelled["status"] == "CANCELLED"
    assert "CANCELLED" in cli.ok("subscriptions").stdout


@pytest.mark.slow
def test_storage_and_network_subscriptions_by_plan_name_prefix(cli: Cli):
    # Subscribing commits money: with --yes only by exact id or name (a person at a
    # terminal sees what a prefix resolved to before agreeing: tests/cli/test_money_asks.py).
    guessed_plan = cli("subscribe", "storage", "1 TB", "--yes")
    assert guessed_plan.code == 2
    assert "prefix" in guessed_plan.error_line
    storage = cli.ok("subscribe", "storage", "1 TB SSD monthly", "--yes", "-o", "json").json()
    network = cli.ok("subscribe", "network", "plan-n-1", "--yes", "-o", "json").json()
    assert (storage["plan_id"], network["plan_id"]) == ("plan-s-1", "plan-n-1")
    refused = cli("unsubscribe", "network", "Static")
    assert refused.code == 2
    assert "--yes" in refused.error_line
    # With --yes nobody sees what a prefix resolved to: the exact name is needed.
    guessed = cli("unsubscribe", "network", "Static", "--yes")
    assert guessed.code == 2
    assert "prefix" in guessed.error_line
    network_name, storage_name = "Static IPv4 monthly", "1 TB SSD monthly"
    cancelled = cli.ok("unsubscribe", "network", network_name, "--yes", "-o", "json").json()
    assert cancelled["status"] == "CANCELLED"
    cancelled = cli.ok("unsubscribe", "storage", storage_name, "--yes", "-o", "json").json()
    assert cancelled["status"] == "CANCELLED"
    # A cancelled subscription is not named by its plan any more, only by its id.
    again = cli("unsubscribe", "storage", "1 TB", "--yes")
    assert again.code == 3
    assert "no storage subscription is named" in again.error_line


def test_bad_subscription_requests(cli: Cli):
    unknown_plan = cli("subscribe", "instance", "Static IPv4 monthly", "-o", "json")
    assert unknown_plan.code == 3
    assert unknown_plan.stdout == ""
    assert "no instance plan is named" in unknown_plan.error_line
    bad_kind = cli("subscribe", "gpu", "plan-i-1")
    assert bad_kind.code == 2
    both = cli(*LAUNCH_ON_SUBSCRIPTION, "--product", "a1.rx580")
    assert both.code == 2
    assert "not both" in both.error_line
    nothing = cli(*LAUNCH_ON_SUBSCRIPTION)
    assert nothing.code == 3
    assert "no instance subscription is named" in nothing.error_line
