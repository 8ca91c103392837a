"""The campaign's counts reach the terminal at the end of the run and a JSON file
(`campaign-counts.json` in pytest's base temporary folder), for the README's Reliability
section."""

from __future__ import annotations

import json

import pytest

from tests.campaign.harness import SUMMARY


@pytest.fixture(scope="session", autouse=True)
def campaign_summary_file(tmp_path_factory: pytest.TempPathFactory) -> None:
    SUMMARY.path = tmp_path_factory.getbasetemp() / "campaign-counts.json"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not SUMMARY.sections:
        return
    terminalreporter.section("fault campaign")
    for name, counts in SUMMARY.sections.items():
        terminalreporter.write_line(f"{name}: {json.dumps(counts, sort_keys=True)}")
    if SUMMARY.path is not None:
        terminalreporter.write_line(f"(saved in {SUMMARY.path})")
