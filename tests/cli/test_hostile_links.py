"""`gpueater cp -r` and `gpueater sync` from an instance serving a link that points outside,
through the real entry point: the link is refused, the member named in one escaped line,
and nothing outside the destination is touched."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Cli
from tests.support.hostile_sshd import snapshot

pytestmark = pytest.mark.sshd

# A name that would retitle the terminal and hide what follows, if printed raw.
HOSTILE_NAME = "\x1b]0;owned\x07report\u202etxt"
SHOWN_NAME = r"\x1b]0;owned\x07report\u202etxt"


def instance_folder(sshd_cli: Cli, instance: dict[str, Any], outside: Path) -> Path:
    """A folder on the instance's own disk holding a file and a link to the local canary."""
    remote = sshd_cli.emulator.disk(instance["instance_id"]) / "on the instance"
    remote.mkdir()
    (remote / "results.csv").write_text("a,b\n")
    (remote / HOSTILE_NAME).symlink_to(outside / "canary")
    return remote


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "canary").write_text("precious\n")
    return folder


def test_cp_r_refuses_a_link_out_in_one_escaped_error_line(
    sshd_cli: Cli, running_instance: dict[str, Any], tmp_path: Path, outside: Path
) -> None:
    remote = instance_folder(sshd_cli, running_instance, outside)
    local = tmp_path / "local"
    local.mkdir()
    before = snapshot(tmp_path / "outside")
    result = sshd_cli("cp", "-r", f"box-1:{remote.name}", str(local))
    assert result.code == 1
    line = result.error_line
    assert "\x1b" not in result.stderr
    assert "\x07" not in result.stderr
    assert SHOWN_NAME in line
    assert "leaves the destination" in line
    assert line.endswith("nothing was changed here")
    assert os.listdir(local) == []
    assert snapshot(outside) == before


def test_sync_leaves_out_a_link_out_and_shows_it_refused(
    sshd_cli: Cli, running_instance: dict[str, Any], tmp_path: Path, outside: Path
) -> None:
    remote = instance_folder(sshd_cli, running_instance, outside)
    local = tmp_path / "local"
    before = snapshot(outside)
    result = sshd_cli.ok("sync", f"box-1:{remote.name}", str(local))
    assert "\x1b" not in result.stdout + result.stderr
    refused = [line for line in result.stdout.splitlines() if line.startswith("*refused")]
    assert len(refused) == 1
    assert SHOWN_NAME in refused[0]
    assert sorted(os.listdir(local)) == ["results.csv"]
    assert snapshot(outside) == before
