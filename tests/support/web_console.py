"""What the service's web console does, with none of this tool's rules: the emulator's
API called directly, so a test can give an instance a tag the CLI would never send."""

from __future__ import annotations

import httpx

from tests.support.emulator_process import EmulatorProcess

__all__ = ["console_rename"]


def console_rename(emulator: EmulatorProcess, instance_id: str, tag: str) -> None:
    with httpx.Client(base_url=emulator.url, timeout=30) as console:
        console.post("/api_login", data={"email": emulator.email, "password": emulator.password})
        answer = console.post(
            "/console/servers/change_instance_tag", data={"instance_id": instance_id, "tag": tag}
        ).json()
    assert answer["error"] is None, answer
