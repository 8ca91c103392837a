"""The shipped pytest plugin as a user meets it: a test file of their own, run by pytest
(pytester, in a separate process as their CI would), with nothing of this repository's
tests/ on the path."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gpueater_emulator.entry import EXTRA_MODULES


@pytest.mark.slow
def test_a_users_failing_assertion_fails_their_test(pytester: pytest.Pytester):
    pytester.makepyfile(
        test_wrong="""
        def test_expects_an_instance(gpueater_client):
            assert gpueater_client.instance_list() != []
        """
    )
    result = pytester.runpytest_subprocess("-p", "gpueater_emulator.pytest_plugin")
    result.assert_outcomes(failed=1)


def test_loading_the_plugin_imports_none_of_the_emulators_dependencies():
    probe = (
        "import sys, gpueater_emulator.pytest_plugin\n"
        f"print(sorted(set({EXTRA_MODULES!r}) & set(sys.modules)))\n"
        "print('gpueater_ext' in sys.modules, 'gpueater_emulator.server' in sys.modules)\n"
    )
    printed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout.splitlines()
    assert printed == ["[]", "False False"]


@pytest.mark.slow
def test_without_the_extra_a_fixture_fails_with_the_install_line(pytester, monkeypatch):
    hide = pytester.mkdir("hide-extra")
    (hide / "sitecustomize.py").write_text(
        f"import sys\nfor _name in {EXTRA_MODULES!r}:\n    sys.modules[_name] = None\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(hide))
    pytester.makepyfile(
        test_uses_it="""
        def test_needs_the_emulator(gpueater_emulator):
            pass

        def test_does_not():
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "gpueater_emulator.pytest_plugin")
    result.assert_outcomes(passed=1, errors=1)
    output = result.stdout.str()
    assert "pip install 'gpueater[emulator]'" in output
    assert "Traceback" not in output
    assert "During handling" not in output
