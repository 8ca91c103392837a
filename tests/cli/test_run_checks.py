"""`gpueater run` checks the task file and the options before anything is launched: each
mistake is one `error:` line (file, line, key, the closest valid key), exit code 2, and the
emulator saw no launch (its state is the proof, not the message)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gpueater_ext._jobs.task_file import MAX_TASK_FILE_BYTES
from tests.support.cli import Cli, Run

GOOD = "name: train\nresources:\n  product: a1.rx580\nrun: echo hi\nteardown: keep\n"


def nothing_was_launched(cli: Cli) -> None:
    state = cli.emulator.state()
    assert state["instances"] == []
    launches = {op: n for op, n in state["requests"].items() if op.startswith("launch_")}
    assert launches == {}


def write(cli: Cli, text: str, name: str = "task.yaml") -> Path:
    path = cli.home / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(cli: Cli, *args: str, code: int = 2) -> str:
    result: Run = cli("run", *args)
    assert result.code == code, result.stderr
    assert result.stdout == ""
    nothing_was_launched(cli)
    return result.error_line  # exactly one `error:` line, no traceback


def test_a_misspelt_key_names_file_line_and_the_key_meant_and_launches_nothing(cli: Cli):
    write(cli, "name: train\nrun: python train.py\nworkdri: src\n")
    assert refused(cli, "task.yaml") == (
        "error: task.yaml:3: unknown key `workdri`; did you mean `workdir`?"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("run: x\nresources:\n  prodcut: a1\n", "task.yaml:3: unknown key `resources.prodcut`"),
        ("run: x\nteardown: dwon\n", "task.yaml:2: `teardown` is 'dwon', not one of down,"),
        ("run: x\nresources: {max_price: lots}\n", "task.yaml:2: `resources.max_price` must be"),
        ("run: x\noutputs: {a: b}\n", "task.yaml:2: `outputs` must be text or a list, not a"),
        ("run: [unclosed\n", "task.yaml:2: not valid YAML"),
        ("- run: x\n", "task.yaml:1: a task file is a mapping of keys"),
        ("", "task.yaml: the file is empty"),
        ("name: web\n", "nothing to run: give `run:` in task.yaml or `-- CMD ARGS`"),
        ("run: x\nsecrets: [HF-TOKEN]\n", "task.yaml:2: `secrets[0]`: 'HF-TOKEN' is not a"),
    ],
)
def test_each_kind_of_mistake_is_one_line_and_launches_nothing(cli: Cli, text: str, expected: str):
    write(cli, text)
    assert expected in refused(cli, "task.yaml")


def test_files_that_are_not_task_files(cli: Cli):
    assert "task file missing.yaml does not exist" in refused(cli, "missing.yaml", code=3)
    (cli.home / "folder").mkdir()
    assert "folder is a folder, not a task file" in refused(cli, "folder")
    (cli.home / "big.yaml").write_bytes(b"run: x\n" + b" " * MAX_TASK_FILE_BYTES)
    assert "big.yaml is larger than 1024 KiB" in refused(cli, "big.yaml")


def test_an_escape_sequence_in_the_file_is_shown_not_obeyed(cli: Cli):
    write(cli, 'run: x\n"work\\e[2Jdir": src\n')
    line = refused(cli, "task.yaml")
    assert "\x1b" not in line
    assert "unknown key `work\\x1b[2Jdir`" in line


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--name", "has space"], "name 'has space': ' ' is not allowed; a tag is 1 to 40"),
        (["--env", "NOVALUE"], "--env 'NOVALUE': give NAME=VALUE"),
        (["--env", "9X=1"], "env: '9X' is not a variable name"),
        (["--secret", "A-B"], "secrets: 'A-B' is not a variable name"),
        (["--max-price", "-1"], "-1.0 is not in the range x>=0"),
        (["--down", "--keep"], "give one of --down, --stop and --keep, not down and keep"),
        (["--product", "a1.rx580", "--subscription", "s"], "--subscription or --product"),
        (["--subscription", "s", "--max-price", "1"], "a subscription or products"),
    ],
)
def test_bad_options_are_refused_before_launching(cli: Cli, options, expected):
    write(cli, GOOD)
    assert expected in refused(cli, "task.yaml", *options)


def test_without_a_command_nothing_runs(cli: Cli):
    assert "nothing to run: give a task file with `run:`, or `-- CMD ARGS`" in refused(cli)


def test_schema_prints_the_shipped_schema_for_editors(cli: Cli):
    result = cli.ok("run", "--schema")
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "workdir" in schema["properties"]
    nothing_was_launched(cli)


def test_a_secret_missing_from_the_environment_is_one_line_before_launching(cli: Cli):
    line = refused(cli, "--secret", "HF_TOKEN", "--product", "a1.rx580", "--", "true")
    assert "secret HF_TOKEN is not set in this environment" in line
    assert cli.emulator.state()["requests"] == {}  # not even a login


def test_a_missing_workdir_is_named_before_launching(cli: Cli):
    line = refused(cli, "--workdir", "nosuch", "--product", "a1.rx580", "--", "true", code=3)
    assert "nosuch" in line
