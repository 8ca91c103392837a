"""`make spec-mock-check` fails when Prism finds a request or an example invalid, when an
operation has no call, and never leaves Prism running.

Each test serves a deliberately broken copy of the spec with Prism, so they need the Node
tools: `make spec-mock-check` installs them and runs this module after its own check, with
GPUEATER_SPEC_TOOLS=1. A plain pytest run skips it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "spec_mock_check.sh"
PRISM = ROOT / "node_modules" / ".bin" / "prism"

pytestmark = pytest.mark.skipif(
    os.environ.get("GPUEATER_SPEC_TOOLS") != "1",
    reason="needs the Node tools; `make spec-mock-check` runs these tests",
)

Spec = dict[str, Any]


@pytest.fixture(scope="module", autouse=True)
def _prism_installed() -> None:
    # Under GPUEATER_SPEC_TOOLS=1 a missing Prism is a broken install, not a reason to skip.
    assert PRISM.exists(), f"{PRISM} is missing: run `make spec-mock-check`"


def broken_spec(tmp_path: Path, breakage: Callable[[Spec], None]) -> Path:
    spec = yaml.safe_load((ROOT / "openapi" / "gpueater.yaml").read_text(encoding="utf-8"))
    breakage(spec)
    path = tmp_path / "gpueater.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def prism_processes(spec: Path) -> list[int]:
    """Pids of the `prism mock` processes serving this spec file (each test's file has its
    own path; the check script's own command line names the file too, but not `mock`)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"mock" in arguments and str(spec).encode() in arguments:
            pids.append(int(entry.name))
    return pids


def run_check(spec: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(SCRIPT), str(spec)], capture_output=True, text=True, timeout=120, check=False
    )
    assert prism_processes(spec) == [], "Prism was left running"
    return result


def failures(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """operationId -> the FAIL line's text."""
    lines = [line.split(None, 2) for line in result.stdout.splitlines() if line.startswith("FAIL")]
    return {parts[1]: parts[2] if len(parts) > 2 else "" for parts in lines}


def test_a_request_the_spec_forbids_fails_the_check(tmp_path):
    def ports_up_to_100(spec: Spec) -> None:
        spec["components"]["schemas"]["PortForm"]["properties"]["port"]["maximum"] = 100

    result = run_check(broken_spec(tmp_path, ports_up_to_100))

    assert result.returncode == 1
    found = failures(result)
    assert set(found) == {"open_port", "close_port"}
    assert "HTTP 422" in found["open_port"]
    assert "port must be <= 100" in found["open_port"]
    assert "2 failed" in result.stdout


def test_calls_without_the_session_cookie_fail_the_check(tmp_path):
    def other_cookie_name(spec: Spec) -> None:
        spec["components"]["securitySchemes"]["session"]["name"] = "another_cookie"

    result = run_check(broken_spec(tmp_path, other_cookie_name))

    assert result.returncode == 1
    found = failures(result)
    assert "api_login" not in found  # login needs no session
    assert "HTTP 401" in found["instance_list"]


def test_an_example_that_breaks_its_schema_fails_the_check(tmp_path):
    def numeric_state(spec: Spec) -> None:
        answer = spec["paths"]["/console/servers/instance_list"]["get"]["responses"]["200"]
        answer["content"]["application/json"]["example"]["data"][0]["state"] = 5

    result = run_check(broken_spec(tmp_path, numeric_state))

    assert result.returncode == 1
    assert "state must be string" in failures(result)["instance_list"]


def test_an_operation_without_a_call_fails_the_check(tmp_path):
    def renamed_operation(spec: Spec) -> None:
        spec["paths"]["/console/servers/make_invoice"]["get"]["operationId"] = "invoice_pdf"

    result = run_check(broken_spec(tmp_path, renamed_operation))

    assert result.returncode == 1
    found = failures(result)
    assert "no call in spec_mock_check.py" in found["invoice_pdf"]
    assert "is not an operation" in found["make_invoice"]


def test_stopping_the_check_stops_prism(tmp_path):
    spec = broken_spec(tmp_path, lambda spec: None)
    check = subprocess.Popen(
        [str(SCRIPT), str(spec)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while not prism_processes(spec):
            assert check.poll() is None, "the check ended before Prism started"
            assert time.monotonic() < deadline, "Prism did not start"
            time.sleep(0.05)
        check.send_signal(signal.SIGTERM)
        assert check.wait(timeout=30) == 128 + signal.SIGTERM
    finally:
        if check.poll() is None:
            check.kill()
            check.wait()
    assert prism_processes(spec) == [], "Prism outlived the check"
