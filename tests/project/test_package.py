"""What the package ships and what `make demo` installs (issue 21, item 5).

The wheel and sdist are built from a copy of the working tree with the setuptools the
build asks for (installed into a temporary folder), so the checks see what pip would
publish, and nothing is written into the repository.
"""

from __future__ import annotations

import email
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPOSITORY = "https://github.com/aieater/gpueater_python"


def _copy_of_the_tree(where: Path) -> Path:
    tree = where / "tree"
    shutil.copytree(
        ROOT,
        tree,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".git", ".venv*", "node_modules", "build", "dist", "*.egg-info", "__pycache__",
            ".*_cache", ".hypothesis", "docs-build",
        ),
    )  # fmt: skip
    return tree


@pytest.mark.slow
def test_wheel_and_sdist_carry_the_license_changelog_and_project_urls(tmp_path):
    tree = _copy_of_the_tree(tmp_path)
    backend = tmp_path / "backend"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(backend),
         "setuptools>=77"],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    out = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-c",
         # build_meta rewrites sys.argv as it runs: the folder is read first.
         "import sys; out = sys.argv[1]; from setuptools import build_meta as b; "
         "names = b.build_sdist(out), b.build_wheel(out); print(*names)", str(out)],
        cwd=tree, env={"PYTHONPATH": str(backend), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    sdist_name, wheel_name = built.stdout.split()[-2:]

    with zipfile.ZipFile(out / wheel_name) as wheel:
        names = wheel.namelist()
        info = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(wheel.read(info))
        licenses = [name for name in names if ".dist-info/licenses/" in name]
        # read by `gpueater run` and printed by `gpueater run --schema`
        assert "gpueater_ext/_jobs/task.schema.json" in names
        assert [name.rsplit("/", 1)[1] for name in licenses] == ["LICENSE"]
        assert b"MIT License" in wheel.read(licenses[0])
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    urls = dict(url.split(", ", 1) for url in metadata.get_all("Project-URL") or [])
    assert urls["Repository"] == REPOSITORY
    assert set(urls) == {"Homepage", "Documentation", "Repository", "Changelog", "Issues"}
    assert urls["Changelog"].endswith("/CHANGELOG.md")
    classifiers = metadata.get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers
    assert "Programming Language :: Python :: 3.11" in classifiers

    with tarfile.open(out / sdist_name) as sdist:
        top = sdist_name.removesuffix(".tar.gz")
        members = set(sdist.getnames())
    assert {f"{top}/LICENSE", f"{top}/CHANGELOG.md", f"{top}/README.md"} <= members


def test_make_demo_installs_only_what_the_demo_runs(tmp_path):
    tree = _copy_of_the_tree(tmp_path)

    def planned(target: str) -> str:
        # -n: what make would run in a fresh clone (no .venv yet), without running it.
        dry = subprocess.run(
            ["make", "-n", target], cwd=tree, capture_output=True, text=True, timeout=60,
            check=True,
        )  # fmt: skip
        return dry.stdout

    demo = planned("demo")
    assert "pip install --quiet -e '.[emulator]'" in demo
    assert "[dev]" not in demo
    assert "scripts/demo.sh" in demo
    assert "pip install --quiet -e '.[dev]'" in planned("pytest")
