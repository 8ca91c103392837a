"""Invoices: `invoices [--subscription]` and `invoice pdf INVOICE --to FILE`."""

from __future__ import annotations

from pathlib import Path

import click

from gpueater_ext.cli import _say
from gpueater_ext.cli._exit import CliUsageError
from gpueater_ext.cli._names import pick_by_name
from gpueater_ext.cli._output import Column, print_json, print_table
from gpueater_ext.cli._state import CliState, output_option, pass_state

__all__ = ["invoice", "invoices", "write_new_file"]

INVOICE_COLUMNS = (
    Column.field("ID", "invoice_id"),
    Column.field("KIND", "kind"),
    Column.field("PERIOD", "period"),
    Column(
        "AMOUNT",
        lambda row: f"{row['amount']:.2f} {row.get('currency') or 'USD'}",
        "right",
    ),
    Column.field("STATUS", "status"),
    Column.field("CREATED", "created_at"),
)


@click.command()
@click.option(
    "--subscription", is_flag=True, help="Invoices for subscriptions instead of on-demand use."
)
@output_option
@pass_state
def invoices(state: CliState, subscription: bool) -> None:
    """Invoices for on-demand instances (this month's open one included)."""
    client = state.client()
    found = client.subscription_invoice_list() if subscription else client.invoice_list()
    if state.json:
        print_json(found)
    else:
        print_table(found, INVOICE_COLUMNS, empty="no invoices")


@click.group()
def invoice() -> None:
    """Invoice documents."""


@invoice.command("pdf")
@click.argument("invoice_name", metavar="INVOICE")
@click.option(
    "--to",
    "destination",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Where to save the PDF.",
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@output_option
@pass_state
def invoice_pdf(state: CliState, invoice_name: str, destination: Path, force: bool) -> None:
    """Save an invoice (by id or unique prefix, on-demand or subscription) as a PDF.

    FILE appears whole or not at all, and an existing FILE is kept unless --force.
    """
    _refuse_existing(destination, force)  # before the download: fail fast
    client = state.client()
    chosen = pick_by_name(
        [*client.invoice_list(), *client.subscription_invoice_list()],
        invoice_name,
        kind="invoice",
        id_of=lambda found: found.invoice_id,
        label_of=lambda found: None,
    )
    document = client.make_invoice(invoice_id=chosen.invoice_id)
    write_new_file(destination, document, replace=force)
    result = {"invoice_id": chosen.invoice_id, "file": str(destination), "bytes": len(document)}
    if state.json:
        print_json(result)
    elif state.chatty:
        _say.echo(f"saved invoice {chosen.invoice_id} to {destination}", err=True)


def _refuse_existing(destination: Path, force: bool) -> None:
    if not destination.parent.is_dir():
        raise CliUsageError(f"cannot save to {destination}: folder {destination.parent} not found")
    if destination.exists() and not force:
        raise _exists(destination)


def _exists(destination: Path) -> CliUsageError:
    return CliUsageError(
        f"{destination} already exists and is left as it is: pass --force to replace it"
    )


def write_new_file(destination: Path, data: bytes, *, replace: bool) -> None:
    """Write `data` to `destination` so that it appears whole or not at all, even when the
    command is killed: a private temporary file in the same folder, flushed to disk, then
    moved into place in one step (`_local_files`; a killed run's temporary is removed by
    the next write into that folder).

    Without `replace`, the move is a hard link, which fails if the name exists, so a file
    that appeared since the caller looked is not overwritten either. The file is private
    (mode 0600), as an invoice is.
    """
    from gpueater_ext._local_files import write_file

    try:
        write_file(destination, data, keep_existing=not replace)
    except FileExistsError:
        raise _exists(destination) from None
