"""Payment operations: invoices that accrue from running time, and their PDF."""

from __future__ import annotations

from typing import Any

from ..arguments import Arguments
from ..errors import not_found
from ..pdf import text_pdf
from ..world import InvoiceRecord, World, billing_period
from . import DocumentAnswer

__all__ = ["HANDLERS"]


def _current_ondemand_invoice(world: World) -> InvoiceRecord:
    """This month's open invoice: price x RUNNING time of every on-demand instance so far."""
    now = world.now
    instances = [*world.instances.values(), *world.terminated]
    amount = sum(
        instance.charges_usd(now) for instance in instances if instance.subscription_id is None
    )
    return InvoiceRecord(
        world.current_invoice_id, "ondemand", billing_period(now), amount, "OPEN", world.started_at
    )


def invoice_list(world: World, arguments: Arguments) -> list[dict[str, Any]]:
    invoices = [*world.paid_invoices, _current_ondemand_invoice(world)]
    return [invoice.as_json() for invoice in invoices]


def subscription_invoice_list(world: World, arguments: Arguments) -> list[dict[str, Any]]:
    return [invoice.as_json() for invoice in world.subscription_invoices]


def make_invoice(world: World, arguments: Arguments) -> DocumentAnswer:
    invoice_id = arguments.text("invoice_id")
    invoices = [
        *world.paid_invoices,
        _current_ondemand_invoice(world),
        *world.subscription_invoices,
    ]
    invoice = next((found for found in invoices if found.invoice_id == invoice_id), None)
    if invoice is None:
        raise not_found("invoice_id", "invoice", invoice_id)
    described = invoice.as_json()
    lines = [
        "GPUEater invoice",
        "",
        f"Invoice: {invoice.invoice_id}",
        f"Kind: {invoice.kind}",
        f"Period: {invoice.period}",
        f"Status: {invoice.status}",
        f"Issued: {described['created_at']}",
        "",
        f"Amount due: {described['amount']:.4f} USD",
    ]
    return DocumentAnswer(
        text_pdf(f"GPUEater invoice {invoice.invoice_id}", lines),
        "application/pdf",
        f"{invoice.invoice_id}.pdf",
    )


HANDLERS = {
    "invoice_list": invoice_list,
    "subscription_invoice_list": subscription_invoice_list,
    "make_invoice": make_invoice,
}
