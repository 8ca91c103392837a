"""Subscriptions, invoices with their PDF, and a live-migration transaction, over HTTP."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from gpueater_client.api.instance import (
    launch_subcription_instance,
    subscription_list,
    terminate_instance,
)
from gpueater_client.api.payment import invoice_list, make_invoice, subscription_invoice_list
from gpueater_client.api.special import cancel_transaction, live_migration, peak_transaction
from gpueater_client.api.ssh_key import ssh_key_list
from gpueater_client.api.subscription import (
    subscribe_instance,
    subscribe_network,
    subscribed_list,
    subscription_instance_list,
    subscription_network_list,
    unsubscribe_instance,
)
from gpueater_client.models import (
    InstanceActionForm,
    LaunchSubscriptionInstanceForm,
    LiveMigrationForm,
    SubscriptionIdForm,
    TransactionIdForm,
)

from tests.emulator.generated_client import data_of, error_of, find_instance, launch


def test_subscribe_launch_on_it_and_cancel(api, emulator):
    plans = data_of(subscription_instance_list.sync_detailed(client=api))
    plan = next(plan for plan in plans if plan.name == "a1.rx580 monthly")
    subscription = data_of(
        subscribe_instance.sync_detailed(
            client=api, body=SubscriptionIdForm(subscription_id=plan.plan_id)
        )
    )
    assert (subscription.status, subscription.kind, subscription.product_id) == (
        "ACTIVE",
        "instance",
        "3",
    )
    by_id = SubscriptionIdForm(subscription_id=subscription.subscription_id)

    on_demand = launch(api, "key-source")  # registers a key we can reuse
    key = data_of(ssh_key_list.sync_detailed(client=api))[0]
    catalog = data_of(subscription_list.sync_detailed(client=api))
    assert [s.subscription_id for s in catalog.subscriptions] == [subscription.subscription_id]
    launched = launch_subcription_instance.sync_detailed(
        client=api,
        body=LaunchSubscriptionInstanceForm(
            subscription_id=subscription.subscription_id,
            image="ubuntu-16.04-x64",
            ssh_key_id=key.id,
            tag="monthly-box",
        ),
    )
    assert data_of(launched) is None
    monthly = find_instance(api, "monthly-box")
    assert monthly.product_name == "a1.rx580"

    error = error_of(unsubscribe_instance.sync_detailed(client=api, body=by_id))
    assert (error.field, error.code) == ("subscription_id", "invalid_state")
    data_of(
        terminate_instance.sync_detailed(
            client=api,
            body=InstanceActionForm(
                instance_id=monthly.instance_id, machine_resource_id=monthly.machine_resource_id
            ),
        )
    )
    cancelled = data_of(unsubscribe_instance.sync_detailed(client=api, body=by_id))
    assert cancelled.status == "CANCELLED"
    statuses = [s.status for s in data_of(subscribed_list.sync_detailed(client=api))]
    assert statuses == ["CANCELLED"]
    invoices = data_of(subscription_invoice_list.sync_detailed(client=api))
    assert [(invoice.kind, invoice.amount) for invoice in invoices] == [("subscription", 199.0)]
    assert on_demand.state == "RUNNING"


def test_a_plan_of_another_kind_is_not_subscribed(api, emulator):
    network_plan = data_of(subscription_network_list.sync_detailed(client=api))[0]
    wrong_kind = SubscriptionIdForm(subscription_id=network_plan.plan_id)
    error = error_of(subscribe_instance.sync_detailed(client=api, body=wrong_kind))
    assert (error.field, error.code) == ("subscription_id", "not_found")
    assert data_of(subscribe_network.sync_detailed(client=api, body=wrong_kind)).kind == "network"


def _pdf_text_objects(document: bytes) -> list[str]:
    """Check the PDF's structure by hand and answer the strings it shows."""
    assert document.startswith(b"%PDF-1.")
    assert document.rstrip().endswith(b"%%EOF")
    xref_at = int(re.findall(rb"startxref\s+(\d+)", document)[-1])
    assert document[xref_at:].startswith(b"xref")
    header = re.match(rb"xref\s+0\s+(\d+)", document[xref_at:])
    assert header is not None
    count = int(header.group(1))
    offsets = re.findall(rb"(\d{10}) 00000 n", document[xref_at:])
    assert len(offsets) == count - 1
    for number, offset in enumerate(offsets, start=1):
        assert document[int(offset) :].startswith(b"%d 0 obj" % number)
    return [text.decode("latin-1") for text in re.findall(rb"\((.*?)\) Tj", document)]


def test_invoice_accrues_from_running_time_and_renders_as_pdf(api, emulator):
    launch(api, "billed")  # a1.rx580 at 0.3968 USD per hour
    emulator.advance_clock(1800)  # under the session's hour, so the session stays valid
    invoices = data_of(invoice_list.sync_detailed(client=api))
    current = invoices[-1]
    assert (current.status, current.kind, current.currency) == ("OPEN", "ondemand", "USD")
    assert current.amount == pytest.approx(0.1984, abs=0.001)
    assert [invoice.status for invoice in invoices[:-1]] == ["PAID", "PAID"]

    rendered = make_invoice.sync_detailed(client=api, invoice_id=current.invoice_id)
    assert rendered.status_code == 200
    assert rendered.headers["content-type"] == "application/pdf"
    lines = _pdf_text_objects(rendered.content)
    assert f"Invoice: {current.invoice_id}" in lines
    assert any(line.startswith("Amount due: 0.198") for line in lines)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_poppler_reads_the_invoice_pdf(api, emulator, tmp_path):
    current = data_of(invoice_list.sync_detailed(client=api))[-1]
    document = tmp_path / "invoice.pdf"
    document.write_bytes(
        make_invoice.sync_detailed(client=api, invoice_id=current.invoice_id).content
    )
    text = subprocess.run(
        ["pdftotext", str(document), "-"], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    assert "GPUEater invoice" in text
    assert f"Invoice: {current.invoice_id}" in text
    assert "pdftotext" not in text


def test_unknown_invoice_answers_the_json_error_envelope(api, emulator):
    answer = make_invoice.sync_detailed(client=api, invoice_id="inv-00000")
    assert answer.headers["content-type"] == "application/json"
    assert b'"field":"invoice_id"' in answer.content


def test_migration_transaction_is_reported_cancelled_and_completed(api, emulator):
    instance = launch(api, "mover")
    move = LiveMigrationForm(instance_id=instance.instance_id, product_id="4", region_id="osaka-1")
    started = data_of(live_migration.sync_detailed(client=api, body=move))
    assert (started.kind, started.status, started.instance_id) == (
        "live_migration",
        "PENDING",
        instance.instance_id,
    )
    by_id = TransactionIdForm(transaction_id=started.transaction_id)
    emulator.advance_clock(12)  # 40 % of the emulator's 30-second migration
    peeked = data_of(peak_transaction.sync_detailed(client=api, body=by_id))
    assert peeked.status == "RUNNING"
    assert 40 <= peeked.progress < 100
    cancelled = data_of(cancel_transaction.sync_detailed(client=api, body=by_id))
    assert cancelled.status == "CANCELLED"
    assert peeked.progress <= cancelled.progress < 100
    emulator.advance_clock(60)
    later = data_of(peak_transaction.sync_detailed(client=api, body=by_id))
    assert (later.status, later.progress) == ("CANCELLED", cancelled.progress)
    assert find_instance(api, "mover").product_name == "a1.rx580"

    second = data_of(live_migration.sync_detailed(client=api, body=move))
    emulator.advance_clock(30)
    done_id = TransactionIdForm(transaction_id=second.transaction_id)
    done = data_of(peak_transaction.sync_detailed(client=api, body=done_id))
    assert (done.status, done.progress) == ("DONE", 100)
    moved = find_instance(api, "mover")
    assert (moved.product_name, moved.state) == ("n1.p1000", "RUNNING")
    error = error_of(cancel_transaction.sync_detailed(client=api, body=done_id))
    assert (error.field, error.code) == ("transaction_id", "invalid_state")
