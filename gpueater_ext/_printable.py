"""The one rule for showing text that came from the service or an instance.

A tag, a name, an error message or an instance's stderr may hold terminal escape
sequences (`\\x1b[2J` clears the screen, `\\x1b]0;...\\x07` retitles the window, `\\x9b`
is a one-byte CSI) or characters that make a name look like another (the bidi override
U+202E, the zero-width space U+200B). Such text is shown, never obeyed:

- every character `str.isprintable()` rejects is shown as its Python escape: C0 controls
  and DEL (`\\x1b`, `\\x7f`), C1 controls (`\\x9b`), format characters such as bidi
  overrides and zero-width characters (`\\u202e`, `\\u200b`), line and paragraph
  separators, non-breaking and other non-ASCII spaces (`\\xa0`), unassigned code points
  and private-use characters (`\\U000f0000`);
- a lone surrogate U+DC80..U+DCFF (a byte that was not UTF-8, decoded with
  `surrogateescape`) is shown as that byte, `\\xNN`;
- newline and tab are kept only where the caller says the text is several lines
  (`keep="\\n\\t"`); in a table cell, a one-line message or a prompt they are escaped too.

A backslash is left as it is (as `ls` always showed names), so `\\x1b` typed literally
and an escaped ESC look alike; neither can do anything to the terminal.
JSON output needs none of this: `json.dumps` with its default `ensure_ascii=True` writes
every non-ASCII and control character as a `\\uXXXX` escape.
"""

from __future__ import annotations

__all__ = ["printable"]


def printable(text: str, *, keep: str = "") -> str:
    """`text` with every character that is not printable shown as an escape (see above)."""
    if text.isprintable():
        return text  # the common case, in one C loop
    return "".join(
        character if character.isprintable() or character in keep else _escaped(character)
        for character in text
    )


def _escaped(character: str) -> str:
    if "\udc80" <= character <= "\udcff":
        return f"\\x{ord(character) - 0xDC00:02x}"
    return character.encode("unicode_escape").decode("ascii")
