"""`gpueater` is the one name users type: its 1.5 module API and every public name of
`gpueater_ext` (clients, errors, models), loaded on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

import gpueater
import gpueater_ext


@pytest.mark.parametrize("name", sorted(gpueater_ext.__all__))
def test_every_public_name_of_gpueater_ext_is_on_gpueater(name):
    assert getattr(gpueater, name) is getattr(gpueater_ext, name)
    assert name in gpueater.__all__
    assert name in dir(gpueater)


def test_the_async_client_is_imported_from_the_distribution_name():
    code = (
        "import sys, gpueater\n"
        "early = sorted(m for m in sys.modules if m.startswith(('httpx', 'gpueater_ext._ssh',"
        " 'gpueater_ext._async')))\n"
        "from gpueater import AsyncGPUEater, NotFoundError, Instance\n"
        "print(early, AsyncGPUEater.__name__, NotFoundError.__name__, Instance.__name__)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=True
    ).stdout
    # Importing gpueater loads no HTTP stack, no SSH layer and no async client.
    assert shown.split() == ["[]", "AsyncGPUEater", "NotFoundError", "Instance"]


def test_the_module_api_keeps_its_functions_and_unknown_names_still_fail():
    assert callable(gpueater.ondemand_list)
    assert callable(gpueater.launch_subcription_instance)
    with pytest.raises(AttributeError, match="NoSuchThing"):
        gpueater.NoSuchThing  # noqa: B018
