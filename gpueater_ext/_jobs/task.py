"""A task: what `gpueater run` and `eater.run(task)` do, as one immutable value.

A task says which machine to get (`resources`), which instance to use (`name`: an
instance carrying that tag is reused), what to put on it (`workdir`, minus `exclude`),
what to run once per instance (`setup`) and every time (`run`), with which environment
(`env`, and `secrets` by name: their values are read from the local environment when the
task runs, never stored in the task), what to bring back (`outputs`, into `outputs_dir`)
and what happens to the instance afterwards (`teardown`).

The same value comes from a task file (`gpueater_ext._jobs.task_file.load_task`), from the
command line's options, or from Python:

    Task(run="python train.py", workdir=".", resources=Resources(products=("a1.rx580",)))

Choices written down here because the issue left them open:
- `run` as text is a shell script run by `sh` on the instance, in the synced workdir; as a
  sequence of words (`gpueater run -- python train.py`) it is one command and no shell
  reads it (`run_script` quotes each word for the supervisor's `sh`).
- `teardown` defaults to "down" (terminate): forgotten instances are the money users lose.
  `name` plus "stop" or "keep" is what makes a second run reuse the instance.
- Paths in a task file (`workdir`, `outputs_dir`) are relative to the file's folder, so a
  task runs the same from anywhere; paths given as options or in Python are relative to
  the current directory.
- `max_duration` (seconds; default 4 h) is how long the instance may live before its lease
  ends it, and `idle_timeout` (seconds) how long a `keep` instance may wait after its job
  (`gpueater_ext._jobs.leases`: the task file and options take `90m`, `4h`, `1d`).
- `outputs` are paths on the instance relative to the remote workdir; each comes back
  under `outputs_dir`, by default `./gpueater-outputs/<instance tag>` (one folder per
  instance, so two tasks never mix or overwrite each other's results).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shlex
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Literal, get_args

from gpueater_ext._errors import InvalidArgumentError
from gpueater_ext._tags import MAX_TAG_LENGTH, TAG_RULE, check_tag

__all__ = [
    "DEFAULT_OUTPUTS_ROOT",
    "MAX_NODES",
    "NOT_A_NAME",
    "NOT_A_VARIABLE_NAME",
    "TEARDOWNS",
    "Resources",
    "Task",
    "Teardown",
]

Teardown = Literal["down", "stop", "keep"]
TEARDOWNS: tuple[Teardown, ...] = get_args(Teardown)

# Where outputs go when no outputs_dir is given: one folder per instance tag under it.
DEFAULT_OUTPUTS_ROOT = Path("gpueater-outputs")

# A variable name a POSIX shell accepts: anything else could not be exported remotely.
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
NOT_A_VARIABLE_NAME = "not a variable name (letters, digits and _, not first a digit)"
# A name is the instance's tag and the remote folder gpueater/<name>: the tag rule of
# `_tags` (a safe word), so a name that passes here is never refused at the launch.
NOT_A_NAME = f"not a tag: {TAG_RULE}"
# The most nodes one run launches (`nodes`; see `_jobs.nodes`).
MAX_NODES = 64


@dataclasses.dataclass(frozen=True, kw_only=True)
class Resources:
    """The machine a task needs.

    `products` are product names in order of preference: the first in stock (and within
    `max_price`, USD per hour) is launched; empty means the cheapest in stock. `image` is
    an image name or alias (None: the service's default choice is made by the run, see
    `_jobs.runner`). `ssh_key` names a registered key (None: the user's own gpueater key,
    generated and registered once). `region` asks for a product whose pool holds it;
    `subscription` launches on an instance subscription (id or plan name) instead of on
    demand, and then `products` and `max_price` must be empty.
    """

    products: tuple[str, ...] = ()
    max_price: float | None = None
    image: str | None = None
    ssh_key: str | None = None
    region: str | None = None
    subscription: str | None = None

    def __post_init__(self) -> None:
        products = _words("resources.product", self.products)
        object.__setattr__(self, "products", products)
        if self.max_price is not None and not (self.max_price >= 0):
            raise InvalidArgumentError(
                f"resources.max_price: {self.max_price!r} is not a price (USD per hour, 0 or more)"
            )
        for field in ("image", "ssh_key", "region", "subscription"):
            _optional_word(f"resources.{field}", getattr(self, field))
        if self.subscription is not None and (products or self.max_price is not None):
            raise InvalidArgumentError(
                "resources: give a subscription or products (with max_price), not both"
            )


@dataclasses.dataclass(frozen=True, kw_only=True)
class Task:
    """One job: see the module's docstring for each field and the choices behind it."""

    run: str | tuple[str, ...]
    resources: Resources = dataclasses.field(default_factory=Resources)
    name: str | None = None
    workdir: Path | None = None
    exclude: tuple[str, ...] = ()
    setup: str | None = None
    env: Mapping[str, str] = dataclasses.field(default_factory=lambda: MappingProxyType({}))
    secrets: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    outputs_dir: Path | None = None
    teardown: Teardown = "down"
    max_duration: float = 4 * 3600.0
    idle_timeout: float | None = None
    nodes: int = 1  # instances the job runs on at once (`_jobs.nodes`); 1 to MAX_NODES
    shutdown_on_expiry: bool = (
        False  # a shutdown backstop on the instance (`_jobs.shutdown_backstop`)
    )

    def __post_init__(self) -> None:
        set_field = object.__setattr__  # frozen: normalised once, here
        if isinstance(self.run, str):
            if not self.run.strip():
                raise InvalidArgumentError("run: the command is empty; say what to run")
        else:
            words = tuple(self.run)
            if not words or not all(isinstance(word, str) for word in words):
                raise InvalidArgumentError("run: give the command as text or as words (strings)")
            set_field(self, "run", words)
        if not isinstance(self.resources, Resources):
            raise InvalidArgumentError("resources: give a Resources value")
        if self.name is not None:
            check_tag(self.name, "name")
        if self.workdir is not None:
            set_field(self, "workdir", Path(self.workdir))
        if self.outputs_dir is not None:
            set_field(self, "outputs_dir", Path(self.outputs_dir))
        set_field(self, "exclude", _words("exclude", self.exclude))
        set_field(self, "outputs", _words("outputs", self.outputs))
        if self.setup is not None and not isinstance(self.setup, str):
            raise InvalidArgumentError("setup: give the setup script as text")
        env = dict(self.env)
        for key, value in env.items():
            _check_env_name("env", key)
            if not isinstance(value, str):
                raise InvalidArgumentError(f"env.{key}: the value must be text")
        set_field(self, "env", MappingProxyType(env))
        secrets = _words("secrets", self.secrets)
        for secret in secrets:
            _check_env_name("secrets", secret)
            if secret in env:
                raise InvalidArgumentError(
                    f"secrets: {secret} is also in env; a name is either a secret or not"
                )
        set_field(self, "secrets", secrets)
        from gpueater_ext._jobs.leases import parse_duration

        set_field(self, "max_duration", parse_duration(self.max_duration, field="max_duration"))
        if self.idle_timeout is not None:
            set_field(self, "idle_timeout", parse_duration(self.idle_timeout, field="idle_timeout"))
        if not isinstance(self.shutdown_on_expiry, bool):
            raise InvalidArgumentError("shutdown_on_expiry: give true or false")
        if isinstance(self.nodes, bool) or not isinstance(self.nodes, int) or self.nodes < 1:
            raise InvalidArgumentError(f"nodes: {self.nodes!r} is not a count (1 or more)")
        if self.nodes > MAX_NODES:
            raise InvalidArgumentError(
                f"nodes: {self.nodes} is more than the {MAX_NODES} one run launches; split the job"
            )
        if self.name is not None and self.nodes > 1:
            # Node r is tagged `<name>-<r>` (`_jobs.nodes`): every one of those is a tag too.
            longest = f"{self.name}-{self.nodes - 1}"
            if len(longest) > MAX_TAG_LENGTH:
                raise InvalidArgumentError(
                    f"name: {self.name!r} with nodes: {self.nodes} tags node {self.nodes - 1} "
                    f"{longest!r}, longer than {MAX_TAG_LENGTH} characters; shorten the name"
                )
        if self.teardown not in TEARDOWNS:
            raise InvalidArgumentError(
                f"teardown: {self.teardown!r} is not one of {', '.join(TEARDOWNS)}"
            )

    @property
    def run_script(self) -> str:
        """The run command as a script for `sh`: the text as given, or the words quoted so
        that sh runs exactly that one command."""
        return self.run if isinstance(self.run, str) else shlex.join(self.run)

    def outputs_folder(self, tag: str) -> Path:
        """The local folder outputs come back into, for the instance tagged `tag`."""
        if self.outputs_dir is not None:
            return self.outputs_dir
        return DEFAULT_OUTPUTS_ROOT / tag

    def secret_values(self, environ: Mapping[str, str] | None = None) -> dict[str, str]:
        """Each secret's value from the local environment (default: os.environ).

        Called before anything is launched: a missing or empty variable is an
        InvalidArgumentError naming it, never a job that starts without its secret.
        """
        source = os.environ if environ is None else environ
        missing = [name for name in self.secrets if not source.get(name)]
        if missing:
            names = ", ".join(missing)
            raise InvalidArgumentError(
                f"secret {names} is not set in this environment; export "
                f"{'it' if len(missing) == 1 else 'them'} before running (the value is sent "
                "to the job, never printed or stored)"
            )
        return {name: source[name] for name in self.secrets}

    def replace(self, **changes: object) -> Task:
        """A copy with `changes` (checked like a new Task); `resources=` takes a Resources."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def _words(field: str, values: str | Iterable[str]) -> tuple[str, ...]:
    """One text or several, as a tuple of non-empty texts."""
    words = (values,) if isinstance(values, str) else tuple(values)
    for word in words:
        _optional_word(field, word)
        if word is None:
            raise InvalidArgumentError(f"{field}: an entry is empty")
    return words


def _optional_word(field: str, value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(f"{field}: {value!r} is not a non-empty text")
    if "\x00" in value:
        raise InvalidArgumentError(f"{field}: the text holds a NUL character")


def _check_env_name(field: str, name: object) -> None:
    if not isinstance(name, str) or not _ENV_NAME.match(name):
        raise InvalidArgumentError(f"{field}: {name!r} is {NOT_A_VARIABLE_NAME}")
