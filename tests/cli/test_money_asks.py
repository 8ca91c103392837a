"""Issue 21, item 2: commands that commit recurring money show the price and ask on a
terminal (a real pty), refuse without one unless --yes; launch says its hourly price; the
COST column and the JSON `cost` are right for on-demand and subscription instances."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.support.cli import Cli
from tests.support.hostile_proxy import hostile_proxy
from tests.support.pty_session import TerminalRun, on_terminal

PLAN = "a1.rx580 monthly"  # plan-i-1, $199 a month in the emulator's catalog
ON_SUBSCRIPTION = (
    "launch", "--subscription", PLAN, "--image", "Ubuntu16.04 x64", "--ssh-key", "work-key",
    "--tag", "monthly-1",
)  # fmt: skip


def asked(cli: Cli, *args: str, prompt: str, answer: str) -> TerminalRun:
    """`gpueater ARGS` on a terminal, answered once it asks `prompt`."""
    run = on_terminal(cli, *args, prompt=prompt, answer=answer)
    assert run.prompted, run.screen
    return run


def committed(cli: Cli) -> tuple[list[Any], list[Any]]:
    """The account's subscriptions and subscription invoices."""
    return (
        cli.ok("subscriptions", "-o", "json").json(),
        cli.ok("invoices", "--subscription", "-o", "json").json(),
    )


@pytest.mark.slow
def test_subscribe_without_a_terminal_is_refused_and_commits_nothing(cli: Cli):
    refused = cli("subscribe", "instance", PLAN)
    assert refused.code == 2
    assert refused.stdout == ""
    assert refused.error_line == (
        "error: refusing to subscribe to instance plan a1.rx580 monthly (plan-i-1) without "
        "confirmation (price: $199.00 a month): pass --yes"
    )
    assert committed(cli) == ([], [])


@pytest.mark.slow
def test_subscribe_on_a_terminal_shows_the_price_and_no_means_no(cli: Cli):
    declined = asked(cli, "subscribe", "instance", "a1.rx", prompt="[y/N]", answer="n")
    assert declined.code == 1
    assert "price: $199.00 a month\n" in declined.screen
    # The prefix is shown resolved, so the person knows what they agree to.
    assert "Subscribe to instance plan a1.rx580 monthly (plan-i-1)? [y/N]" in declined.screen
    assert "cancelled: did not subscribe" in declined.screen
    assert committed(cli) == ([], [])

    agreed = asked(cli, "subscribe", "instance", "a1.rx", prompt="[y/N]", answer="y")
    assert agreed.code == 0, agreed.screen
    [subscription], [invoice] = committed(cli)
    assert (subscription["plan_id"], subscription["status"]) == ("plan-i-1", "ACTIVE")
    assert invoice["amount"] == 199.0


@pytest.mark.slow
def test_subscribe_with_yes_needs_the_exact_name_and_says_the_price(cli: Cli):
    guessed = cli("subscribe", "network", "Static", "--yes")
    assert guessed.code == 2
    assert "matched only as a prefix" in guessed.error_line
    assert committed(cli) == ([], [])
    done = cli.ok("subscribe", "network", "Static IPv4 monthly", "--yes")
    assert (
        "note: subscribe to network plan Static IPv4 monthly (plan-n-1); price: $10.00 a month"
        in done.stderr.splitlines()
    )
    quiet = cli.ok("subscribe", "storage", "plan-s-1", "--yes", "-o", "json")
    assert quiet.json()["plan_id"] == "plan-s-1"
    assert quiet.stderr == ""  # -o json: stdout is the answer, stderr stays quiet


def test_a_huge_volume_is_priced_and_refused_without_a_terminal(cli: Cli):
    refused = cli("volume", "create", "--size", "100000000")
    assert refused.code == 2
    line = refused.error_line
    assert line.startswith("error: refusing to create a 100000000 GB (100 PB) volume without")
    # The service prices no volume; the storage plan's rate is quoted, as a rate.
    assert "price: not listed for volumes" in line
    assert "1 TB SSD monthly costs $50.00 a month for 1000 GB" in line
    assert "at that rate, about $5,000,000.00 a month" in line
    assert line.endswith("pass --yes")
    assert cli.ok("volumes", "-o", "json").json() == []


def test_volume_create_on_a_terminal_asks(cli: Cli):
    declined = asked(
        cli, "volume", "create", "--size", "2000", "--name", "big", prompt="[y/N]", answer="n"
    )
    assert declined.code == 1
    assert "about $100.00 a month" in declined.screen
    assert "Create a 2000 GB (2 TB) volume named big? [y/N]" in declined.screen
    assert cli.ok("volumes", "-o", "json").json() == []
    agreed = asked(
        cli, "volume", "create", "--size", "2000", "--name", "big", prompt="[y/N]", answer="y"
    )
    assert agreed.code == 0, agreed.screen
    assert [(v["name"], v["size"]) for v in cli.ok("volumes", "-o", "json").json()] == [
        ("big", 2000)
    ]


@pytest.mark.slow
def test_launch_says_its_hourly_price_and_does_not_ask(cli: Cli):
    cli.ok("ssh-key", "generate", "work-key", "--register")
    price = next(
        p["price"] for p in cli.ok("products", "-o", "json").json() if p["name"] == "a1.rx580"
    )
    launched = cli.ok(
        "launch", "--product", "a1.rx580", "--image", "Ubuntu16.04 x64", "--ssh-key", "work-key"
    )  # no terminal, no --yes: scripts and `make demo` launch unattended
    assert launched.stderr.splitlines()[0] == (
        f"note: launching a1.rx580 on demand at ${price:.4f} an hour"
    )
    as_json = cli.ok(
        "launch", "--product", "a1.rx580", "--image", "Ubuntu16.04 x64", "--ssh-key", "work-key",
        "-o", "json",
    )  # fmt: skip
    assert as_json.json()["cost"]["usd_per_hour"] == price  # stdout is one JSON value


@pytest.fixture
def two_kinds(cli: Cli, launched: dict[str, Any]) -> dict[str, Any]:
    """web-1 on demand (the `launched` fixture) and monthly-1 on a subscription."""
    subscription = cli.ok("subscribe", "instance", PLAN, "--yes", "-o", "json").json()
    launching = cli.ok(*ON_SUBSCRIPTION, "--wait", "running")
    assert launching.stderr.splitlines()[0] == (
        f"note: launching on subscription {PLAN} ({subscription['subscription_id']}): no "
        "hourly charge, the subscription is invoiced on its own ($199.00 a month)"
    )
    on_plan = cli.ok("show", "monthly-1", "-o", "json").json()
    return {
        "ondemand": launched,
        "subscription": on_plan,
        "subscription_id": subscription["subscription_id"],
    }


@pytest.mark.slow
def test_a_subscription_instance_costs_nothing_per_hour(cli: Cli, two_kinds: dict[str, Any]):
    sub_id = two_kinds["subscription_id"]
    on_plan_id = two_kinds["subscription"]["instance_id"]
    assert two_kinds["subscription"]["cost"] == {
        "billing": "subscription",
        "usd_per_hour": 0.0,
        "usd_so_far": 0.0,
        "subscription_id": sub_id,
    }
    listed = {i["instance_id"]: i for i in cli.ok("instances", "-o", "json").json()}
    assert listed[on_plan_id]["cost"]["billing"] == "subscription"
    # The API's fields are all still there, unchanged: `cost` is an addition.
    assert listed[on_plan_id]["price"] == two_kinds["ondemand"]["price"]
    assert cli.ok("show", "monthly-1", "-o", "json").json()["cost"] == listed[on_plan_id]["cost"]

    rows = {line.split()[0]: line.split() for line in cli.ok("instances").stdout.splitlines()}
    assert rows["ID"][5:7] == ["$/H", "COST"]
    assert rows[on_plan_id][5:7] == ["-", "subscription"]
    shown = cli.ok("show", "monthly-1").stdout
    assert f"subscription {sub_id}: no hourly charge, invoiced with the subscription" in shown

    # As the invoices have it: the on-demand invoice leaves the subscription instance out.
    cli.emulator.advance_clock(3600)
    open_invoice = cli.ok("invoices", "-o", "json").json()[-1]
    price = two_kinds["ondemand"]["price"]  # both run a1.rx580: with it, it would be 2 h's
    assert price <= open_invoice["amount"] < 2 * price


@pytest.mark.slow
def test_an_on_demand_instance_costs_price_times_time(cli: Cli, two_kinds: dict[str, Any]):
    web = two_kinds["ondemand"]
    assert web["cost"]["billing"] == "ondemand"
    assert web["cost"]["usd_per_hour"] == web["price"]
    assert web["cost"]["subscription_id"] is None
    # Launched two hours ago by this machine's clock, as a service would answer then (the
    # emulator's own clock may run ahead of it: tests move it forward).
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    created = before - datetime.timedelta(hours=2)
    shown_created = created.isoformat().replace("+00:00", "Z")
    with hostile_proxy(cli.emulator.url, {web["created_at"]: shown_created}) as url:
        listed = cli.ok("instances", "-o", "json", env={"GPUEATER_URL": url}).json()
        table = cli.ok("instances", env={"GPUEATER_URL": url}).stdout
    after = datetime.datetime.now(datetime.UTC)
    [cost] = [i["cost"] for i in listed if i["instance_id"] == web["instance_id"]]
    hours = [(moment - created).total_seconds() / 3600 for moment in (before, after)]
    assert web["price"] * hours[0] <= cost["usd_so_far"] <= web["price"] * hours[1]
    row = next(line.split() for line in table.splitlines() if line.startswith(web["instance_id"]))
    assert row[5:7] == [f"{web['price']:.4f}", f"{cost['usd_so_far']:.2f}"]


def test_when_the_subscriptions_cannot_be_read_the_instances_still_list(cli: Cli, launched):
    cli.emulator.add_fault("subscribed_list", "malformed_json", count=20)
    listed = cli("instances", "-o", "json")
    assert listed.code == 0, listed.stderr
    [instance] = listed.json()
    assert instance["cost"] == {
        "billing": "unknown",
        "usd_per_hour": None,
        "usd_so_far": None,
        "subscription_id": None,
    }
    [warning] = listed.stderr.splitlines()
    assert warning.startswith("warning: costs not shown: reading the subscriptions")
