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


def test_the_reference_reads_each_client_methods_real_signature_and_docstring():
    """mkdocstrings reads the source statically (griffe): every public method of both
    clients must be a real definition there, with the parameters and docstring Python
    itself sees, not a `*args, **kwargs` forwarder built at run time."""
    import inspect

    import griffe

    root = PAGE.parents[2]
    package = griffe.load(
        "gpueater_ext", search_paths=[str(root), str(root / "generated")], resolve_aliases=True
    )
    for name in ("GPUEater", "AsyncGPUEater"):
        documented, real = package[name], getattr(gpueater_ext, name)
        methods = [m for m, value in inspect.getmembers(real, inspect.isfunction) if m[0] != "_"]
        assert len(methods) > 60, name  # the whole API, not a stub
        for method in methods:
            member = documented.all_members.get(method)
            where = f"{name}.{method}"
            assert member is not None, f"{where}: not found in the source"
            if member.is_attribute:  # `launch_subcription_instance = launch_subscription_...`
                assert documented.all_members[str(member.value)].is_function, where
                continue
            signature = inspect.signature(getattr(real, method))
            expected = [(p.name, p.kind.name) for p in signature.parameters.values()]
            seen = [(p.name, str(p.kind.name).upper()) for p in member.parameters]
            assert seen == expected, where
            assert member.docstring is not None, f"{where}: no docstring"
            assert member.docstring.value == inspect.getdoc(getattr(real, method)), where
