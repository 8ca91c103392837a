"""`invoices [--subscription]` and `invoice pdf INVOICE --to FILE` against the emulator."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.cli import Cli


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder of the test's own (tmp_path also holds the CLI's HOME)."""
    made = tmp_path / "out"
    made.mkdir()
    return made


def first_invoice(cli: Cli) -> str:
    invoice_id: str = cli.ok("invoices", "-o", "json").json()[0]["invoice_id"]
    return invoice_id


def test_on_demand_and_subscription_invoices(cli: Cli):
    on_demand = cli.ok("invoices", "-o", "json").json()
    assert {i["kind"] for i in on_demand} == {"ondemand"}
    assert [i["status"] for i in on_demand][-1] == "OPEN"  # this month's, still accruing
    assert cli.ok("invoices", "--subscription", "-o", "json").json() == []
    cli.ok("subscribe", "network", "plan-n-1", "--yes")
    subscription = cli.ok("invoices", "--subscription", "-o", "json").json()
    assert [(i["kind"], i["amount"]) for i in subscription] == [("subscription", 10.0)]
    assert "USD" in cli.ok("invoices").stdout


def test_an_invoice_is_saved_as_a_real_pdf(cli: Cli, folder: Path):
    invoice_id = first_invoice(cli)
    target = folder / "invoice.pdf"
    saved = cli.ok("invoice", "pdf", invoice_id, "--to", str(target), "-o", "json").json()
    document = target.read_bytes()
    assert saved == {"invoice_id": invoice_id, "file": str(target), "bytes": len(document)}
    assert document.startswith(b"%PDF-")
    assert document.rstrip().endswith(b"%%EOF")
    assert [p.name for p in folder.iterdir()] == ["invoice.pdf"]  # no temporary file left
    if shutil.which("pdftotext"):  # optional: CI does not install poppler
        text = subprocess.run(
            ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert invoice_id in text


def test_an_existing_file_is_kept_unless_forced(cli: Cli, folder: Path):
    invoice_id = first_invoice(cli)
    target = folder / "mine.pdf"
    target.write_bytes(b"my own notes")
    result = cli("invoice", "pdf", invoice_id, "--to", str(target), "-o", "json")
    assert result.code == 2
    assert result.stdout == ""
    assert "already exists" in result.error_line
    assert "--force" in result.error_line
    assert target.read_bytes() == b"my own notes"
    cli.ok("invoice", "pdf", invoice_id, "--to", str(target), "--force")
    assert target.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in folder.iterdir()] == ["mine.pdf"]


def test_bad_invoice_requests(cli: Cli, folder: Path):
    unknown = cli("invoice", "pdf", "inv-nope", "--to", str(folder / "x.pdf"))
    assert unknown.code == 3
    assert "no invoice is named 'inv-nope'" in unknown.error_line
    ambiguous = cli("invoice", "pdf", "inv-", "--to", str(folder / "x.pdf"))
    assert ambiguous.code == 2
    assert "ambiguous" in ambiguous.error_line
    no_folder = cli("invoice", "pdf", "inv-", "--to", str(folder / "missing" / "x.pdf"))
    assert no_folder.code == 2
    assert "not found" in no_folder.error_line
    assert list(folder.iterdir()) == []
