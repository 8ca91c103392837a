"""`run` on several nodes (`Task.nodes` > 1, `gpueater run --nodes N`): one job, N instances.

Each node goes through the single-node stages (`_jobs.stages.work`: instance, SSH, sync,
setup, job) and then the single-node outputs and teardown, all N at once (`_plans.gathering`).
What a multi-node run adds, and the choices behind it (the issue left them open):

- Names. Node `r` is the instance tagged `<base>-<r>` (remote folder `~/gpueater/<base>-<r>`),
  where `<base>` is the task's `name`, or a generated tag. With a name, reuse is per rank:
  an instance tagged `<name>-<r>` is reused (started when stopped) and only the missing
  ranks are launched; a multi-node run holds the lock of `<name>` until every node answers
  SSH, so two runs with one name on this machine do not deadlock on each other's ranks.
- Launches. The N launches are sent as soon as each node's plan reaches them, one request
  after another through the client's one session (a run is one plan of effects; see
  `_plans.gathering`); each answers at once, and the boots, SSH waits, syncs, setups and jobs
  of all nodes then overlap. The SSH key and the product are looked up (and the user's key
  registered) once, before any launch, so N nodes never register N keys.
- Environment. Once every node answers SSH, the addresses are read and each node's setup
  and job get `GPUEATER_NODE_RANK` (0..N-1), `GPUEATER_NUM_NODES`, `GPUEATER_NODE_IPS`
  (comma-separated, in rank order) and `GPUEATER_HEAD_IP` (rank 0's). The addresses are
  the private ones (`network_description`'s `private_ipv4`) when every node has one, else
  every node's public address (`ipv4`); the run says which. No port is opened: the
  service's port API opens a port to the whole internet, not to the other nodes.
- Output. Every line a node writes is prefixed with its rank (`[0] `), whole lines only
  (`_jobs.rank_output`).
- Failure. When one node fails (its setup or job exits non-zero, or the node is lost),
  the jobs still running on the others are stopped (`stop_job`), nothing new starts, and
  every node is torn down. The run's exit status is the first failing node's; a lost
  node's error is raised after the teardown, as in a single-node run. A launch that fails
  tears down the nodes already launched. Ctrl-C stops every node's job and tears all down.
- Outputs. Node `r`'s come back into `<outputs_dir>/<r>` (default
  `gpueater-outputs/<base>/<r>`).
- Result. One RunResult for the whole run: `exit_code` the first failing node's (0 when
  all exited 0), `instance` rank 0's, `launched` whether any was launched, `teardown_done`
  whether every node's was done, the errors of all nodes joined (each with its `[rank]`),
  `price_per_hour` the nodes' prices added up (so `cost` is the whole run's), and `nodes`:
  each node's own RunResult, with its `rank` and `address`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpueater_ext._errors import GPUEaterError, InvalidArgumentError
from gpueater_ext._jobs.task import DEFAULT_OUTPUTS_ROOT, Task
from gpueater_ext._models import Instance
from gpueater_ext._plans import BARRIER, Call, Now, Outcome, Plan, blocking, gather, new_tag

if TYPE_CHECKING:
    from gpueater_ext._jobs.job import BinaryWriter
    from gpueater_ext._jobs.runner import OnEvent, RunResult
    from gpueater_ext._jobs.stages import RunProgress, Say
    from gpueater_ext._jobs.teardown import TeardownOutcome

__all__ = ["NODE_VARIABLES", "run_nodes"]

NODE_VARIABLES = (
    "GPUEATER_NODE_RANK",
    "GPUEATER_NUM_NODES",
    "GPUEATER_NODE_IPS",
    "GPUEATER_HEAD_IP",
)


@dataclasses.dataclass
class _Nodes:
    """What the run knows about its nodes so far."""

    tags: list[str]
    progresses: list[RunProgress]
    addresses: list[str | None]
    failed: list[int] = dataclasses.field(default_factory=list)  # ranks, first failure first
    lock: contextlib.ExitStack | None = None

    def release_lock(self) -> None:
        if self.lock is not None:
            self.lock.close()
            self.lock = None


def run_nodes(
    task: Task,
    *,
    stdout: BinaryWriter | None = None,
    stderr: BinaryWriter | None = None,
    on_event: OnEvent | None = None,
) -> Plan[RunResult]:
    """`run` for a task with `nodes` > 1 (see the module docstring); raises and returns as
    `gpueater_ext._jobs.runner.run` does."""
    import asyncio  # for its CancelledError: the async client's interrupt

    from gpueater_ext._jobs.instance import checked_tag, hold_name_lock
    from gpueater_ext._jobs.job import SecretValues, checked_outputs, default_writer
    from gpueater_ext._jobs.rank_output import ranked_writers
    from gpueater_ext._jobs.runner import RunInterrupted, RunTeardownError, _announcer
    from gpueater_ext._jobs.stages import RunProgress, stop_after_interrupt, work

    interrupts = (KeyboardInterrupt, asyncio.CancelledError)
    reserved = [name for name in NODE_VARIABLES if name in task.secrets]
    if reserved:
        raise InvalidArgumentError(
            f"secrets: {', '.join(reserved)} is set by a multi-node run; rename the secret"
        )
    secret_values = SecretValues(task.secret_values())
    outputs = checked_outputs(task.outputs)
    if task.workdir is not None and not task.workdir.is_dir():
        from gpueater_ext._errors import NotFoundError

        raise NotFoundError(f"workdir {task.workdir} is not a folder: name the folder to send")
    base = checked_tag(task.name) if task.name is not None else new_tag()
    count = task.nodes
    tags = [checked_tag(f"{base}-{rank}") for rank in range(count)]
    nodes = _Nodes(tags, [RunProgress(tag) for tag in tags], [None] * count)
    node_tasks = [_node_task(task, base, rank) for rank in range(count)]
    whole = RunProgress(base)
    say = _announcer(on_event, whole)
    outs = ranked_writers(count, stdout if stdout is not None else default_writer(sys.stdout))
    errs = ranked_writers(count, stderr if stderr is not None else default_writer(sys.stderr))
    started: float = yield Now()
    failure: BaseException | None = None
    try:
        if task.name is not None:
            nodes.lock = yield from blocking(hold_name_lock, base)
        yield from _look_up_launch_once(task, tags)
        say("nodes", f"running on {count} nodes: {', '.join(tags)}")
        plans = [
            work(
                node_tasks[rank],
                nodes.progresses[rank],
                say,
                secret_values,
                outs[rank],
                errs[rank],
                on_ready=_wait_for_all(nodes, rank),
            )
            for rank in range(count)
        ]
        outcomes: list[Outcome] = yield from gather(
            plans,
            is_failure=lambda rank, outcome: _is_failure(nodes, rank, outcome),
            on_failure=lambda rank: _stop_the_others(nodes, rank, say),
            at_barrier=lambda: _addresses(nodes, say),
        )
        first_error = next((outcomes[r].error for r in nodes.failed if outcomes[r].error), None)
        if first_error is not None:
            failure = first_error
    except GeneratorExit:
        raise  # the plan was closed: nothing may run any more
    except interrupts as interrupt:
        failure = interrupt
        whole.cleaning = True
        whole.interrupts += 1
        for progress in nodes.progresses:
            yield from stop_after_interrupt(progress, say, interrupts, bool(outputs))
    except BaseException as error:
        failure = error
    finally:
        nodes.release_lock()
        for writer in (*outs, *errs):
            writer.finish()
    whole.cleaning = True
    ended = yield from _outputs_and_teardowns(task, node_tasks, nodes, outputs, say, interrupts)
    finished: float = yield Now()
    results = [
        _node_result(node_tasks[rank], nodes, rank, max(0.0, finished - started), *ended[rank])
        for rank in range(count)
    ]
    result = _whole_result(task, nodes, results, whole.interrupts > 0)
    if isinstance(failure, asyncio.CancelledError):
        raise failure
    if result.interrupted:
        raise RunInterrupted(result) from None
    if failure is None:
        return result
    left = [teardown.left for *_, teardown in ended if teardown.left is not None]
    if left and isinstance(failure, GPUEaterError):
        raise RunTeardownError(
            f"{failure}; then the teardown failed: {result.teardown_error}",
            result=result,
            next_step=left[0].next_step(),
        ) from failure
    raise failure


def _node_task(task: Task, base: str, rank: int) -> Task:
    """Node `rank`'s task: a one-node task whose outputs come back into their own folder."""
    root = task.outputs_dir if task.outputs_dir is not None else DEFAULT_OUTPUTS_ROOT / base
    return task.replace(nodes=1, outputs_dir=root / str(rank))


def _look_up_launch_once(task: Task, tags: list[str]) -> Plan[None]:
    """Before any node launches: the product, image and key (registering the user's key
    once), so the nodes' own look-ups find it registered; skipped when every rank's
    instance exists already (a reused instance needs no product in stock)."""
    from gpueater_ext._jobs.instance import instances_of_tag
    from gpueater_ext._jobs.resources import choose_launch

    instances: list[Instance] = yield Call("instance_list")
    if any(not instances_of_tag(instances, tag) for tag in tags):
        yield from choose_launch(task.resources)


def _wait_for_all(nodes: _Nodes, rank: int) -> Callable[[Task], Plan[Task]]:
    """`work`'s `on_ready` for node `rank`: wait at the barrier until every node answers
    SSH and the addresses are known; then the task with the node's variables."""

    def on_ready(task: Task) -> Plan[Task]:
        yield BARRIER
        if any(address is None for address in nodes.addresses):
            return task  # another node failed first: this one is closed at its next step
        addresses = [address for address in nodes.addresses if address is not None]
        variables = {
            "GPUEATER_NODE_RANK": str(rank),
            "GPUEATER_NUM_NODES": str(len(addresses)),
            "GPUEATER_NODE_IPS": ",".join(addresses),
            "GPUEATER_HEAD_IP": addresses[0],
        }
        return task.replace(env={**task.env, **variables})

    return on_ready


def _addresses(nodes: _Nodes, say: Say) -> Plan[None]:
    """Every node answers SSH: read their addresses (private when all have one), and let
    a second run with the name go on (it now finds every rank's instance)."""
    from gpueater_ext._plans import network_description

    nodes.release_lock()
    instances = [progress.instance for progress in nodes.progresses]
    private: list[str | None] = []
    try:
        for instance in instances:
            assert instance is not None  # every node reached its on_ready
            described = yield from network_description(instance)
            private.append(described.instance_status.private_ipv4 or None)
    except GPUEaterError as error:
        say("nodes", f"the private addresses could not be read ({error}): using the public ones")
        private = [None]
    if all(private) and len(private) == len(instances):
        chosen, kind = private, "private"
    else:
        chosen, kind = [i.ipv4 if i is not None else None for i in instances], "public"
    nodes.addresses[:] = chosen
    say("nodes", f"every node answers SSH; node addresses ({kind}): {', '.join(map(str, chosen))}")


def _is_failure(nodes: _Nodes, rank: int, outcome: Outcome) -> bool:
    """A node failed: it raised, or its setup or job exited non-zero."""
    code = nodes.progresses[rank].exit_code
    failed = outcome.error is not None or (not outcome.closed and code not in (0, None))
    if failed:
        nodes.failed.append(rank)
    return failed


def _stop_the_others(nodes: _Nodes, rank: int, say: Say) -> Plan[None]:
    from gpueater_ext._jobs.job import stop_job

    code = nodes.progresses[rank].exit_code
    how = f"exited with status {code}" if code is not None else "was lost"
    say("nodes", f"node {rank} ({nodes.tags[rank]}) {how}: stopping the other nodes")
    for other, progress in enumerate(nodes.progresses):
        if other == rank or progress.job_id is None or progress.target is None:
            continue
        try:
            yield from blocking(stop_job, progress.target, progress.job_id)
            say("nodes", f"stopped the job {progress.job_id} of node {other}")
        except GPUEaterError as error:
            say("nodes", f"the job of node {other} could not be stopped: {error}")


def _outputs_and_teardowns(
    task: Task,
    node_tasks: list[Task],
    nodes: _Nodes,
    outputs: tuple[str, ...],
    say: Say,
    interrupts: tuple[type[BaseException], ...],
) -> Plan[list[tuple[Path | None, str | None, Any]]]:
    """Each node's outputs, then each node's teardown (every node's, whatever happened)."""
    from gpueater_ext._jobs.stages import fetch_outputs_stage
    from gpueater_ext._jobs.teardown import teardown_stage

    fetched = []
    for rank, progress in enumerate(nodes.progresses):
        progress.cleaning = True
        got = yield from fetch_outputs_stage(node_tasks[rank], outputs, progress, say, interrupts)
        fetched.append(got)
    ended = []
    for rank, progress in enumerate(nodes.progresses):
        teardown = yield from teardown_stage(node_tasks[rank], progress, say, interrupts)
        ended.append((*fetched[rank], teardown))
    return ended


def _node_result(
    task: Task,
    nodes: _Nodes,
    rank: int,
    duration: float,
    outputs_dir: Path | None,
    outputs_error: str | None,
    teardown: TeardownOutcome,
) -> RunResult:
    from gpueater_ext._jobs.runner import RunResult

    return RunResult.of_stages(
        task,
        nodes.progresses[rank],
        teardown,
        duration=duration,
        outputs_dir=outputs_dir,
        outputs_error=outputs_error,
        rank=rank,
        address=nodes.addresses[rank],
    )


def _whole_result(
    task: Task, nodes: _Nodes, results: list[RunResult], interrupted: bool
) -> RunResult:
    """The run as one RunResult (see the module docstring), its nodes' own in `nodes`."""
    from gpueater_ext._jobs.runner import RunResult

    first = results[nodes.failed[0]] if nodes.failed else None
    codes = [r.exit_code for r in results]
    exit_code = first.exit_code if first is not None else (0 if codes == [0] * len(codes) else None)
    prices = [r.price_per_hour for r in results]
    skipped = [r.setup_skipped for r in results if r.setup_skipped is not None]
    outputs_root = results[0].outputs_dir.parent if results[0].outputs_dir else None

    def joined(texts: Mapping[int, str | None]) -> str | None:
        return "; ".join(f"[{rank}] {text}" for rank, text in texts.items() if text) or None

    return RunResult(
        exit_code=exit_code,
        instance=results[0].instance,
        launched=any(r.launched for r in results),
        duration=max(r.duration for r in results),
        teardown=task.teardown,
        teardown_done=all(r.teardown_done for r in results),
        teardown_left_to=next((r.teardown_left_to for r in results if r.teardown_left_to), None),
        outputs_dir=outputs_root if task.outputs else None,
        setup_skipped=all(skipped) if skipped else None,
        failed_stage=first.failed_stage if first is not None else None,
        interrupted=interrupted or any(r.interrupted for r in results),
        outputs_error=joined(dict(enumerate(r.outputs_error for r in results))),
        teardown_error=joined(dict(enumerate(r.teardown_error for r in results))),
        left_running=joined(dict(enumerate(r.left_running for r in results))),
        price_per_hour=sum(prices) if None not in prices else None,  # type: ignore[arg-type]
        nodes=tuple(results),
    )
