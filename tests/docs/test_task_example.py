"""The task file of docs/guides/jobs.md (its first ```yaml block) is the task the page says
it is, read by the same reader as `gpueater run`."""

from __future__ import annotations

from pathlib import Path

from tests.docs.readers import load_task

PAGE = Path(__file__).resolve().parents[2] / "docs" / "guides" / "jobs.md"


def test_the_guides_task_file_is_a_valid_task(tmp_path: Path):
    example = PAGE.read_text(encoding="utf-8").split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "task.yaml"
    path.write_text(example, encoding="utf-8")
    task = load_task(path)
    assert task.name == "train-demo"
    assert task.secrets == ("WANDB_API_KEY",)
    assert task.workdir == tmp_path / "src"
