"""The pytest plugin's example in docs/guides/emulator.md (the block `# test_my_automation.py`)
passes as a user's own test file: run by pytest (pytester, in a separate process as their
CI would), with nothing of this repository's tests/ on the path."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "guides" / "emulator.md"


def page_example() -> str:
    """The user's test file the page shows, verbatim."""
    text = PAGE.read_text(encoding="utf-8")
    found = re.search(r"```python\n(# test_my_automation\.py\n.*?)```", text, re.DOTALL)
    assert found, f"{PAGE.name}: the plugin's example (# test_my_automation.py) is missing"
    return found.group(1)


def run_user_suite(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str
) -> pytest.RunResult:
    pytester.makepyfile(test_my_automation=page_example())
    # The user's machine: no GPUEATER_* of the developer, a HOME without ~/.eater.
    for name in [name for name in os.environ if name.startswith("GPUEATER_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(pytester.path))
    return pytester.runpytest_subprocess("-p", "gpueater_emulator.pytest_plugin", *args)


def test_the_guides_example_passes_as_a_users_own_test_file(pytester, monkeypatch):
    result = run_user_suite(pytester, monkeypatch)
    result.assert_outcomes(passed=3)
