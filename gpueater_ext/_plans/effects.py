"""What a method does, written once for both clients as a plan.

A plan is a generator that yields effects (`Call` an operation, `Sleep`, run something
`Blocking`) and returns the method's result. The sync client runs the effects with
blocking I/O, the async client awaits them, so multi-step methods (launch, then find the
instance by its tag; restart, i.e. stop, wait, start) exist once. An effect's failure (a
GPUEaterError) is thrown back into the plan, so a plan can catch and reconcile it (the
retry issue's launch reconciliation goes here). So is an interrupt that arrives during an
effect (KeyboardInterrupt; in the async client also the task's cancellation): a plan that
does not catch it ends at once as before, and one that must clean up (`run`'s teardown)
can.

To add a method to both clients: write a plan in the module of its concern (`compute`,
`account`, `ssh`, ... of this package; the helpers plans share are in `shared`), declare
`name = Method(plan)` in `_methods.Methods` (with `instance=` if it takes an instance) and
run `python scripts/generate_client_methods.py`, which writes the clients' real `def`s
(`_client_methods`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Generator
from typing import Any, Generic, ParamSpec, TypeVar

from gpueater_ext._forms import FormArg

__all__ = [
    "Blocking",
    "Call",
    "Effect",
    "Now",
    "Plan",
    "ReadBack",
    "ReconcileBudget",
    "ServiceUrl",
    "Sleep",
    "blocking",
]

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")


@dataclasses.dataclass(frozen=True)
class Call:
    """Run one operation of the table with these arguments (see `_forms`)."""

    operation: str
    form: FormArg = None
    fields: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Sleep:
    """Wait this many seconds (the client's injectable sleep does it)."""

    seconds: float


@dataclasses.dataclass(frozen=True)
class Blocking(Generic[R]):
    """Run a blocking function (a subprocess, a socket probe): inline in the sync client, in
    a worker thread (`asyncio.to_thread`) in the async one. This is how the SSH extras and
    waiters are written once for both clients.

    A plan never builds one itself: `yield from blocking(function, *args, **kwargs)` does,
    so mypy checks the function, its arguments and the `R` the plan receives. The function
    is the function that runs, never a name looked up at run time (tests/project)."""

    function: Callable[..., R]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        if not callable(self.function):
            raise TypeError(f"Blocking runs a function, not {self.function!r}")


@dataclasses.dataclass(frozen=True)
class Now:
    """Read the client's monotonic clock (injectable, so waiters' deadlines can be tested
    with a fake one); the plan receives the reading in seconds."""


@dataclasses.dataclass(frozen=True)
class ServiceUrl:
    """Ask for the URL of the service the client talks to; the plan receives it (what names
    its instances even when there are none, as `ssh_config` needs)."""


@dataclasses.dataclass(frozen=True)
class ReconcileBudget:
    """Ask for the seconds a reconciliation may keep reading the state back (the client's
    `reconcile_timeout`, by default its read timeout); the plan receives the number."""


@dataclasses.dataclass(frozen=True)
class ReadBack:
    """Read `instance_list` after a write answered (or lost its answer), and receive the
    decoded Instances whose raw record has `field == value` (a list: normally one or none).

    Why an effect of its own rather than `Call("instance_list")`: the plan only wants the
    instances it looks for, so the client decodes just those (finding a launch's instance
    no longer decodes the whole fleet: decoding grows linearly with it instead of with its
    square in a bulk launch), and the async client may serve read-backs in flight with
    one shared `instance_list` (`_shared_reads`), never one that started before this effect
    was yielded: a read-back never sees a state older than its own write's answer."""

    field: str
    value: str


Effect = Call | Sleep | Blocking[Any] | Now | ReconcileBudget | ReadBack | ServiceUrl
Plan = Generator[Effect, Any, T]


def blocking(function: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> Plan[R]:
    """The plan of one `Blocking` effect: `function(*args, **kwargs)` run by the client, its
    result returned (`value = yield from blocking(f, x)`, typed as `f` returns)."""
    result: R = yield Blocking(function, args, kwargs)
    return result
