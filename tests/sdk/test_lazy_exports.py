"""`gpueater_ext` loads its public names on first use; every one of them must resolve."""

from __future__ import annotations

import subprocess
import sys

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
        gpueater_ext.NoSuchThing  # noqa: B018
