"""The peer row: the published client `gpueater==1.5.0` and the SDK, each making sequential
`instance_list` calls through the TLS proxy (`scripts/bench_proxy.py`).

The 1.5 client runs in the compatibility suite's own virtual environment
(`tests/compat/installs.py`, `.venv-compat/`, installed on first use) and is timed inside its
own process by a fixed script; what it needs comes as an argument (the call count) and
environment (its URL, its home with the `~/.eater` it reads at import, the CA it trusts).
Its first call logs in (it meets the session timeout, as in the compatibility suite) and is
not timed; the SDK logs in and makes one call before its timed ones too. Without a package
registry the row is skipped with the reason, unless `GPUEATER_REQUIRE_COMPAT=1`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scripts.bench_emulator import EMAIL, PASSWORD, Emulator, client
from scripts.bench_proxy import Proxy

__all__ = ["PeerSkipped", "measure_peer", "published_client"]

_ROOT = Path(__file__).resolve().parents[1]
# Fixed code, never built from data: the call count is its one argument.
_TIMED_CALLS = """
import json, sys, time
import gpueater
calls = int(sys.argv[1])
listed = gpueater.instance_list()
started = time.perf_counter()
for _ in range(calls):
    listed = gpueater.instance_list()
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "instances": len(listed)}))
"""


class PeerSkipped(Exception):
    """The published client cannot be installed here; the message says why."""


def published_client() -> Path:
    """The compat virtual environment's python (installing gpueater 1.5.0 on first use)."""
    import pytest  # the compatibility suite's installer reports through pytest's outcomes

    if str(_ROOT) not in sys.path:
        sys.path.insert(0, str(_ROOT))
    from tests.compat.installs import install_python_client

    try:
        return install_python_client()
    except pytest.skip.Exception as skipped:
        raise PeerSkipped(str(skipped.msg)) from None
    except pytest.fail.Exception as failed:  # GPUEATER_REQUIRE_COMPAT=1, a wrong hash...
        raise RuntimeError(str(failed.msg)) from None


@contextmanager
def _trusting(ca_file: Path) -> Iterator[None]:
    """httpx's ordinary trust setting (the SDK's clients honour the environment)."""
    before = os.environ.get("SSL_CERT_FILE")
    os.environ["SSL_CERT_FILE"] = str(ca_file)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SSL_CERT_FILE"]
        else:
            os.environ["SSL_CERT_FILE"] = before


def _sdk_seconds(emulator: Emulator, proxy: Proxy, calls: int) -> float:
    with _trusting(proxy.ca_file), client(emulator, proxy.url) as eater:
        eater.login()
        eater.instance_list()
        started = time.perf_counter()
        for _ in range(calls):
            eater.instance_list()
        return time.perf_counter() - started


def _published_seconds(python: Path, proxy: Proxy, folder: Path, calls: int, listed: int) -> float:
    home, tmp = folder / "home", folder / "tmp"
    for made in (home, tmp):
        made.mkdir(parents=True)
    eater = home / ".eater"
    eater.write_text(json.dumps({"gpueater": {"email": EMAIL, "password": PASSWORD}}))
    eater.chmod(0o600)
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "GPUEATER_URL": proxy.url,
        "REQUESTS_CA_BUNDLE": str(proxy.ca_file),
    }
    finished = subprocess.run(  # noqa: S603 - a fixed script; data only as argument and env
        [str(python), "-c", _TIMED_CALLS, str(calls)],
        cwd=home,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"the 1.5 client failed:\n{finished.stderr.strip()}")
    answer = json.loads(finished.stdout.splitlines()[-1])  # it prints "relogin" before
    if answer["instances"] != listed:  # it must have listed the account, not an error
        raise RuntimeError(f"the 1.5 client listed {answer['instances']} instances, not {listed}")
    seconds: float = answer["seconds"]
    return seconds


def measure_peer(
    emulator: Emulator, proxy: Proxy, folder: Path, calls: int, listed: int
) -> dict[str, float]:
    """Seconds per call of each through the proxy, and the SDK's speed-up over 1.5."""
    python = published_client()
    published = _published_seconds(python, proxy, folder, calls, listed) / calls
    sdk = _sdk_seconds(emulator, proxy, calls) / calls
    return {
        "peer_1_5_ms_per_call": published * 1000,
        "peer_sdk_ms_per_call": sdk * 1000,
        "sdk_vs_1_5_speedup": published / sdk,
    }
