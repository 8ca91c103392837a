"""What `cp`, `ls` and `sync` show, against a real sshd instance of the emulator: progress
of a copy or a sync on a terminal (and nothing of it elsewhere), ISO 8601 times in
`ls -o json`, and `sync` saying in words what changed instead of rsync's item codes."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Cli
from tests.support.emulator_process import EmulatorProcess
from tests.support.sshd_instances import Workspace
from tests.support.terminal import Terminal

pytestmark = pytest.mark.sshd

# rsync's %i: update type, file type, nine attribute flags (`<f+++++++++`, `.d..t......`).
ITEM_CODE = re.compile(r"[<>ch.*][fdLDS][.+cstpoguax?]{9}|\*deleting")


@pytest.fixture(scope="module")
def cli(sshd_emulator: EmulatorProcess, workspace: Workspace) -> Cli:
    return Cli(workspace.home, sshd_emulator)


@pytest.fixture(scope="module")
def box(cli: Cli) -> dict[str, Any]:
    cli.ok("ssh-key", "generate", "transfer-key", "--register")
    launched: dict[str, Any] = cli.ok(
        "launch", "--product", "a1.rx580", "--image", "Ubuntu16.04 x64",
        "--ssh-key", "transfer-key", "--tag", "xfer", "--wait", "ssh", "-o", "json",
    ).json()  # fmt: skip
    return launched


@pytest.fixture
def disk(sshd_emulator: EmulatorProcess, box: dict[str, Any]) -> Path:
    return sshd_emulator.disk(box["instance_id"])


def _terminal_env(cli: Cli) -> dict[str, str]:
    return {name: value for name, value in cli.env.items() if name != "COLUMNS"}


def test_cp_of_a_large_file_shows_its_progress_on_a_terminal(
    cli: Cli, box: dict[str, Any], disk: Path, tmp_path: Path
) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(1 << 20) * 20)  # 21 MB
    with Terminal(["cp", str(big), "xfer:big.bin"], _terminal_env(cli), cli.home) as terminal:
        assert terminal.finish() == 0
    shown = terminal.text
    assert "21.0 MB of 21.0 MB (100%)" in shown, shown
    assert "copying 'big.bin' to xfer" in shown
    assert "\rcopied" in shown.replace("\x1b[K", "")  # the progress line was erased first
    assert (disk / "big.bin").read_bytes() == big.read_bytes()

    back = tmp_path / "back.bin"
    with Terminal(["cp", "xfer:big.bin", str(back)], _terminal_env(cli), cli.home) as terminal:
        assert terminal.finish() == 0
    downloaded = r"\r[0-9.]+ (kB|MB)(, [0-9.]+ MB/s)? copying 'big\.bin' from xfer"
    assert re.search(downloaded, terminal.text), terminal.text
    assert back.read_bytes() == big.read_bytes()

    piped = cli.ok("cp", str(big), "xfer:big2.bin")  # stderr is not a terminal: no progress
    assert "%" not in piped.stderr
    assert "\r" not in piped.stderr
    assert piped.stderr.startswith("copied ")


def test_ls_json_gives_iso_8601_times(cli: Cli, box: dict[str, Any], disk: Path) -> None:
    folder = disk / "timed"
    folder.mkdir()
    (folder / "f.txt").write_text("x")
    moment = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    os.utime(folder / "f.txt", (moment.timestamp(), moment.timestamp()))
    (entry,) = cli.ok("ls", "xfer", "timed", "-o", "json").json()
    assert entry["modified"] == "2026-03-04T05:06:07Z"
    assert "2026-03-04 05:06" in cli.ok("ls", "xfer", "timed").stdout


@pytest.mark.slow
def test_sync_says_what_changed_in_words(
    cli: Cli, box: dict[str, Any], disk: Path, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    (project / "sub").mkdir(parents=True)
    (project / "a.txt").write_text("one")
    (project / "sub" / "b.txt").write_text("two")

    first = cli.ok("sync", str(project), "xfer:project")
    assert not ITEM_CODE.search(first.stdout + first.stderr), first.stdout
    rows = [line.split() for line in first.stdout.splitlines()[1:]]
    changes = {path: change for change, path in rows}
    assert changes["a.txt"] == "sent"
    assert changes["sub/b.txt"] == "sent"
    assert changes["sub/"] == "created"
    assert "2 sent" in first.stderr

    (project / "a.txt").write_text("one, changed")
    (project / "sub" / "b.txt").unlink()
    dry = cli.ok("sync", str(project), "xfer:project", "--delete", "-n")
    assert "would be updated  a.txt" in dry.stdout
    assert "would be deleted  sub/b.txt" in dry.stdout
    assert (disk / "project" / "sub" / "b.txt").exists()

    done = cli.ok("sync", str(project), "xfer:project", "--delete", "--yes", "-o", "json").json()
    assert {"change": "updated", "path": "a.txt"} in done["changes"]
    assert {"change": "deleted", "path": "sub/b.txt"} in done["changes"]
    assert not ITEM_CODE.search(str(done))
    assert not (disk / "project" / "sub" / "b.txt").exists()

    back = cli.ok("sync", "xfer:project", str(tmp_path / "back"))
    assert "received  a.txt" in back.stdout


def test_sync_shows_its_progress_on_a_terminal(
    cli: Cli, box: dict[str, Any], disk: Path, tmp_path: Path
) -> None:
    project = tmp_path / "big-project"
    project.mkdir()
    (project / "data.bin").write_bytes(os.urandom(1 << 20) * 20)
    args = ["sync", str(project), "xfer:big-project"]
    with Terminal(args, _terminal_env(cli), cli.home) as terminal:
        assert terminal.finish() == 0
    shown = terminal.text
    assert re.search(r"\r[0-9.]+ (B|kB|MB) \(\d+%\), \S+/s syncing 'big-project' to xfer", shown)
    # The CHANGE column is as wide as its longest word: "touched ./" joins the table when
    # the folder's time differs by a second or more, which start-up speed decides.
    assert re.search(r"^sent +data\.bin\r?$", shown, re.MULTILINE)
    assert not ITEM_CODE.search(shown)
    assert (disk / "big-project" / "data.bin").read_bytes() == (project / "data.bin").read_bytes()
