"""The Task value: what a run is given, checked when it is made (before anything launches)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from gpueater_ext import InvalidArgumentError
from gpueater_ext._jobs.task import DEFAULT_OUTPUTS_ROOT, Resources, Task


def test_a_task_from_python_is_normalised_and_immutable():
    task = Task(
        run=["python", "train.py", "--lr", "0.1"],  # type: ignore[arg-type]
        resources=Resources(products="a1.rx580"),  # type: ignore[arg-type]
        workdir="src",  # type: ignore[arg-type]
        outputs="results",  # type: ignore[arg-type]
        env={"EPOCHS": "3"},
    )
    assert task.run == ("python", "train.py", "--lr", "0.1")
    assert task.resources.products == ("a1.rx580",)
    assert task.workdir == Path("src")
    assert task.outputs == ("results",)
    assert task.teardown == "down"  # forgotten instances cost money: terminate by default
    with pytest.raises(AttributeError):
        task.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        task.env["EPOCHS"] = "4"  # type: ignore[index]


def test_words_become_one_quoted_command_and_text_stays_a_script():
    words = Task(run=("echo", "a b", "$HOME", "; rm -rf /"))
    assert shlex.split(words.run_script) == ["echo", "a b", "$HOME", "; rm -rf /"]
    script = Task(run="echo one\necho two\n")
    assert script.run_script == "echo one\necho two\n"


def test_outputs_come_back_into_one_folder_per_instance_unless_told():
    assert Task(run="x").outputs_folder("web-1") == DEFAULT_OUTPUTS_ROOT / "web-1"
    assert Task(run="x", outputs_dir=Path("out")).outputs_folder("web-1") == Path("out")


def test_secret_values_come_from_the_environment_and_a_missing_one_is_named():
    task = Task(run="x", secrets=("HF_TOKEN", "WANDB_KEY"))
    assert task.secret_values({"HF_TOKEN": "hf-1", "WANDB_KEY": "w-2", "OTHER": "o"}) == {
        "HF_TOKEN": "hf-1",
        "WANDB_KEY": "w-2",
    }
    with pytest.raises(InvalidArgumentError, match=r"secret WANDB_KEY is not set") as raised:
        task.secret_values({"HF_TOKEN": "hf-1", "WANDB_KEY": ""})
    assert "hf-1" not in str(raised.value)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"run": ""}, r"run: the command is empty"),
        ({"run": ()}, r"run: give the command"),
        ({"run": "x", "name": "two words"}, r"name 'two words': ' ' is not allowed; a tag is"),
        ({"run": "x", "name": "../escape"}, r"'/' is not allowed"),
        ({"run": "x", "name": "a" * 41}, r"is longer than 40 characters"),
        ({"run": "x", "env": {"1X": "y"}}, r"env: '1X' is not a variable name"),
        ({"run": "x", "env": {"A": 1}}, r"env.A: the value must be text"),
        ({"run": "x", "secrets": ("A-B",)}, r"secrets: 'A-B' is not a variable name"),
        ({"run": "x", "env": {"T": "v"}, "secrets": ("T",)}, r"T is also in env"),
        ({"run": "x", "teardown": "destroy"}, r"'destroy' is not one of down, stop, keep"),
        ({"run": "x", "outputs": ("",)}, r"outputs: '' is not a non-empty text"),
        ({"run": "x", "setup": 3}, r"setup: give the setup script as text"),
    ],
)
def test_a_task_that_cannot_run_is_refused_when_made(fields, message):
    with pytest.raises(InvalidArgumentError, match=message):
        Task(**fields)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"max_price": -1.0}, r"max_price: -1.0 is not a price"),
        ({"max_price": float("nan")}, r"is not a price"),
        ({"image": ""}, r"resources.image: '' is not a non-empty text"),
        ({"subscription": "s-1", "products": ("a1.rx580",)}, r"a subscription or products"),
        ({"products": ("a1\x00",)}, r"NUL"),
    ],
)
def test_resources_that_cannot_be_launched_are_refused(fields, message):
    with pytest.raises(InvalidArgumentError, match=message):
        Resources(**fields)


def test_replace_checks_the_copy_like_a_new_task():
    task = Task(run="x", name="web")
    assert task.replace(teardown="keep").teardown == "keep"
    with pytest.raises(InvalidArgumentError, match="not one of"):
        task.replace(teardown="never")


@pytest.mark.parametrize(
    "name",
    [
        "web-1",
        "gpueater-brave-0a1b2c3d",
        "x" * 40,
        "x" * 41,
        "-x",
        "my job",
        "job-launch-0123456789ab",
    ],
)
def test_a_run_name_is_exactly_a_tag_this_tool_may_send(name):
    """One rule: a name the task file's schema or the Task admits is never refused later by
    the launch (the tag rule of `_tags`), and a tag the launch refuses never gets that far."""
    import json
    import re
    from importlib import resources as package_files

    from gpueater_ext._tags import check_tag

    try:
        check_tag(name)
        is_tag = True
    except InvalidArgumentError:
        is_tag = False
    try:
        Task(run="true", name=name)
        admitted = True
    except InvalidArgumentError:
        admitted = False
    assert admitted == is_tag
    schema = json.loads(
        package_files.files("gpueater_ext._jobs").joinpath("task.schema.json").read_text("utf-8")
    )
    pattern = schema["properties"]["name"]["pattern"]
    if is_tag:  # the schema may admit more (the Task's check then refuses it), never less
        assert re.search(pattern, name)
    if len(name) > 40:
        assert not re.search(pattern, name)


def test_a_name_for_several_nodes_leaves_room_for_every_rank():
    """Node r is tagged `<name>-<r>`: a name whose highest rank's tag breaks the tag rule is
    refused when the task is made, not after the first nodes were launched."""
    Task(run="true", name="n" * 38, nodes=10)  # n...n-9: 40 characters
    with pytest.raises(InvalidArgumentError, match=r"tags node 10 'n+-10', longer than 40"):
        Task(run="true", name="n" * 38, nodes=11)
