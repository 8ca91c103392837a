"""One table of exit codes, true for every command (docs/guides/cli.md shows the table:
tests/docs/test_exit_code_table.py).

The walks run the real entry point in-process (`main(argv)`, as the console script does)
against a real emulator on loopback, or a closed port for "unreachable"; each checks one
failure kind across click's whole command tree, so a new command cannot drift from it.
"""

from __future__ import annotations

import io
import re
import socket
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import click
import pytest

from gpueater_ext.cli import main
from gpueater_ext.cli._commands import register
from gpueater_ext.cli._exit import (
    EXIT_CODE_MEANINGS,
    REMOTE_STATUS_TOOL_FAILED,
    ExitCode,
)
from gpueater_ext.cli._root import root
from gpueater_ext.cli._state import RemoteStatusCommand
from tests.support.cli import Cli

# Commands that never call the service, so they cannot meet an unreachable one.
LOCAL_ONLY = {"emulator", "ssh-key generate", "configure", "api-list", "completion"}
# Detached jobs are found in this machine's record first: with none recorded (as here) they
# never reach the service; their service errors are tested in test_job_detached.py.
LOCAL_ONLY |= {"job logs", "job list", "job cancel"}
# Leases live in this machine's ledger; gc reaches a service only for a lease recorded there
# (tests/cli/test_gc_service_checks.py: an unreachable one fails and keeps the lease).
LOCAL_ONLY |= {"lease list", "lease extend", "lease release", "gc"}

# Where a type's plausible value is not a word: given by hand.
FILLED = {
    "tunnel": ["nosuch", "8888"],
    "ssh-key register": ["nosuch", "--public-key-file", "key.pub"],
    "run": ["--", "true"],
}


def leaves(group: click.Group = root, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    register(root)
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            yield from leaves(command, f"{path} ")
        else:
            yield path, command


def run(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), pytest.raises(SystemExit) as exited:
        main(argv)
    return int(exited.value.code or 0), err.getvalue()


def filled_arguments(command: click.Command, *, name: str = "nosuch") -> list[str]:
    """Each required argument and option given a plausible value of its type."""
    words: list[str] = []
    for param in command.params:
        if not param.required and param.name not in ("instances", "names"):  # nargs=-1
            continue
        if param.name == "dst":  # file commands: one side is INSTANCE:PATH
            value = f"{name}:path"
        elif isinstance(param.type, click.Choice):
            value = str(param.type.choices[0])
        elif isinstance(param.type, click.types.IntParamType | click.types.FloatParamType):
            value = "1"
        else:
            value = name
        if isinstance(param, click.Option):
            words.append(param.opts[-1])
        words.append(value)
    return words


def expected(command: click.Command, code: ExitCode) -> int:
    return REMOTE_STATUS_TOOL_FAILED if isinstance(command, RemoteStatusCommand) else int(code)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GPUEATER_URL", emulator.url)
    monkeypatch.setenv("GPUEATER_EMAIL", emulator.email)
    monkeypatch.setenv("GPUEATER_PASSWORD", emulator.password)
    monkeypatch.setenv("GPUEATER_RECONCILE_TIMEOUT", "1")
    monkeypatch.chdir(tmp_path)


def test_every_command_refuses_an_unknown_option_with_the_usage_code(env, monkeypatch):
    for path, command in leaves():
        code, stderr = run([*path.split(), "--no-such-option"], monkeypatch)
        assert code == expected(command, ExitCode.USAGE), (path, stderr)
        if path != "emulator":  # the emulator's own parser (argparse) says it its way
            assert stderr.startswith("error:"), path
            assert "--no-such-option" in stderr, path


@pytest.mark.slow
def test_every_command_that_calls_the_service_says_it_is_unreachable(env, monkeypatch):
    import functools

    from gpueater_ext.cli import _recording_client

    # The retry policy's pauses between connection attempts are skipped: speed only. (The
    # CLI's client is the GPUEater that keeps completion's names, `_recording_client`.)
    client = _recording_client.RecordingClient
    quick = functools.partial(client, sleep=lambda _seconds: None)
    monkeypatch.setattr(_recording_client, "RecordingClient", quick)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"  # bound, never listening
        wrong = []
        Path("key.pub").write_text("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB8m test\n")
        for path, command in leaves():
            if path in LOCAL_ONLY:
                continue
            words = FILLED.get(path) or filled_arguments(command)
            argv = ["--url", url, *path.split(), *words, "--yes"]
            if "--yes" not in {o for p in command.params for o in getattr(p, "opts", [])}:
                argv.remove("--yes")
            code, stderr = run(argv, monkeypatch)
            told = all(s in stderr for s in (url, "profile 'gpueater'", "gpueater emulator"))
            if code != expected(command, ExitCode.UNREACHABLE) or not told:
                wrong.append((path, code, stderr.strip()))
        assert not wrong, "\n".join(map(str, wrong))


def test_every_command_naming_an_instance_says_not_found_with_its_code(env, monkeypatch):
    for path, command in leaves():
        names = [p.name for p in command.params if isinstance(p, click.Argument)]
        if not names or names[0] not in ("instance", "instances", "names"):
            continue
        argv = [*path.split(), *(FILLED.get(path) or filled_arguments(command))]
        code, stderr = run(argv, monkeypatch)
        assert code == expected(command, ExitCode.NOT_FOUND), (path, stderr)
        assert "nosuch" in stderr, path


def test_a_port_the_service_does_not_know_is_not_found(cli: Cli, launched):
    result = cli("port", "close", "web-1", "9999")
    assert "not_found" in result.error_line
    assert result.code == ExitCode.NOT_FOUND


def test_an_unknown_region_is_not_found_and_the_regions_are_listed(cli: Cli):
    result = cli("volume", "create", "--size", "10", "--region", "mars-1")
    assert result.code == ExitCode.NOT_FOUND
    assert "mars-1" in result.error_line
    # The catalog's regions are the products' pools.
    pools = {r for p in cli.ok("products", "--all", "-o", "json").json() for r in p["pool"]}
    assert pools
    assert all(region in result.error_line for region in pools)


def test_an_unknown_outcome_has_its_own_code(cli: Cli):
    cli.emulator.add_fault("subscribe_instance", "http_500")  # a write whose answer is lost
    result = cli("subscribe", "instance", "a1.rx580 monthly", "--yes")
    assert result.code == ExitCode.OUTCOME_UNKNOWN
    assert "may or may not have done it" in result.error_line
    assert len(set(EXIT_CODE_MEANINGS)) == len({int(code) for code in EXIT_CODE_MEANINGS})


def test_cli_messages_name_cli_options_not_sdk_keywords(cli: Cli, launched):
    (cli.home / "proj").mkdir()
    result = cli("cp", "proj", "web-1:proj")
    assert result.code == ExitCode.FAILED
    assert "cp -r" in result.error_line
    assert not re.search(r"\w+=(True|False|None)\b", result.error_line), result.error_line


def test_syncing_a_folder_that_does_not_exist_says_so(cli: Cli, launched):
    result = cli("sync", "nodir", "web-1:nodir")
    assert "does not exist" in result.error_line
    assert "is not a folder" not in result.error_line


def test_sdk_messages_with_keywords_carry_a_cli_wording():
    """The class: an error text naming a Python keyword (`recursive=True`) must be a NextStep,
    whose CLI wording names the option instead. Literal messages in the SDK are scanned."""
    package = Path(__file__).resolve().parents[2] / "gpueater_ext"
    offenders = []
    for source in package.rglob("*.py"):
        for number, line in enumerate(source.read_text().splitlines(), 1):
            if "Error(" in line and re.search(r"[\"'].*\b[a-z_]+=(True|False)\b", line):
                offenders.append(f"{source.name}:{number}: {line.strip()}")
    assert not offenders
