"""The README's SDK example (its "Python SDK" section) runs against the emulator as a user
runs it: a program of its own, configured through the environment, in a fresh HOME. It
prints the instance's tag, state and ssh command line, and terminates what it launched."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.fresh_python import run_python

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_python_sdk_example_of_the_readme_runs(emulator, tmp_path):
    section = README.read_text(encoding="utf-8").split("## Python SDK", 1)[1]
    example = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert example is not None
    finished = run_python(example.group(1), emulator, tmp_path, "-W", "error")
    assert finished.returncode == 0, finished.stderr
    assert re.match(r"gpueater-\w+-[0-9a-f]{8} \w+ ssh ", finished.stdout)
    assert emulator.state()["requests"]["terminate_instance"] == 1
