"""Instances over real HTTP on loopback, driven through the generated client."""

from __future__ import annotations

import ipaddress

from gpueater_client.api.instance import (
    change_instance_tag,
    emergency_restart_instance,
    start_instance,
    stop_instance,
    terminate_instance,
)
from gpueater_client.models import ChangeInstanceTagForm, Instance, InstanceActionForm

from tests.emulator.generated_client import (
    data_of,
    error_of,
    find_instance,
    instance_tags,
    launch,
)


def _action(instance: Instance) -> InstanceActionForm:
    return InstanceActionForm(
        instance_id=instance.instance_id, machine_resource_id=instance.machine_resource_id
    )


def test_launch_wait_stop_start_terminate(api, emulator):
    client = api
    instance = launch(client, "HappyGPUProgramming")

    # --boot-seconds 0: RUNNING on the first read after the launch.
    assert instance.state == "RUNNING"
    assert instance.product_name == "a1.rx580"
    assert isinstance(instance.ipv4, str)
    assert ipaddress.ip_address(instance.ipv4) in ipaddress.ip_network("198.18.0.0/15")
    assert (instance.sshd_port, instance.sshd_user) == (22, "root")
    assert instance.ssh_key_file_name == "key-HappyGPUProgramming"
    assert instance.price == 0.3968

    stopping = data_of(stop_instance.sync_detailed(client=client, body=_action(instance)))
    assert stopping.state == "STOPPING"
    assert find_instance(client, "HappyGPUProgramming").state == "STOPPED"
    # Stopping a STOPPED instance changes nothing and succeeds, as the service documents.
    again = data_of(stop_instance.sync_detailed(client=client, body=_action(instance)))
    assert again.state == "STOPPED"

    data_of(start_instance.sync_detailed(client=client, body=_action(instance)))
    assert find_instance(client, "HappyGPUProgramming").state == "RUNNING"
    running = data_of(start_instance.sync_detailed(client=client, body=_action(instance)))
    assert running.state == "RUNNING"

    terminated = data_of(terminate_instance.sync_detailed(client=client, body=_action(instance)))
    assert terminated.state == "TERMINATING"
    assert instance_tags(client) == []
    assert emulator.state()["instances"] == []


def test_rename_and_emergency_restart_keep_the_instance(api, emulator):
    client = api
    instance = launch(client, "before")
    renamed = data_of(
        change_instance_tag.sync_detailed(
            client=client, body=ChangeInstanceTagForm(instance_id=instance.instance_id, tag="after")
        )
    )
    assert (renamed.tag, renamed.state) == ("after", "RUNNING")
    restarted = data_of(
        emergency_restart_instance.sync_detailed(client=client, body=_action(instance))
    )
    assert restarted.state == "LAUNCHING"
    assert find_instance(client, "after").state == "RUNNING"


def test_a_machine_id_of_another_instance_does_not_act(api, emulator):
    client = api
    first, second = launch(client, "first"), launch(client, "second")
    crossed = InstanceActionForm(
        instance_id=first.instance_id, machine_resource_id=second.machine_resource_id
    )
    error = error_of(terminate_instance.sync_detailed(client=client, body=crossed))
    assert (error.field, error.code) == ("machine_resource_id", "not_found")
    assert sorted(instance_tags(client)) == ["first", "second"]
