"""`run` on several nodes against the `--sshd` emulator: every rank runs with the node
variables, its lines carry its rank and are never torn, and one failing node stops the
others and tears all of them down."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest

from gpueater_emulator.pytest_plugin import EmulatorProcess
from gpueater_ext import InvalidArgumentError, Resources, Task
from tests.sdk.run_fixtures import (
    Recorder,
    live_instances,
    make_client,
    processes_running,
    run_home,
)

__all__ = ["run_home"]  # the fixture, used by name

RESOURCES = Resources(products=("a1.rx580",))
LINES = 300  # per node, long enough that the nodes' writes overlap
PAYLOAD = "x" * 150

SHOW_NODE = (
    'echo "rank=$GPUEATER_NODE_RANK num=$GPUEATER_NUM_NODES head=$GPUEATER_HEAD_IP '
    'ips=$GPUEATER_NODE_IPS"\n'
    f'i=0; while [ $i -lt {LINES} ]; do echo "node $GPUEATER_NODE_RANK line $i {PAYLOAD}"; '
    "i=$((i+1)); done\n"
)


def test_three_nodes_run_ranks_0_1_2_each_seeing_the_head_and_every_address(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    out = Recorder()
    task = Task(
        run=SHOW_NODE, setup="echo set up $GPUEATER_NODE_RANK", resources=RESOURCES, nodes=3
    )
    with make_client(gpueater_emulator_sshd) as eater:
        result = eater.run(task, stdout=out)
    assert result.exit_code == 0
    assert result.ok
    assert [node.rank for node in result.nodes] == [0, 1, 2]
    addresses = [node.address for node in result.nodes]
    assert all(addresses), "every node has an address"
    assert len(set(addresses)) == 3, "each node has its own address"
    assert all(str(a).startswith("10.") for a in addresses), "the private network, all have one"
    text = out.data.decode()
    lines = text.splitlines()
    for rank in range(3):
        every = ",".join(map(str, addresses))
        expected = f"[{rank}] rank={rank} num=3 head={addresses[0]} ips={every}"
        assert expected in lines
        assert f"[{rank}] set up {rank}" in lines
    whole = re.compile(rf"\[(\d)\] node \1 line \d+ {PAYLOAD}")
    job_lines = [line for line in lines if " line " in line]
    assert len(job_lines) == 3 * LINES
    torn = [line for line in job_lines if not whole.fullmatch(line)]
    assert torn == [], "every line whole, with its own node's rank"
    tags = [node.instance.tag for node in result.nodes if node.instance is not None]
    assert len(tags) == 3
    assert [tag.rsplit("-", 1)[1] for tag in tags] == ["0", "1", "2"]
    assert live_instances(gpueater_emulator_sshd) == []
    assert all(node.teardown_done for node in result.nodes)
    assert result.teardown_done


def test_one_failing_node_stops_the_others_and_all_three_are_torn_down(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    emulator = gpueater_emulator_sshd
    sleeper = f"sleep 600.{secrets.randbelow(10**6):06d}"  # a command line this test owns
    # Rank 1 fails once the other two run: the test puts `go` on its disk when their
    # `running` lines have arrived (the instances share no folder of their own).
    script = (
        'if [ "$GPUEATER_NODE_RANK" = 1 ]; then\n'
        '  while [ ! -e "$HOME/go" ]; do sleep 0.1; done\n'
        "  echo failing; exit 3\n"
        "fi\n"
        f"echo running; exec {sleeper}\n"
    )
    disks: dict[str, Path] = {}

    def release_rank_1(data: bytes) -> None:
        lines = data.decode().splitlines()
        if disks or "[0] running" not in lines or "[2] running" not in lines:
            return
        for instance in live_instances(emulator):
            disks[str(instance["tag"])] = emulator.disk(str(instance["instance_id"]))
        rank_1 = next(disk for tag, disk in disks.items() if tag.endswith("-1"))
        (rank_1 / "go").write_text("")

    out = Recorder(release_rank_1)
    task = Task(run=script, resources=RESOURCES, nodes=3)
    with make_client(emulator) as eater:
        result = eater.run(task, stdout=out)
    assert result.exit_code == 3, "the first failing node's status"
    assert not result.ok
    assert result.failed_stage is None
    assert result.nodes[1].exit_code == 3
    assert "[1] failing" in out.data.decode().splitlines()
    # The others were stopped by the run (their job's end was seen: 128 + SIGTERM), not
    # merely ended with their instance, and nothing of theirs runs any more.
    assert [result.nodes[rank].exit_code for rank in (0, 2)] == [143, 143]
    assert processes_running(sleeper) == []
    assert live_instances(emulator) == []
    assert len(disks) == 3
    assert emulator.state()["requests"]["terminate_instance"] == 3, "all three torn down"
    assert result.teardown_done
    assert all(node.teardown_done for node in result.nodes)


@pytest.mark.parametrize("nodes", [0, 65, True])
def test_a_number_of_nodes_out_of_range_is_refused_before_anything(nodes: object) -> None:
    with pytest.raises(InvalidArgumentError, match="nodes"):
        Task(run="true", nodes=nodes)  # type: ignore[arg-type]
