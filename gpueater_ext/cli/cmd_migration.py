"""Live migration and the transaction that follows it: `migrate`, `transaction show|cancel`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from gpueater_ext.cli import _say
from gpueater_ext.cli._jobs import follow_job, job_wait_options
from gpueater_ext.cli._lookup import check_region, find_instance
from gpueater_ext.cli._output import print_json, print_object
from gpueater_ext.cli._state import CliState, output_option, pass_state

if TYPE_CHECKING:
    from gpueater_ext import GPUEater, Product, Transaction

__all__ = ["migrate", "transaction"]

MIGRATION_TIMEOUT_SECONDS = 3600.0
TRANSACTION_FIELDS = [
    "transaction_id",
    "kind",
    "status",
    "progress",
    "instance_id",
    "created_at",
    "updated_at",
]


def _print_transaction(state: CliState, found: Transaction) -> None:
    if state.json:
        print_json(found)
    else:
        print_object(found, TRANSACTION_FIELDS)


def _destination(client: GPUEater, product_name: str, region: str) -> Product:
    """The product to move to, checked against the regions it is offered in (its pool), so
    a typo in the region is named before anything is asked of the service."""
    catalog = client.ondemand_list()
    product = catalog.get_product(product_name)
    if region not in (product.pool or []):
        check_region(client, region)
        offered = ", ".join(product.pool or []) or "nowhere (out of stock)"
        raise click.ClickException(
            f"product {product.name} is not offered in {region}; it is offered in: {offered}"
        )
    return product


@click.command()
@click.argument("instance")
@click.option("--product", required=True, metavar="NAME", help="Product to move to.")
@click.option("--region", required=True, metavar="REGION", help="Region to move to.")
@job_wait_options(default_timeout=MIGRATION_TIMEOUT_SECONDS)
@output_option
@pass_state
def migrate(
    state: CliState,
    instance: str,
    product: str,
    region: str,
    wait: bool,
    timeout: float,
    poll: float,
) -> None:
    """Move a RUNNING INSTANCE to another machine (--product) in --region, without stopping it.

    Prints the migration's transaction; --wait follows it until it ends.
    """
    client = state.client()
    moving = find_instance(client, instance)
    target = _destination(client, product, region)
    started = client.live_migration(moving, product_id=target.id, region_id=region)
    if state.chatty:
        _say.echo(
            f"migrating {moving.tag} ({moving.instance_id}) to {target.name} in {region}: "
            f"transaction {started.transaction_id}",
            err=True,
        )
    if wait:
        started = _follow(state, client, started, timeout, poll)
    _print_transaction(state, started)


def _follow(
    state: CliState, client: GPUEater, started: Transaction, timeout: float, poll: float
) -> Transaction:
    transaction_id = started.transaction_id
    return follow_job(
        client.wait_for_transaction,
        started,
        label=f"migration {transaction_id}",
        succeeded="DONE",
        goes_on=(
            f"the migration goes on: follow it with 'gpueater transaction show "
            f"{transaction_id}' or stop it with 'gpueater transaction cancel {transaction_id}'"
        ),
        timeout=timeout,
        poll=poll,
        show=state.chatty,
    )


@click.group()
def transaction() -> None:
    """Look at or cancel a transaction (such as a live migration)."""


@transaction.command("show")
@click.argument("transaction_id", metavar="ID")
@output_option
@pass_state
def show_transaction(state: CliState, transaction_id: str) -> None:
    """A transaction's status and progress."""
    _print_transaction(state, state.client().peak_transaction(transaction_id=transaction_id))


@transaction.command("cancel")
@click.argument("transaction_id", metavar="ID")
@output_option
@pass_state
def cancel_transaction(state: CliState, transaction_id: str) -> None:
    """Cancel a transaction that has not ended (a migration stays where it was)."""
    _print_transaction(state, state.client().cancel_transaction(transaction_id=transaction_id))
