"""`make check-generated` catches a spec edited without regenerating the client."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def copy_project(destination: Path) -> Path:
    for folder in ("openapi", "scripts", "generated"):
        shutil.copytree(
            ROOT / folder, destination / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    return destination


def check_generated(project: Path) -> subprocess.CompletedProcess[str]:
    # The copy has no .venv of its own: find the pinned generator and ruff beside this Python.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        [str(project / "scripts" / "check_generated.sh")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.mark.slow
def test_unchanged_spec_passes_and_edited_spec_fails(tmp_path):
    project = copy_project(tmp_path)
    assert check_generated(project).returncode == 0

    spec = project / "openapi" / "gpueater.yaml"
    text = spec.read_text()
    marker = "limited: {type: boolean, description: Offered to a limited set of accounts only.}"
    assert marker in text
    spec.write_text(text.replace(marker, marker + "\n        region_id: {type: string}", 1))

    result = check_generated(project)
    assert result.returncode == 1
    assert "run 'make generate'" in result.stderr
    assert "product.py" in result.stderr


def test_hand_edit_of_generated_code_fails(tmp_path):
    project = copy_project(tmp_path)
    client = project / "generated" / "gpueater_client" / "client.py"
    client.write_text(client.read_text() + "\n# edited by hand\n")
    result = check_generated(project)
    assert result.returncode == 1
    assert "client.py" in result.stderr
