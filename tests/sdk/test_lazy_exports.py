"""`gpueater_ext` loads its public names on first use; every one of them must resolve."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import gpueater_ext


def test_every_public_name_resolves_to_its_module():
    assert sorted(gpueater_ext.__all__) == sorted(gpueater_ext._EXPORTS)
    for name in gpueater_ext.__all__:
        value = getattr(gpueater_ext, name)
        assert getattr(value, "__module__", gpueater_ext._EXPORTS[name]).startswith("gpueater_ext")


def test_importing_the_package_loads_no_client_code():
    """The command line imports gpueater_ext for every command, --help included."""
    code = (
        "import sys, gpueater_ext; "
        "print(sorted(m for m in sys.modules if m.startswith(('gpueater_ext.', 'httpx'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    # _httpx_main only arranges, with the standard library, how httpx will load later.
    assert loaded.strip() == "['gpueater_ext._httpx_main']"


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match="NoSuchThing"):
        # mypy refuses the name too (the lazy __getattr__ is hidden from it); were it not,
        # this ignore would be unused, and --strict fails on an unused ignore.
        gpueater_ext.NoSuchThing  # type: ignore[attr-defined]  # noqa: B018


def _in_a_fresh_process(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()


def test_httpx_loads_without_its_cli_module_and_httpx_main_still_works():
    """gpueater_ext._httpx_main: httpx imported after gpueater_ext leaves its CLI module
    (click, rich, pygments) unloaded, and `httpx.main` is still httpx's own command."""
    code = (
        "import sys, gpueater_ext, httpx\n"
        "print(sorted(m for m in ('httpx._main', 'rich', 'pygments') if m in sys.modules))\n"
        "main = httpx.main\n"
        "print(main is sys.modules['httpx._main'].main, type(main).__module__)\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit as end:\n"
        "    print('exit', end.code)\n"
    )
    lines = _in_a_fresh_process(code).splitlines()
    assert lines[0] == "[]"
    assert lines[1] == "True click.core"
    assert "A next generation HTTP client" in "\n".join(lines)  # httpx's own help
    assert lines[-1] == "exit 0"


def test_httpx_itself_still_imports_its_cli_module():
    """The assumption _httpx_main rests on: plain `import httpx` (click and rich installed)
    loads httpx._main, from `__init__`, with a fallback on ImportError. If an httpx upgrade
    stops doing so, this fails: then _httpx_main is no longer needed, remove it."""
    import httpx

    source = (Path(httpx.__file__).parent / "__init__.py").read_text(encoding="utf-8")
    assert "from ._main import main\nexcept ImportError:" in source
    loaded = _in_a_fresh_process("import sys, httpx; print('httpx._main' in sys.modules)")
    assert loaded == "True"
