"""Hostile file names, hand-picked and generated, with planted commands that must never run."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import strategies as st


def slash_free(path: Path) -> str:
    """A shell word that expands to `path` without holding a '/' (names cannot hold one).

    printf turns the octal escape 057 into '/', so a planted `$(touch <this>)` would write to
    an absolute path outside the user's home, where the test can look for it.
    """
    text = str(path)
    assert not any(c in text for c in "'%\\"), "keep the marker path plain"
    return "\"$(printf '" + text.replace("/", "\\057") + "')\""


def planted_commands(marker: Path) -> list[str]:
    """Fragments that would create `marker` if any shell ever evaluated them."""
    target = slash_free(marker)
    return [
        f"$(touch {target})",
        f"`touch {target}`",
        f";touch {target}",
        f"&& touch {target}",
        f"|touch {target}",
        f"\ntouch {target}\n",
        f"'; touch {target}; '",
        f'"; touch {target}; "',
    ]


def hostile_names(marker: Path) -> list[str]:
    names = [
        "it's",
        'say "hi"',
        "a;b",
        "a && b",
        "a|b",
        "a > b",
        "<in",
        "with space",
        " padded ",
        "new\nline",
        "ends with newline\n",
        "\nstarts with newline",
        "tab\there",
        "-leading-dash",
        "-",
        "--",
        "-rf",
        "*",
        "?",
        "[",
        "[ab]",
        "{a,b}",
        "back\\slash",
        "a\\nb",
        "ünïcödé 日本語 🚀",
        "~",
        "~root",
        ".hidden",
        "...",
        "%h %r %%",
        "$HOME",
        "${HOME}",
        "!bang",
        "(paren",
        "#hash",
        "=equals",
        os.fsdecode(b"latin1-\xe9-not-utf8"),
    ]
    names += [f"x{planted}" for planted in planted_commands(marker)]
    return names


# Characters shells, globbing, option parsing, ssh and tar care about, plus any other text.
_SPECIAL = list("'\"$()`;&|<>*?[]{}\\!~#%=^ \t\n\r-.,:@+")
name_characters = st.one_of(
    st.sampled_from(_SPECIAL),
    st.characters(codec="utf-8", exclude_characters="/\0"),
)


def file_names(planted: list[str]) -> st.SearchStrategy[str]:
    """Any valid single file name (no '/', no NUL, not . or ..), sometimes with a plant."""
    plain = st.text(name_characters, min_size=1, max_size=30)
    names = st.one_of(plain, st.tuples(plain, st.sampled_from(planted)).map("".join))
    return names.filter(lambda n: n not in (".", "..") and len(os.fsencode(n)) <= 200)
