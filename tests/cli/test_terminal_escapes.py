"""Text from the service or an instance is shown, never obeyed by the terminal.

A hostile service (tests/support/hostile_proxy.py: the emulator behind a proxy that plants
escape sequences in its answers) and a hostile instance (a stand-in `ssh` that writes them
to stderr) talk to the real `gpueater` process; its stdout and stderr must hold nothing a
terminal would act on, and must show the planted text escaped (the one rule,
`gpueater_ext._printable.printable`). The remote command's own output in
`gpueater ssh INSTANCE -- CMD` is the user's data and passes through untouched.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gpueater_ext._printable import printable
from tests.support.cli import GPUEATER, Cli, Run
from tests.support.emulator_process import EmulatorProcess
from tests.support.hostile_proxy import hostile_proxy
from tests.support.pty_session import _terminal_screen

# Clear the screen, retitle the window, a one-byte CSI (C1), a bidi override, a zero-width
# space, and a fake reassuring line.
HOSTILE = "\x1b[2J\x1b]0;t\x07\x9b32m\u202e\u200bAll good: 0 errors"
SHOWN = printable(HOSTILE)
RAW_PIECES = ("\x1b", "\x07", "\x9b", "\u202e", "\u200b")


def assert_inert(run: Run) -> None:
    """Nothing in the output is a control or invisible character, but line ends."""
    for stream in (run.stdout, run.stderr):
        bad = {c for c in stream if not (c.isprintable() or c == "\n")}
        assert not bad, (bad, stream)


def launch(cli: Cli, tag: str) -> dict[str, Any]:
    launched: dict[str, Any] = cli.ok(
        "launch",
        "--product", "a1.rx580",
        "--image", "Ubuntu16.04 x64",
        "--ssh-key", "work-key",
        "--tag", tag,
        "--wait", "running",
        "-o", "json",
    ).json()  # fmt: skip
    return launched


@pytest.fixture(scope="module")
def cli(
    gpueater_emulator_process: EmulatorProcess, tmp_path_factory: pytest.TempPathFactory
) -> Cli:
    """One world for the module (launching is the slow part): a key and two instances."""
    gpueater_emulator_process.reset()
    gpueater_emulator_process.clear_faults()
    home = tmp_path_factory.mktemp("escapes") / "home"
    home.mkdir()
    cli = Cli(home, gpueater_emulator_process)
    cli.ok("ssh-key", "generate", "work-key", "--register")
    return cli


@pytest.fixture(scope="module")
def two_instances(cli: Cli) -> list[dict[str, Any]]:
    return [launch(cli, "web-PLANT-1"), launch(cli, "web-PLANT-2")]


@pytest.mark.slow
def test_tables_show_and_errors_escape_what_the_service_planted(
    cli: Cli, two_instances: list[dict[str, Any]]
) -> None:
    plants = {"PLANT": HOSTILE, "Ubuntu16.04 x64": HOSTILE, "a1.rx580": f"a1{HOSTILE}"}
    with hostile_proxy(cli.emulator.url, plants) as url:
        through = {"GPUEATER_URL": url}
        listed = cli.ok("instances", env=through)
        shown = cli.ok("show", two_instances[0]["instance_id"], env=through)
        ambiguous = cli("show", "web", env=through)
        debugged = cli("--debug", "show", "web", env=through)  # logs and a traceback too
        images = cli.ok("images", env=through)
        products = cli.ok("products", env=through)
        as_json = cli.ok("instances", "-o", "json", env=through)
    for run in (listed, shown, ambiguous, debugged, images, products, as_json):
        assert_inert(run)
    assert f"web-{SHOWN}-1" in listed.stdout
    assert f"a1{SHOWN}" in listed.stdout  # the product name cell
    assert f"web-{SHOWN}-1" in shown.stdout
    assert ambiguous.code == 2
    assert f"web-{SHOWN}-1" in ambiguous.error_line
    assert "Traceback" in debugged.stderr
    assert f"web-{SHOWN}-1" in debugged.stderr
    assert SHOWN in images.stdout
    assert f"a1{SHOWN}" in products.stdout
    # JSON is escaped by json itself, and decodes back to exactly what the service sent.
    assert f"web-{HOSTILE}-1" in {row["tag"] for row in as_json.json()}


def test_an_error_message_from_the_service_is_one_escaped_line(cli: Cli, tmp_path: Path) -> None:
    generated = cli.ok("ssh-key", "generate", "kPLANT", "--register", "-o", "json").json()
    public = tmp_path / "k.pub"
    public.write_text(generated["public_key"] + "\n")
    with hostile_proxy(cli.emulator.url, {"PLANT": f"\n{HOSTILE}"}) as url:
        refused = cli(
            "ssh-key", "register", "kPLANT", "--public-key-file", str(public),
            env={"GPUEATER_URL": url},
        )  # fmt: skip
    assert refused.code == 1
    assert_inert(refused)
    assert "already registered" in refused.error_line
    assert SHOWN in refused.error_line  # the planted newline did not start a line of its own


def test_progress_lines_escape_the_tag(cli: Cli, two_instances: list[dict[str, Any]]) -> None:
    # The second instance: the ssh tests below need the first one running.
    with hostile_proxy(cli.emulator.url, {"PLANT": HOSTILE}) as url:
        stopped = cli("stop", two_instances[1]["instance_id"], "--wait", env={"GPUEATER_URL": url})
    assert stopped.code == 0, stopped.stderr
    assert_inert(stopped)
    assert f"waiting for web-{SHOWN}-2" in stopped.stderr


def test_the_image_picker_on_a_terminal_escapes_the_names(cli: Cli) -> None:
    with hostile_proxy(cli.emulator.url, {"Ubuntu16.04 x64": HOSTILE}) as url:
        shown = _picker_screen(
            cli, {"GPUEATER_URL": url}, "launch", "--product", "a1.rx580", "--ssh-key",
            "work-key", "--tag", "picked",
        )  # fmt: skip
    assert "Number" in shown
    assert SHOWN in shown
    for piece in RAW_PIECES:
        assert piece not in shown


def test_the_confirmation_prompt_on_a_terminal_escapes_the_tag(
    cli: Cli, two_instances: list[dict[str, Any]]
) -> None:
    with hostile_proxy(cli.emulator.url, {"PLANT": HOSTILE}) as url:
        shown = _terminal_screen(
            cli, {"GPUEATER_URL": url}, "[y/N]", "terminate", two_instances[0]["instance_id"]
        )
    assert "[y/N]" in shown
    assert SHOWN in shown
    for piece in RAW_PIECES:
        assert piece not in shown
    assert two_instances[0]["instance_id"] in cli.ok("instances", "-o", "json").stdout


def _picker_screen(cli: Cli, env: dict[str, str], *args: str) -> str:
    return _terminal_screen(cli, env, "Number", *args)


@pytest.fixture
def hostile_ssh(tmp_path: Path, cli: Cli) -> dict[str, str]:
    """A stand-in `ssh` first on PATH: the instance answers every command with escape
    sequences on stdout and stderr, and fails unless the command is `echo`."""
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "ssh"
    raw = HOSTILE.encode()
    program.write_text(
        "#!/usr/bin/env python3\n"
        "import sys\n"
        f"raw = {raw!r}\n"
        "sys.stdout.buffer.write(raw + b'\\n'); sys.stderr.buffer.write(raw + b'\\n')\n"
        "sys.exit(0 if 'echo' in sys.argv[-1] else 1)\n"
    )
    program.chmod(0o755)
    return {**cli.env, "PATH": f"{folder}{os.pathsep}{cli.env['PATH']}"}


def test_instance_stderr_quoted_in_an_error_is_escaped(
    cli: Cli, two_instances: list[dict[str, Any]], hostile_ssh: dict[str, str]
) -> None:
    failed = cli("mkdir", two_instances[0]["instance_id"], "/somewhere", env=hostile_ssh)
    assert failed.code != 0
    assert_inert(failed)
    assert SHOWN in failed.error_line


def test_the_remote_commands_own_output_passes_through_untouched(
    cli: Cli, two_instances: list[dict[str, Any]], hostile_ssh: dict[str, str]
) -> None:
    ran = subprocess.run(
        [GPUEATER, "ssh", two_instances[0]["instance_id"], "--", "echo", "hi"],
        capture_output=True,
        env=hostile_ssh,
        cwd=cli.home,
        timeout=120,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == HOSTILE.encode() + b"\n"
    assert ran.stderr == HOSTILE.encode() + b"\n"


def test_json_output_stays_json_escaped() -> None:
    # The CLI's JSON writer keeps json's ensure_ascii: no raw control or format character.
    encoded = json.dumps({"tag": HOSTILE}, ensure_ascii=True)
    assert all(c.isprintable() for c in encoded)
