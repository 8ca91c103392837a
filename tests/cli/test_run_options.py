"""How `gpueater run`'s options merge with a task file: options win (cmd_run's docstring)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from gpueater_ext._jobs.task import TEARDOWNS, Resources, Task
from gpueater_ext.cli._run_options import merged_task
from gpueater_ext.cli.cmd_run import _ending

FILE = """\
name: from-file
resources:
  product: [a1.rx580, n1.p400]
  max_price: 2
  image: Ubuntu16.04 x64
workdir: src
exclude: ["*.pyc"]
setup: pip install -r requirements.txt
run: python train.py
env: {EPOCHS: "3", LR: "0.1"}
secrets: [HF_TOKEN]
outputs: [results]
teardown: stop
"""


@pytest.fixture
def task_file(tmp_path: Path) -> Path:
    path = tmp_path / "task.yaml"
    path.write_text(FILE, encoding="utf-8")
    return path


def test_the_file_alone(task_file: Path):
    task = merged_task(task_file, None)
    assert task.name == "from-file"
    assert task.run == "python train.py"
    assert task.workdir == task_file.parent / "src"
    assert task.resources == Resources(
        products=("a1.rx580", "n1.p400"), max_price=2, image="Ubuntu16.04 x64"
    )


def test_single_values_and_lists_given_as_options_replace_the_files(task_file: Path):
    task = merged_task(
        task_file,
        None,
        products=("g1.v100",),
        image="Ubuntu18.04 x64",
        name="from-option",
        workdir=Path("other"),
        excludes=("/data",),
        setup="true",
        outputs=("model.pt", "logs"),
        outputs_dir=Path("here"),
        teardown="keep",
    )
    assert task.resources.products == ("g1.v100",)
    assert task.resources.max_price == 2  # still the file's ceiling
    assert task.resources.image == "Ubuntu18.04 x64"
    assert (task.name, task.setup, task.teardown) == ("from-option", "true", "keep")
    assert task.workdir == Path("other")  # an option's path is the current folder's
    assert task.exclude == ("/data",)
    assert task.outputs == ("model.pt", "logs")
    assert task.outputs_dir == Path("here")


def test_env_and_secrets_add_to_the_files_names(task_file: Path):
    task = merged_task(
        task_file, None, env_assignments=("LR=0.01", "EMPTY=", "EQ=a=b"), secrets=("WANDB_KEY",)
    )
    assert dict(task.env) == {"EPOCHS": "3", "LR": "0.01", "EMPTY": "", "EQ": "a=b"}
    assert task.secrets == ("HF_TOKEN", "WANDB_KEY")
    again = merged_task(task_file, None, secrets=("HF_TOKEN",))
    assert again.secrets == ("HF_TOKEN",)


def test_words_after_dashes_replace_the_files_script(task_file: Path):
    task = merged_task(task_file, ["python", "eval.py", "--split", "test set"])
    assert task.run == ("python", "eval.py", "--split", "test set")


def test_a_subscription_option_replaces_the_files_products_and_ceiling(task_file: Path):
    task = merged_task(task_file, None, subscription="plan-1")
    assert task.resources.subscription == "plan-1"
    assert (task.resources.products, task.resources.max_price) == ((), None)


def test_a_product_option_replaces_the_files_subscription(tmp_path: Path):
    path = tmp_path / "task.yaml"
    path.write_text("run: x\nresources: {subscription: plan-1}\n", encoding="utf-8")
    task = merged_task(path, None, products=("a1.rx580",))
    assert (task.resources.subscription, task.resources.products) == (None, ("a1.rx580",))


def test_options_alone_make_a_task():
    task = merged_task(None, ["nvidia-smi"], products=("a1.rx580",), region="tokyo-1")
    assert task == Task(
        run=("nvidia-smi",), resources=Resources(products=("a1.rx580",), region="tokyo-1")
    )


@pytest.mark.parametrize("teardown", TEARDOWNS)
def test_a_detached_runs_last_line_says_in_words_what_its_teardown_does(teardown):
    result = SimpleNamespace(
        detached=True, instance=SimpleNamespace(tag="box"), job_id="run-1", teardown=teardown
    )
    line = _ending(result)  # type: ignore[arg-type]
    verb = {"down": "terminated", "stop": "stopped", "keep": "kept"}[teardown]
    assert f"(the instance is {verb} once it ends)" in line
    assert line.endswith("follow it with: gpueater job logs box -f")
