"""Install the published 1.5 clients once, each beside the project and never inside it.

- Python `gpueater==1.5.0` goes into `.venv-compat/` (its own virtualenv: it is also called
  `gpueater`), from `tests/compat/python/requirements.txt` with `--require-hashes`.
- Node `gpueater@1.5.3` goes into `tests/compat/node/node_modules` by `npm ci
  --ignore-scripts` from that folder's own lock file.

Each install is stamped with a hash of what it was installed from, so a later run reuses it
until the pins change, and it runs under a file lock, so two pytest runs in one tree never
build it at the same time. Where the runtime (node/npm) or the package registry is missing,
the half skips with one line, unless `GPUEATER_REQUIRE_COMPAT=1` (CI) makes that a failure.
Any other install failure (a wrong hash, a broken lock file) always fails.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

__all__ = ["NODE_DIR", "install_node_client", "install_python_client", "require_or_skip"]

REPOSITORY = Path(__file__).resolve().parents[2]
COMPAT_DIR = Path(__file__).resolve().parent
PYTHON_REQUIREMENTS = COMPAT_DIR / "python" / "requirements.txt"
PYTHON_VENV = REPOSITORY / ".venv-compat"
NODE_DIR = COMPAT_DIR / "node"
_INSTALL_TIMEOUT_SECONDS = 600

# What pip and npm print when the registry cannot be reached (as opposed to refusing a file).
_UNREACHABLE_MARKERS = (
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "Max retries exceeded",
    "ProxyError",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ECONNREFUSED",
    "ECONNRESET",
    "ETIMEDOUT",
    "ENETUNREACH",
)


def require_or_skip(reason: str) -> None:
    """Skip with one line, or fail when GPUEATER_REQUIRE_COMPAT=1 forbids skipping."""
    if os.environ.get("GPUEATER_REQUIRE_COMPAT") == "1":
        pytest.fail(f"{reason} (GPUEATER_REQUIRE_COMPAT=1 forbids skipping)", pytrace=False)
    pytest.skip(f"{reason} (GPUEATER_REQUIRE_COMPAT=1 makes this an error)")


def _fingerprint(*files: Path) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _locked(lock_file: Path) -> Iterator[None]:
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run_install(what: str, command: list[str], cwd: Path) -> None:
    finished = subprocess.run(
        command,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=_INSTALL_TIMEOUT_SECONDS,
        check=False,
    )
    if finished.returncode == 0:
        return
    output = (finished.stdout + finished.stderr).strip()
    if any(marker in output for marker in _UNREACHABLE_MARKERS):
        last_line = output.splitlines()[-1] if output else "no output"
        require_or_skip(f"{what}: the package registry is not reachable ({last_line})")
    pytest.fail(f"{what} failed to install:\n{output}", pytrace=False)


def install_python_client() -> Path:
    """The compat virtualenv's python, with gpueater 1.5.0 installed (once per pin set)."""
    stamp = PYTHON_VENV / f".installed-{_fingerprint(PYTHON_REQUIREMENTS)}"
    python = PYTHON_VENV / "bin" / "python"
    with _locked(REPOSITORY / ".venv-compat.lock"):
        if stamp.is_file() and python.is_file():
            return python
        shutil.rmtree(PYTHON_VENV, ignore_errors=True)
        _run_install("venv", [sys.executable, "-m", "venv", str(PYTHON_VENV)], REPOSITORY)
        _run_install(
            "gpueater==1.5.0 from PyPI",
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-input",
                "--disable-pip-version-check",
                "--require-hashes",
                "--requirement",
                str(PYTHON_REQUIREMENTS),
            ],
            REPOSITORY,
        )
        stamp.touch()
    return python


def install_node_client() -> Path:
    """The folder whose node_modules holds gpueater 1.5.3 (once per lock file)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        require_or_skip("the published Node client needs node and npm on PATH")
    lock = NODE_DIR / "package-lock.json"
    stamp = (
        NODE_DIR / "node_modules" / f".installed-{_fingerprint(NODE_DIR / 'package.json', lock)}"
    )
    with _locked(NODE_DIR / ".install.lock"):
        if stamp.is_file():
            return NODE_DIR
        # --ignore-scripts: no package of 2018 runs code at install time here.
        _run_install(
            "gpueater@1.5.3 from npm",
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            NODE_DIR,
        )
        stamp.touch()
    return NODE_DIR
