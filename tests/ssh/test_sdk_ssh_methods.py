"""The SSH methods of GPUEater, AsyncGPUEater and `import gpueater` against an instance of
the `--sshd` emulator: the instance named every way the seed allows, files both ways."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

import gpueater
from gpueater_ext import (
    AsyncGPUEater,
    GPUEater,
    Instance,
    InvalidArgumentError,
    NotFoundError,
    SSHError,
    known_hosts_file,
    save_ssh_key,
)
from gpueater_ext._ssh.target import host_key_alias
from tests.support.emulator_process import EmulatorProcess
from tests.support.sshd_instances import Workspace

pytestmark = pytest.mark.sshd


@pytest.fixture(scope="module")
def isolated(workspace: Workspace) -> Iterator[Workspace]:
    """HOME (~/.ssh, the project's known_hosts) in the workspace for this module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(workspace.home))
        patch.delenv("XDG_CONFIG_HOME", raising=False)
        yield workspace


@pytest.fixture(scope="module")
def eater(sshd_emulator: EmulatorProcess, isolated: Workspace) -> Iterator[GPUEater]:
    with GPUEater(
        url=sshd_emulator.url, email=sshd_emulator.email, password=sshd_emulator.password
    ) as client:
        yield client


def launch(eater: GPUEater, tag: str, key_name: str) -> Instance:
    catalog = eater.ondemand_list()
    key = catalog.find_ssh_key(key_name)
    if key is None:
        pair = eater.generate_ssh_key()
        save_ssh_key(key_name, pair.private_key)
        key = eater.register_ssh_key(name=key_name, public_key=pair.public_key)
    launched = eater.launch_ondemand_instance(
        product_id=catalog.get_product("a1.rx580").id,
        image=catalog.get_image("Ubuntu16.04 x64").alias,
        ssh_key_id=key.id,
        tag=tag,
    )
    return eater.wait_for_ssh(launched, timeout=60, poll=0.1)


@pytest.fixture(scope="module")
def box(eater: GPUEater) -> Instance:
    return launch(eater, "sdk-box", "sdk-key")


@pytest.fixture
def remote(sshd_emulator: EmulatorProcess, box: Instance, request: pytest.FixtureRequest) -> Path:
    """This test's folder on the instance's disk, seen from this machine; on the instance it
    is `remote.name`, relative to the home folder."""
    folder = sshd_emulator.disk(box.instance_id) / str(request.node.name)
    folder.mkdir()
    return folder


def test_commands_report_output_and_exit_status(eater: GPUEater, box: Instance, capfd):
    result = eater.capture_command(
        box, ["sh", "-c", 'cat; echo "$1" >&2; exit 4', "-", "$x"], input=b"in"
    )
    assert (result.exit_code, result.stdout, result.stderr) == (4, b"in", b"$x\n")
    assert eater.run_command("sdk-box", ["echo", "streamed"]) == 0  # by tag
    assert capfd.readouterr().out == "streamed\n"
    with pytest.raises(InvalidArgumentError, match="list of words"):
        eater.run_command(box, "echo not like this")  # a str is a Sequence[str] to mypy


def test_seed_forms_copy_move_list_and_delete(eater: GPUEater, box: Instance, remote, tmp_path):
    (tmp_path / "up.txt").write_bytes(b"payload")
    (tmp_path / "tree" / "sub").mkdir(parents=True)
    (tmp_path / "tree" / "sub" / "f").write_text("deep")
    form = {"instance_id": box.instance_id}  # as the 1.5 README passes it

    eater.make_directory({**form, "dst": f"{remote.name}/made/deeper"})
    eater.copy_file({**form, "action": "put", "src": str(tmp_path / "up.txt"), "dst": remote.name})
    eater.copy_file(
        box, action="put", src=tmp_path / "tree", dst=f"{remote.name}/tree", recursive=True
    )
    entries = eater.file_list({**form, "src": remote.name})
    assert [(e.name, e.type) for e in entries] == [
        ("made", "directory"),
        ("tree", "directory"),
        ("up.txt", "file"),
    ]
    assert entries[2].size == len(b"payload")

    eater.move_file(box, action="get", src=f"{remote.name}/up.txt", dst=tmp_path / "down.txt")
    assert (tmp_path / "down.txt").read_bytes() == b"payload"
    assert not (remote / "up.txt").exists()
    eater.copy_file(
        box.instance_id,
        action="get",
        src=f"{remote.name}/tree",
        dst=tmp_path / "back",
        recursive=True,
    )
    assert (tmp_path / "back" / "sub" / "f").read_text() == "deep"

    eater.delete_file(box, src=f"{remote.name}/tree", recursive=True)
    with pytest.raises(SSHError, match="No such file"):
        eater.delete_file(box, src=f"{remote.name}/tree")
    assert [e.name for e in eater.file_list(box, src=remote.name)] == ["made"]


def test_the_module_api_takes_plain_dicts(eater: GPUEater, box: Instance, remote, tmp_path):
    gpueater.set_client(eater)
    try:
        instance = next(i for i in gpueater.instance_list() if i["tag"] == "sdk-box")
        (tmp_path / "a").write_text("a")
        gpueater.copy_file(
            {**instance, "action": "put", "src": str(tmp_path / "a"), "dst": remote.name}
        )
        assert (
            gpueater.file_list({"instance_id": instance["instance_id"], "src": remote.name})[0][
                "name"
            ]
            == "a"
        )
        gpueater.delete_file({**instance, "src": f"{remote.name}/a"})
        assert gpueater.file_list({**instance, "src": remote.name}) == []
    finally:
        gpueater.set_client(None)


def test_the_async_client_runs_the_same_methods(sshd_emulator, box: Instance, remote):
    async def scenario() -> tuple[int, list[str]]:
        async with AsyncGPUEater(
            url=sshd_emulator.url, email=sshd_emulator.email, password=sshd_emulator.password
        ) as client:
            await client.make_directory(box, dst=f"{remote.name}/async")
            result = await client.capture_command(box, ["true"])
            return result.exit_code, [e.name for e in await client.file_list(box, src=remote.name)]

    assert asyncio.run(scenario()) == (0, ["async"])


def test_arguments_and_instances_that_cannot_work(eater: GPUEater, box: Instance, isolated):
    with pytest.raises(InvalidArgumentError, match="'get'"):
        eater.copy_file(box, action="fetch", src="a", dst="b")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="a form dict without instance_id"):
        eater.file_list({"src": "."})
    with pytest.raises(NotFoundError):
        eater.file_list("no-such-instance")
    with pytest.raises(SSHError, match="not found"):
        eater.file_list(box, key_file=isolated.home / "absent.pem")
    stopped = eater.stop_instance(launch(eater, "sdk-stopped", "sdk-key"))
    with pytest.raises(SSHError, match="RUNNING"):
        eater.capture_command(stopped, ["true"])
    eater.terminate_instance(stopped)


def test_terminate_forgets_the_host_key(eater: GPUEater):
    doomed = launch(eater, "sdk-doomed", "sdk-key")
    assert eater.capture_command(doomed, ["true"]).exit_code == 0
    alias = host_key_alias(doomed.instance_id, eater.config.url)
    assert alias in known_hosts_file().read_text()
    eater.terminate_instance(doomed)
    assert alias not in known_hosts_file().read_text()
