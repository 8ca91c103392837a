"""`gpueater run --nodes N` end to end: the real command in a subprocess against the
`--sshd` emulator. What a user sees: each node's lines prefixed by its rank, the node
variables, one result object with a per-node list under `-o json`, the first failing
node's exit status, and no instance left behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import Cli
from tests.support.emulator_process import EmulatorProcess
from tests.support.run_process import run

pytestmark = pytest.mark.sshd

SHOW = (
    'echo "rank=$GPUEATER_NODE_RANK of $GPUEATER_NUM_NODES head=$GPUEATER_HEAD_IP '
    'ips=$GPUEATER_NODE_IPS"'
)


@pytest.fixture
def cli(tmp_path: Path, gpueater_emulator_sshd: EmulatorProcess) -> Cli:
    home = tmp_path / "home"
    (home / "project").mkdir(parents=True)
    return Cli(home, gpueater_emulator_sshd)


def live(emulator: EmulatorProcess) -> list[object]:
    return [i for i in emulator.state()["instances"] if i.get("state") != "TERMINATING"]


def test_three_nodes_as_json_list_every_node_and_each_line_carries_its_rank(cli: Cli) -> None:
    code, stdout, stderr = run(
        cli, "run", "--nodes", "3", "--product", "a1.rx580", "-o", "json", "--", "sh", "-c", SHOW
    )
    assert code == 0, stderr
    result = json.loads(stdout)
    assert result["exit_code"] == 0
    assert result["teardown_done"]
    nodes = result["nodes"]
    assert [node["rank"] for node in nodes] == [0, 1, 2]
    addresses = [node["address"] for node in nodes]
    assert len(set(addresses)) == 3
    base = nodes[0]["tag"].removesuffix("-0")
    assert [node["tag"] for node in nodes] == [f"{base}-{rank}" for rank in range(3)]
    lines = stderr.splitlines()  # -o json: the job's stdout goes to stderr
    for rank in range(3):
        wanted = f"[{rank}] rank={rank} of 3 head={addresses[0]} ips={','.join(addresses)}"
        assert wanted in lines
    assert live(cli.emulator) == []


@pytest.mark.slow
def test_one_failing_node_gives_its_exit_status_and_all_nodes_are_torn_down(cli: Cli) -> None:
    script = 'if [ "$GPUEATER_NODE_RANK" = 1 ]; then echo bad >&2; exit 3; fi; exec sleep 600'
    code, _stdout, stderr = run(
        cli, "run", "--nodes", "3", "--product", "a1.rx580", "--", "sh", "-c", script
    )
    assert code == 3, stderr
    assert "[1] bad" in stderr.splitlines()
    assert "node 1" in stderr
    assert "stopping the other nodes" in stderr
    assert live(cli.emulator) == []
    assert cli.emulator.state()["requests"]["terminate_instance"] == 3


def test_too_many_nodes_is_one_error_line_and_launches_nothing(cli: Cli) -> None:
    code, stdout, stderr = run(cli, "run", "--nodes", "65", "--", "true")
    assert code != 0
    assert stdout == ""
    (line,) = stderr.splitlines()
    assert line.startswith("error: nodes: 65 is more than the 64")
    assert "launch_ondemand_instance" not in cli.emulator.state()["requests"]
