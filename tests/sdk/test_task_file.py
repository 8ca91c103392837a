"""Task files: every mistake is one line naming the file, the line and the key, found
before anything is launched; a good file becomes the Task it says."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest

from gpueater_ext import InvalidArgumentError, NotFoundError
from gpueater_ext._jobs.task import Resources, Task
from gpueater_ext._jobs.task_file import (
    MAX_TASK_FILE_BYTES,
    TaskFileError,
    load_task,
    read_task_fields,
    schema_text,
)

REPOSITORY = Path(__file__).resolve().parents[2]

FULL_TASK = """\
name: train-1
resources:
  product: [a1.rx580, n1.p400]
  max_price: 1.5
  image: Ubuntu16.04 x64
  ssh_key: work-key
  region: tokyo-1
workdir: src
exclude: ["*.pyc", /data]
setup: |
  pip install -r requirements.txt
run: |
  python train.py --epochs 3
env:
  EPOCHS: 3
  PORT: 08080
  DEBUG: yes
secrets: [HF_TOKEN]
outputs: [results, model.pt]
outputs_dir: out
teardown: stop
"""


def write(folder: Path, text: str, name: str = "task.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_task_file_becomes_its_task(tmp_path: Path):
    task = load_task(write(tmp_path, FULL_TASK))
    assert task == Task(
        name="train-1",
        resources=Resources(
            products=("a1.rx580", "n1.p400"),
            max_price=1.5,
            image="Ubuntu16.04 x64",
            ssh_key="work-key",
            region="tokyo-1",
        ),
        workdir=tmp_path / "src",  # relative to the file's folder, not the current one
        exclude=("*.pyc", "/data"),
        setup="pip install -r requirements.txt\n",
        run="python train.py --epochs 3\n",
        # Values as written: not YAML 1.1's octal 8080 -> 4160, nor True for `yes`.
        env={"EPOCHS": "3", "PORT": "08080", "DEBUG": "yes"},
        secrets=("HF_TOKEN",),
        outputs=("results", "model.pt"),
        outputs_dir=tmp_path / "out",
        teardown="stop",
    )


def test_one_text_stands_for_a_list_of_one(tmp_path: Path):
    task = load_task(write(tmp_path, "resources: {product: a1.rx580}\nrun: x\noutputs: r\n"))
    assert task.resources.products == ("a1.rx580",)
    assert task.outputs == ("r",)


def test_a_file_without_run_leaves_it_to_the_caller(tmp_path: Path):
    fields = read_task_fields(write(tmp_path, "name: web\n"))
    assert "run" not in fields
    with pytest.raises(TaskFileError, match=r"task.yaml: run: the file says nothing to run"):
        load_task(write(tmp_path, "name: web\n"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "name: x\nrun: echo\nworkdri: .\n",
            r"^task.yaml:3: unknown key `workdri`; did you mean `workdir`\?$",
        ),
        (
            "run: x\nresources:\n  prodcut: a1.rx580\n",
            r"^task.yaml:3: unknown key `resources.prodcut`; did you mean `resources.product`\?$",
        ),
        (
            "run: x\nzzz: 1\n",
            r"^task.yaml:2: unknown key `zzz` \(valid keys here: env, exclude, idle_timeout, "
            r"max_duration, name, ",
        ),
        ("run: x\nteardown: dwon\n", r"^task.yaml:2: `teardown` is 'dwon', not one of down, "),
        ("run: x\nresources:\n  max_price: cheap\n", r"^task.yaml:3: `resources.max_price` "),
        ("run: x\nresources:\n  max_price: -2\n", r"^task.yaml:3: `resources.max_price` must "),
        ("run: [a, b]\n", r"^task.yaml:1: `run` must be text, not a list$"),
        ("run: x\noutputs:\n  - a\n  - {b: c}\n", r"^task.yaml:4: `outputs\[1\]` must be text"),
        ("run: x\nenv:\n  OK: 1\n  9BAD: 2\n", r"^task.yaml:4: `env.9BAD`: not a variable name"),
        ("run: x\nenv:\n  A: ~\n", r"^task.yaml:3: `env.A` must be text, not empty$"),
        ("run: x\nsecrets: [A, b-c]\n", r"^task.yaml:2: `secrets\[1\]`: 'b-c' is not a variable"),
        (
            "run: x\nname: 'has space'\n",
            r"^task.yaml:2: `name`: 'has space' is not a tag: a tag is 1 to 40",
        ),
        ("run: x\nresources: [a1]\n", r"^task.yaml:2: `resources` must be a mapping, not a list"),
        ("run: ''\n", r"^task.yaml:1: `run` is empty$"),
        # Several mistakes: the first in the file, and how many more.
        ("run: x\nb: 1\na: 2\n", r"^task.yaml:2: unknown key `b`.* \(and 1 more\)$"),
        ("run: x\nrun: y\n", r"^task.yaml:2: key `run` appears twice; keep one$"),
        ("run: x\n1: y\n", r"^task.yaml:2: a key must be text"),
        ("run: [\n", r"^task.yaml:2: not valid YAML: "),
        ("run: x\n  bad: indent\n", r"^task.yaml:2: not valid YAML: "),
        ("- run: x\n", r"^task.yaml:1: a task file is a mapping of keys .*not a list$"),
        ("just text\n", r"^task.yaml:1: a task file is a mapping of keys .*not text$"),
        ("", r"^task.yaml: the file is empty"),
        ("# only a comment\n", r"^task.yaml: the file is empty"),
        ("run: x\n---\nrun: y\n", r"^task.yaml:2: not valid YAML: "),
        ("run: !!python/object/apply:os.system [id]\n", r"^task.yaml:1: not valid YAML: "),
    ],
)
def test_each_mistake_is_one_line_naming_file_line_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, text)
    with pytest.raises(TaskFileError, match=message) as raised:
        read_task_fields("task.yaml")
    assert "\n" not in str(raised.value)
    assert isinstance(raised.value, InvalidArgumentError)  # the CLI's usage code, 2


def test_an_alias_is_followed_and_its_mistake_found(tmp_path: Path):
    text = "env: &shared {A: '1'}\nrun: x\nresources: *shared\n"
    with pytest.raises(TaskFileError, match=r"^.*task.yaml:3: unknown key `resources.A`"):
        read_task_fields(write(tmp_path, text))


def test_an_alias_bomb_is_not_expanded(tmp_path: Path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 30)]
    with pytest.raises(TaskFileError, match=r"unknown key `a0`"):
        read_task_fields(write(tmp_path, "\n".join(lines) + "\nrun: x\n"))


def test_files_that_are_not_task_files_are_named(tmp_path: Path):
    with pytest.raises(NotFoundError, match=r"task file .*missing.yaml does not exist"):
        read_task_fields(tmp_path / "missing.yaml")
    with pytest.raises(TaskFileError, match=r"is a folder, not a task file"):
        read_task_fields(tmp_path)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"run: x\n" + b"#" * MAX_TASK_FILE_BYTES)
    with pytest.raises(TaskFileError, match=r"big.yaml is larger than 1024 KiB"):
        read_task_fields(big)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"run: caf\xe9\n")
    with pytest.raises(TaskFileError, match=r"latin.yaml: byte 8 is not UTF-8"):
        read_task_fields(latin)


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path):
    import os

    fifo = tmp_path / "task.yaml"
    os.mkfifo(fifo)
    with pytest.raises(TaskFileError, match=r"is not a regular file"):
        read_task_fields(fifo)


def test_a_task_file_checked_against_the_task_model_too(tmp_path: Path):
    text = "run: x\nresources: {subscription: s-1, product: a1.rx580}\n"
    with pytest.raises(TaskFileError, match=r"^.*task.yaml: resources: give a subscription or"):
        load_task(write(tmp_path, text))


def test_the_schema_is_valid_2020_12_and_describes_every_task_field():
    schema = json.loads(schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    file_keys = set(schema["properties"])
    resource_keys = set(schema["properties"]["resources"]["properties"])
    # Every Task field is a key (resources' `products` is spelt `product` in a file) ...
    import dataclasses

    assert file_keys == {field.name for field in dataclasses.fields(Task)}
    assert {"products" if key == "product" else key for key in resource_keys} == {
        field.name for field in dataclasses.fields(Resources)
    }
    # ... and every key says what it is for, for an editor's hover text.
    for key, part in [
        *schema["properties"].items(),
        *schema["properties"]["resources"]["properties"].items(),
    ]:
        assert part.get("description"), key


def test_the_full_example_is_valid_against_the_schema_alone():
    import yaml

    jsonschema.validate(
        {**yaml.safe_load(FULL_TASK), "env": {"EPOCHS": "3"}}, json.loads(schema_text())
    )


def test_the_schema_is_shipped_in_the_package():
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    assert "task.schema.json" in project["tool"]["setuptools"]["package-data"]["gpueater_ext._jobs"]
    dependencies = " ".join(project["project"]["dependencies"])
    assert "pyyaml" in dependencies
    assert "jsonschema" in dependencies


def test_only_run_imports_pyyaml_and_jsonschema():
    probe = (
        "import sys\n"
        "from gpueater_ext.cli import _commands, _root\n"
        "_commands.register(_root.root)\n"
        "import gpueater_ext, gpueater_ext._jobs.task\n"
        "print(sorted(m for m in ('yaml', 'jsonschema') if m in sys.modules))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert found.strip() == "[]"
