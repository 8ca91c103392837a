"""The project's readers the pages' data blocks are checked with, imported in one place.

The task-file reader has no public name (`gpueater run` is its public face); it lives
with the job runner, so this is the one line to change when that module moves.
"""

from __future__ import annotations

from gpueater_ext._jobs.task_file import load_task

__all__ = ["load_task"]
