"""CSV cells (unit): text that a spreadsheet would run as a formula is defused, numbers
stay numbers, control characters are escaped; `-o csv` end to end is in
test_output_formats.py."""

from __future__ import annotations

import pytest

from gpueater_ext.cli._data_formats import csv_cell, csv_rows


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_starting_like_a_formula_gets_an_apostrophe(text: str) -> None:
    cell = csv_cell(text)
    assert cell.startswith("'")
    assert "\t" not in cell
    assert "\r" not in cell


def test_numbers_booleans_and_empty_are_written_as_data() -> None:
    assert [csv_cell(value) for value in (-1.5, -3, True, None, "web-1")] == [
        "-1.5", "-3", "true", "", "web-1",
    ]  # fmt: skip


def test_nested_objects_become_dotted_columns_and_lists_json() -> None:
    heading, rows = csv_rows([{"id": "1", "status": {"ipv4": "x"}, "ports": [22, 80]}])
    assert heading == ["id", "status.ipv4", "ports"]
    assert rows == [["1", "x", "[22,80]"]]


def test_a_thing_that_only_wraps_a_list_is_that_lists_rows() -> None:
    heading, rows = csv_rows({"port_list": [{"port": 22}, {"port": 8888}]})
    assert (heading, rows) == (["port"], [["22"], ["8888"]])
