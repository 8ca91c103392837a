"""`python -m gpueater_emulator` as a process: start-up, refusals, clean shutdown."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

import httpx
import pytest

from tests.support.emulator_process import start_emulator

# The issue asks for "ready within 2 seconds"; this bound is generous so a loaded CI machine
# does not fail it (about 0.4 s was measured here).
READY_BOUND_SECONDS = 10.0


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_starts_quickly_and_stops_cleanly(tmp_path, stop_signal):
    started = time.monotonic()
    server = start_emulator(tmp_path)
    assert time.monotonic() - started < READY_BOUND_SECONDS
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.url)
    assert httpx.get(server.url + "/login", timeout=10).status_code == 200

    server.process.send_signal(stop_signal)
    assert server.process.wait(timeout=10) == 0
    # The ready file is gone; only the log the test itself asked for is left.
    assert sorted(path.name for path in tmp_path.iterdir()) == ["emulator.log"]
    assert "Traceback" not in server.log()


def test_a_non_loopback_host_is_refused_without_allow_remote():
    # A documentation address (RFC 5737): the refusal comes before any attempt to bind.
    finished = subprocess.run(
        [sys.executable, "-m", "gpueater_emulator", "--host", "192.0.2.1", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert finished.returncode == 2
    assert "--allow-remote" in finished.stderr


def test_without_credentials_a_demo_account_is_made_and_printed(tmp_path):
    ready = tmp_path / "url"
    log = tmp_path / "log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gpueater_emulator", "--port", "0", "--ready-file", str(ready)],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        for _ in range(200):
            if ready.is_file() or process.poll() is not None:
                break
            time.sleep(0.05)
        printed = log.read_text()
        account = re.search(r"demo account (\S+) password (\S+)", printed)
        token = re.search(r"demo token (\S+) secret (\S+)", printed)
        assert account is not None
        assert token is not None
        with httpx.Client(base_url=ready.read_text().strip(), timeout=10) as client:
            for form in (
                {"email": account[1], "password": account[2]},
                {"access_token": token[1], "secret_token": token[2]},
            ):
                assert client.post("/api_login", data=form).json()["error"] is None
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_no_validate_still_answers_a_bad_request_with_an_error_envelope(tmp_path):
    server = start_emulator(tmp_path, "--no-validate")
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            client.post("/api_login", data={"email": server.email, "password": server.password})
            answer = client.post("/console/servers/create_volume", data={"size": "big"})
        assert answer.json()["error"]["field"] == "size"
    finally:
        assert server.stop() == 0


@pytest.mark.parametrize("port", ["70000", "-1"])
def test_a_port_out_of_range_is_a_usage_error_not_a_traceback(port, capsys):
    from gpueater_emulator.server import main

    with pytest.raises(SystemExit) as stopped:
        main(["--port", port])
    assert stopped.value.code == 2
    assert "--port" in capsys.readouterr().err
