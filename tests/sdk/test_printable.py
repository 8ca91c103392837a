"""The one rule for showing untrusted text (gpueater_ext._printable.printable)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpueater_ext._printable import printable


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("\x9b31m", "\\x9b31m"),
        ("a\u202eb", "a\\u202eb"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("del\x7f", "del\\x7f"),
        ("line\nbreak\ttab", "line\\nbreak\\ttab"),
        ("not utf-8 \udcff", "not utf-8 \\xff"),
        ("private \U000f0000", "private \\U000f0000"),
        ("Grüße 東京 web-1", "Grüße 東京 web-1"),
    ],
)
def test_control_and_invisible_characters_are_shown_escaped(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_newline_and_tab_stay_where_the_caller_keeps_them() -> None:
    assert printable("a\nb\tc\x1b", keep="\n\t") == "a\nb\tc\\x1b"


@given(st.text())
def test_the_result_is_always_printable_and_escaping_twice_changes_nothing(text: str) -> None:
    shown = printable(text)
    assert shown.isprintable()
    assert printable(shown) == shown
