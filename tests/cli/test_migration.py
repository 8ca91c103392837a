"""`migrate`, `transaction show` and `transaction cancel` against the emulator: a migration
followed to its end, one cancelled, and bad destinations."""

from __future__ import annotations

import re

import pytest

from tests.support.cli import Cli
from tests.support.following import run_following

MIGRATE = ("migrate", "web-1", "--product", "a1.vega56", "--region", "osaka-1")


def test_a_migration_is_followed_to_its_end(cli: Cli, launched):
    result = run_following(
        cli,
        *MIGRATE,
        "--wait",
        "--poll",
        "0.05",
        meanwhile=lambda _: cli.emulator.advance_clock(30),
    )
    assert result.code == 0, result.stderr
    assert "transaction" in result.stderr
    assert "%" in result.stderr
    assert "DONE" in result.stdout
    transaction_id = result.stdout.split()[1]  # first line: "transaction_id  t-..."
    shown = cli.ok("transaction", "show", transaction_id, "-o", "json").json()
    assert (shown["status"], shown["progress"]) == ("DONE", 100)
    moved = cli.ok("show", "web-1", "-o", "json").json()
    assert (moved["product_name"], moved["state"]) == ("a1.vega56", "RUNNING")


@pytest.mark.slow
def test_a_migration_is_cancelled(cli: Cli, launched):
    started = cli.ok(*MIGRATE, "-o", "json").json()
    assert (started["kind"], started["instance_id"]) == ("live_migration", launched["instance_id"])
    transaction_id = started["transaction_id"]
    cancelled = cli.ok("transaction", "cancel", transaction_id, "-o", "json").json()
    assert cancelled["status"] == "CANCELLED"
    assert cli.ok("transaction", "show", transaction_id, "-o", "json").json() == cancelled
    cli.emulator.advance_clock(60)
    assert cli.ok("show", "web-1", "-o", "json").json()["product_name"] == "a1.rx580"
    again = cli("transaction", "cancel", transaction_id, "-o", "json")
    assert again.code == 1
    assert "CANCELLED" in again.error_line
    assert again.stdout == ""


def test_a_followed_migration_cancelled_elsewhere_ends_in_an_error(cli: Cli, launched):
    def cancel_it(stderr: str) -> None:
        transaction_id = re.search(r"transaction (t-\S+)", stderr)
        assert transaction_id, stderr
        cli.ok("transaction", "cancel", transaction_id.group(1))

    result = run_following(cli, *MIGRATE, "--wait", "--poll", "0.05", meanwhile=cancel_it)
    assert result.code == 1
    assert result.stdout == ""
    assert "ended CANCELLED" in result.error_line


@pytest.mark.slow
def test_bad_migrations(cli: Cli, launched):
    unknown_region = cli("migrate", "web-1", "--product", "a1.vega56", "--region", "mars-1")
    assert unknown_region.code == 3
    assert "osaka-1" in unknown_region.error_line
    not_offered = cli("migrate", "web-1", "--product", "a1.vega56", "--region", "tokyo-1")
    assert not_offered.code == 1
    assert "offered in: osaka-1" in not_offered.error_line
    unknown_product = cli("migrate", "web-1", "--product", "a1.vega5", "--region", "osaka-1")
    assert unknown_product.code == 3
    assert "a1.vega56" in unknown_product.error_line
    unknown_transaction = cli("transaction", "show", "t-nope", "-o", "json")
    assert unknown_transaction.code == 3  # the service found no such transaction
    assert unknown_transaction.stdout == ""
    cli.ok("stop", "web-1", "--wait")
    stopped = cli(*MIGRATE)
    assert stopped.code == 1
    assert "RUNNING" in stopped.error_line
