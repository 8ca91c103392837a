"""The published clients run as their users run them, and the emulator's own answers to check
what they claim: shared by the Python and the Node halves of the compatibility suite."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.support.emulator_process import EmulatorProcess

SERVERS = "/console/servers"

_CLIENT_TIMEOUT_SECONDS = 120


@dataclass
class ClientRun:
    """What one run of a published client left: its exit status, output and emitted answer."""

    returncode: int
    stdout: str
    stderr: str
    result: Any

    def check(self) -> Any:
        assert self.returncode == 0, f"exit {self.returncode}\n{self.stdout}\n{self.stderr}"
        return self.result


@dataclass
class ClientHome:
    """The folders one published client runs in: nothing of the developer's is visible."""

    home: Path
    work: Path
    tmp: Path

    @classmethod
    def create(cls, root: Path, emulator: EmulatorProcess) -> ClientHome:
        folders = cls(root / "home", root / "work", root / "tmp")
        for folder in (folders.home / ".ssh", folders.work, folders.tmp):
            folder.mkdir(parents=True)
        (folders.home / ".ssh").chmod(0o700)
        eater = folders.home / ".eater"
        eater.write_text(
            json.dumps({"gpueater": {"email": emulator.email, "password": emulator.password}})
        )
        eater.chmod(0o600)
        return folders

    def environment(self, url: str, result: Path) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(self.home),
            "TMPDIR": str(self.tmp),
            "GPUEATER_URL": url,
            "COMPAT_RESULT": str(result),
        }


def run_client(
    command: list[str],
    folders: ClientHome,
    url: str,
    *,
    stdin: str = "",
    extra_environment: dict[str, str] | None = None,
) -> ClientRun:
    result = folders.tmp / "compat-result.json"
    result.unlink(missing_ok=True)
    finished = subprocess.run(
        command,
        cwd=folders.work,
        env={**folders.environment(url, result), **(extra_environment or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=_CLIENT_TIMEOUT_SECONDS,
        check=False,
    )
    answer = json.loads(result.read_text()) if result.is_file() else None
    return ClientRun(finished.returncode, finished.stdout, finished.stderr, answer)


class Probe:
    """The emulator's own view, through a session of its own (never the client's)."""

    def __init__(self, emulator: EmulatorProcess) -> None:
        self.emulator = emulator
        self.http = httpx.Client(base_url=emulator.url, timeout=10)
        self.http.post("/api_login", data={"email": emulator.email, "password": emulator.password})

    def _data(self, response: httpx.Response) -> Any:
        response.raise_for_status()
        envelope = response.json()
        assert envelope["error"] is None, envelope
        return envelope["data"]

    def get(self, operation: str, **query: Any) -> Any:
        return self._data(self.http.get(f"{SERVERS}/{operation}", params=query))

    def post(self, operation: str, **form: Any) -> Any:
        return self._data(self.http.post(f"{SERVERS}/{operation}", data=form))

    def requests(self) -> dict[str, int]:
        counts: dict[str, int] = self.emulator.state()["requests"]
        return counts

    def instances(self) -> list[dict[str, Any]]:
        instances: list[dict[str, Any]] = self.emulator.state()["instances"]
        return instances

    def instance(self, instance_id: str) -> dict[str, Any] | None:
        return next((i for i in self.instances() if i["instance_id"] == instance_id), None)

    def register_key(self, name: str) -> dict[str, Any]:
        pair = self.get("ssh_key_gen")
        key: dict[str, Any] = self.post(
            "register_ssh_key", name=name, public_key=pair["public_key"]
        )
        return {**key, "private_key": pair["private_key"], "public_key": pair["public_key"]}

    def launch(self, tag: str, key_id: str, product: str = "n1.p400") -> dict[str, Any]:
        """A RUNNING instance tagged `tag` (the emulator boots in 0 s in tests)."""
        catalog = self.get("ondemand_launch_list")
        product_id = next(p["id"] for p in catalog["products"] if p["name"] == product)
        image = next(i for i in catalog["images"].values() if i["name"] == "Ubuntu16.04 x64")
        self.post(
            "launch_ondemand_instance",
            product_id=product_id,
            image=image["alias"],
            ssh_key_id=key_id,
            tag=tag,
        )
        return next(i for i in self.get("instance_list") if i["tag"] == tag)
