"""The README's SDK example (its "Python SDK" section) runs against the emulator as a user
runs it: a program of its own, configured through the environment, in a fresh HOME. It
prints the instance's tag, state and ssh command line, and terminates what it launched."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_python_sdk_example_of_the_readme_runs(emulator, tmp_path):
    section = README.read_text(encoding="utf-8").split("## Python SDK", 1)[1]
    example = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert example is not None
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GPUEATER_")}
    environment.update(
        HOME=str(tmp_path),
        GPUEATER_URL=emulator.url,
        GPUEATER_EMAIL=emulator.email,
        GPUEATER_PASSWORD=emulator.password,
    )
    finished = subprocess.run(
        [sys.executable, "-W", "error", "-c", example.group(1)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        check=False,
        timeout=60,
    )
    assert finished.returncode == 0, finished.stderr
    assert re.match(r"gpueater-\w+-[0-9a-f]{8} \w+ ssh ", finished.stdout)
    assert emulator.state()["requests"]["terminate_instance"] == 1
