"""How `gpueater run` merges its task file and its options into one Task.

The task file (see `gpueater run --schema`) and the options say the same things; an
option wins over the file. How they merge, written down because the issue left it open:
a single value (`--image`, `--name`, `--setup`, ...) replaces the file's; a list given as
options (`--product`, `--exclude`, `--outputs`) replaces the file's list, since it is an
order of preference or a whole selection; `--env` and `--secret` add to the file's
names, `--env NAME=...` replacing that one variable. `--product` drops the file's
`subscription` and `--subscription` the file's products and `max_price`: the option says
how to launch. `-- CMD ARGS` replaces the file's `run:` with one command given as words
(no shell reads them); `run:` in a file is a shell script run by `sh` on the instance.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpueater_ext.cli._exit import CliUsageError

if TYPE_CHECKING:
    from gpueater_ext._jobs import Task

__all__ = ["merged_task"]


def merged_task(
    task_file: Path | None,
    words: Sequence[str] | None,
    *,
    products: Sequence[str] = (),
    max_price: float | None = None,
    image: str | None = None,
    ssh_key: str | None = None,
    region: str | None = None,
    subscription: str | None = None,
    name: str | None = None,
    workdir: Path | None = None,
    excludes: Sequence[str] = (),
    setup: str | None = None,
    env_assignments: Sequence[str] = (),
    secrets: Sequence[str] = (),
    outputs: Sequence[str] = (),
    outputs_dir: Path | None = None,
    teardown: str | None = None,
    max_duration: str | None = None,
    idle_timeout: str | None = None,
    shutdown_on_expiry: bool | None = None,
    nodes: int | None = None,
) -> Task:
    """The Task the file and the options say together (see the module docstring)."""
    from gpueater_ext._jobs import Resources, Task, read_task_fields

    fields: dict[str, Any] = read_task_fields(task_file) if task_file else {"resources": {}}
    resources: dict[str, Any] = fields["resources"]
    # An option that says how to launch replaces the file's way of launching.
    if products and subscription is not None:
        raise CliUsageError("give --subscription or --product (with --max-price), not both")
    if products:
        resources.pop("subscription", None)
        resources["products"] = tuple(products)
    if subscription is not None:
        resources.pop("products", None)
        resources.pop("max_price", None)
        resources["subscription"] = subscription
    _set(resources, max_price=max_price, image=image, ssh_key=ssh_key, region=region)
    _set(fields, name=name, workdir=workdir, setup=setup, outputs_dir=outputs_dir)
    _set(fields, teardown=teardown, max_duration=max_duration, idle_timeout=idle_timeout)
    _set(fields, shutdown_on_expiry=shutdown_on_expiry or None)  # a flag: only True counts
    _set(fields, nodes=nodes)
    if words:
        fields["run"] = tuple(words)
    elif "run" not in fields:
        where = f"`run:` in {task_file} or " if task_file else "a task file with `run:`, or "
        raise CliUsageError(f"nothing to run: give {where}`-- CMD ARGS` after the options")
    if excludes:
        fields["exclude"] = tuple(excludes)
    if outputs:
        fields["outputs"] = tuple(outputs)
    if env_assignments:
        fields["env"] = {**fields.get("env", {}), **_env_pairs(env_assignments)}
    if secrets:
        fields["secrets"] = tuple(dict.fromkeys((*fields.get("secrets", ()), *secrets)))
    return Task(**{**fields, "resources": Resources(**resources)})


def _set(fields: dict[str, Any], **values: object) -> None:
    """Put the options that were given (not None) over the file's values."""
    fields.update({key: value for key, value in values.items() if value is not None})


def _env_pairs(assignments: Sequence[str]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for assignment in assignments:
        key, equals, value = assignment.partition("=")
        if not equals or not key:
            raise CliUsageError(f"--env {assignment!r}: give NAME=VALUE")
        pairs[key] = value
    return pairs
