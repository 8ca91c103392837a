"""docs/reference/python.md documents every public name of gpueater_ext once, by its public
import point (`::: gpueater_ext.NAME`), so a new export cannot be left out of the reference;
the reference's own rendering is `make docs` (mkdocstrings, --strict)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import gpueater_ext

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "python.md"


def test_the_python_reference_lists_every_public_name_once():
    text = PAGE.read_text(encoding="utf-8")
    listed = Counter(re.findall(r"^::: gpueater_ext\.(\w+)$", text, flags=re.MULTILINE))
    assert sorted(listed) == sorted(gpueater_ext.__all__)
    assert [name for name, count in listed.items() if count > 1] == []
    assert not re.search(r"^::: \S*\._", text, flags=re.MULTILINE), "a private module path"
    assert re.search(r"^::: gpueater$", text, flags=re.MULTILINE), "the 1.5 module API"
