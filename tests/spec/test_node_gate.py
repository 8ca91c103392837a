"""Without a suitable Node the spec targets skip with a notice, except where
GPUEATER_REQUIRE_NODE=1 (CI) makes that an error; and mk/spec.mk leaves `make` without a
goal meaning `make help`. The documentation site (`make docs`) builds without Node: only
the spec's HTML page (`make spec-html`) needs it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TARGETS = ["spec-lint", "spec-interop", "spec-mock-check", "spec-html"]


def make(*arguments: str, require_node: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"GPUEATER_REQUIRE_NODE", "MAKEFLAGS"}}
    if require_node:
        env["GPUEATER_REQUIRE_NODE"] = "1"
    # SPEC_NODE_OK= on the command line stands for "no suitable Node.js on this machine".
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "SPEC_NODE_OK=", *arguments],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("target", TARGETS)
def test_without_node_a_target_skips_with_a_notice(target):
    result = make(target, require_node=False)
    assert result.returncode == 0
    assert result.stdout.strip() == (
        f"skipped {target}: needs Node.js >= 20.19 with npm "
        "(GPUEATER_REQUIRE_NODE=1 makes this an error)"
    )


@pytest.mark.parametrize("target", TARGETS)
def test_without_node_a_required_target_fails(target):
    result = make(target, require_node=True)
    assert result.returncode != 0
    assert f"error: {target} needs Node.js >= 20.19" in result.stderr


def test_make_without_a_goal_still_prints_help():
    result = make(require_node=False)
    assert result.returncode == 0
    assert "make test" in result.stdout
    assert "skipped" not in result.stdout


@pytest.mark.slow
def test_without_node_the_docs_site_still_builds(tmp_path):
    site = tmp_path / "site"
    result = make("docs", f"SITE_DIR={site}", require_node=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("skipped spec-html: needs Node.js >= 20.19")
    assert (site / "reference" / "http-api" / "index.html").is_file()


def test_without_node_ci_cannot_build_the_docs_site_without_the_html_reference():
    result = make("docs", require_node=True)
    assert result.returncode != 0
    assert "error: spec-html needs Node.js >= 20.19" in result.stderr
