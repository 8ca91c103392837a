"""The compat halves skip only for a missing runtime or registry, and never under CI's
GPUEATER_REQUIRE_COMPAT=1; any other install failure fails."""

from __future__ import annotations

import pytest

from tests.compat import installs


def test_without_node_the_node_half_skips_with_one_line(monkeypatch):
    monkeypatch.delenv("GPUEATER_REQUIRE_COMPAT", raising=False)
    monkeypatch.setattr("tests.compat.installs.shutil.which", lambda name: None)
    with pytest.raises(pytest.skip.Exception, match="needs node and npm") as skipped:
        installs.install_node_client()
    assert "\n" not in str(skipped.value)


def test_under_ci_a_missing_node_fails(monkeypatch):
    monkeypatch.setenv("GPUEATER_REQUIRE_COMPAT", "1")
    monkeypatch.setattr("tests.compat.installs.shutil.which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match="forbids skipping"):
        installs.install_node_client()


@pytest.mark.parametrize("required", ["", "1"])
def test_an_unreachable_registry_skips_unless_required(monkeypatch, tmp_path, required):
    monkeypatch.setenv("GPUEATER_REQUIRE_COMPAT", required)
    unreachable = ["sh", "-c", "echo 'Temporary failure in name resolution' >&2; exit 1"]
    expected = pytest.fail.Exception if required else pytest.skip.Exception
    with pytest.raises(expected, match="registry is not reachable"):
        installs._run_install("a client", unreachable, tmp_path)


def test_a_refused_file_always_fails(monkeypatch, tmp_path):
    monkeypatch.delenv("GPUEATER_REQUIRE_COMPAT", raising=False)
    refused = ["sh", "-c", "echo 'THESE PACKAGES DO NOT MATCH THE HASHES' >&2; exit 1"]
    with pytest.raises(pytest.fail.Exception, match="failed to install"):
        installs._run_install("a client", refused, tmp_path)
