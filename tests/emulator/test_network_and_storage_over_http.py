"""Ports, addresses, volumes, snapshots and user images over HTTP through the generated client."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from gpueater_client.api.image import (
    change_snapshot_tag,
    create_image,
    delete_image,
    delete_snapshot,
    image_list,
    import_image,
    registered_image_list,
    restore_from_snapshot,
    snapshot_instance,
    snapshot_list,
    snapshots,
    take_snapshot,
)
from gpueater_client.api.network import (
    close_port,
    network_description,
    open_port,
    port_list,
    refresh_ipv4,
    renew_ipv4,
)
from gpueater_client.api.storage import (
    attach_volume,
    create_volume,
    delete_volume,
    detach_volume,
    transfer_volume,
)
from gpueater_client.api.subscription import subscription_storage_list
from gpueater_client.models import (
    AttachVolumeForm,
    ChangeSnapshotTagForm,
    CreateImageForm,
    CreateVolumeForm,
    DeleteImageForm,
    DeleteSnapshotForm,
    ImportImageForm,
    InstanceIdForm,
    PortForm,
    RestoreFromSnapshotForm,
    SnapshotInstanceForm,
    TransferVolumeForm,
    VolumeIdForm,
)
from gpueater_client.types import Response

from tests.emulator.generated_client import data_of, error_of, launch


def _ports(answer: Response[Any]) -> list[int]:
    return [port.port for port in data_of(answer)]


def test_ports_open_and_close(api, emulator):
    instance = launch(api, "ports")
    form = PortForm(
        instance_id=instance.instance_id, connection_id=instance.connection_id, port=8888
    )
    assert _ports(open_port.sync_detailed(client=api, body=form)) == [22, 8888]
    # The bare list the Node console iterates (spec 3.0.0), not an object around it.
    assert _ports(port_list.sync_detailed(client=api, instance_id=instance.instance_id)) == [
        22,
        8888,
    ]
    assert _ports(close_port.sync_detailed(client=api, body=form)) == [22]
    error = error_of(close_port.sync_detailed(client=api, body=form))
    assert (error.field, error.code) == ("port", "not_found")


def test_renew_changes_the_address_and_refresh_keeps_it(api, emulator):
    instance = launch(api, "addresses")
    by_id = InstanceIdForm(instance_id=instance.instance_id)
    renewed = data_of(renew_ipv4.sync_detailed(client=api, body=by_id)).instance_status
    assert renewed.global_ipv4 != instance.ipv4
    assert ipaddress.ip_address(renewed.global_ipv4) in ipaddress.ip_network("198.18.0.0/15")
    refreshed = data_of(refresh_ipv4.sync_detailed(client=api, body=by_id)).instance_status
    assert refreshed.global_ipv4 == renewed.global_ipv4
    assert emulator.state()["instances"][0]["ipv4"] == renewed.global_ipv4


def test_network_description_answers_what_the_node_console_reads(api, emulator):
    instance = launch(api, "console")
    answer = network_description.sync_detailed(client=api, instance_id=instance.instance_id)
    wire = json.loads(answer.content)["data"]
    # `gpueater network` of the Node client reads exactly these (api-notes, disagreement 2).
    assert set(wire) == {"instance_status", "port_list"}
    assert set(wire["instance_status"]) == {
        "tag",
        "private_ipv4",
        "global_ipv4",
        "global_ipv6",
        "bytes_received",
        "bytes_sent",
        "packets_received",
        "packets_sent",
        "root_storage_usage",
    }
    status = wire["instance_status"]
    assert (status["tag"], status["global_ipv4"]) == ("console", instance.ipv4)
    assert status["private_ipv4"].startswith("10.")
    assert [port["port"] for port in wire["port_list"]] == [22]


def test_volume_attach_detach_transfer_delete(api, emulator):
    instance = launch(api, "volumes")  # a1.rx580 is placed in tokyo-1
    volume = data_of(
        create_volume.sync_detailed(client=api, body=CreateVolumeForm(volume=100, name="data"))
    )
    assert (volume.status, volume.region_id, volume.size) == ("AVAILABLE", "tokyo-1", 100)
    by_id = VolumeIdForm(volume_id=volume.volume_id)

    attach = AttachVolumeForm(volume_id=volume.volume_id, instance_id=instance.instance_id)
    attached = data_of(attach_volume.sync_detailed(client=api, body=attach))
    assert (attached.status, attached.instance_id) == ("ATTACHED", instance.instance_id)
    error = error_of(delete_volume.sync_detailed(client=api, body=by_id))
    assert (error.field, error.code) == ("volume_id", "invalid_state")

    assert data_of(detach_volume.sync_detailed(client=api, body=by_id)).status == "AVAILABLE"
    move = TransferVolumeForm(volume_id=volume.volume_id, region_id="osaka-1")
    assert data_of(transfer_volume.sync_detailed(client=api, body=move)).status == "TRANSFERRING"
    emulator.advance_clock(10)
    volumes = data_of(subscription_storage_list.sync_detailed(client=api)).volumes
    assert [(v.status, v.region_id) for v in volumes] == [("AVAILABLE", "osaka-1")]
    # Now in another region than the instance: attaching is refused.
    error = error_of(attach_volume.sync_detailed(client=api, body=attach))
    assert (error.field, error.code) == ("instance_id", "invalid_state")

    assert data_of(delete_volume.sync_detailed(client=api, body=by_id)) is None
    assert data_of(subscription_storage_list.sync_detailed(client=api)).volumes == []


def test_snapshot_restore_delete(api, emulator):
    instance = launch(api, "snapshots")
    taken = data_of(
        snapshot_instance.sync_detailed(
            client=api,
            body=SnapshotInstanceForm(instance_id=instance.instance_id, tag="before-upgrade"),
        )
    )
    assert (taken.status, taken.tag, taken.instance_id) == (
        "READY",
        "before-upgrade",
        instance.instance_id,
    )
    listed = data_of(snapshot_list.sync_detailed(client=api, instance_id=instance.instance_id))
    assert [snapshot.snapshot_id for snapshot in listed] == [taken.snapshot_id]
    restore = RestoreFromSnapshotForm(
        instance_id=instance.instance_id, snapshot_id=taken.snapshot_id
    )
    assert data_of(restore_from_snapshot.sync_detailed(client=api, body=restore)) is None
    delete = DeleteSnapshotForm(snapshot_id=taken.snapshot_id)
    assert data_of(delete_snapshot.sync_detailed(client=api, body=delete)) is None
    assert data_of(snapshot_list.sync_detailed(client=api, instance_id=instance.instance_id)) == []
    error = error_of(delete_snapshot.sync_detailed(client=api, body=delete))
    assert (error.field, error.code) == ("snapshot_id", "not_found")


def test_the_ruby_clients_snapshot_paths_and_renaming_a_snapshot(api, emulator):
    first, second = launch(api, "first"), launch(api, "second")
    # take_snapshot: the Ruby client's path, the same form and answer as snapshot_instance.
    taken = data_of(
        take_snapshot.sync_detailed(
            client=api, body=SnapshotInstanceForm(instance_id=first.instance_id, tag="ruby")
        )
    )
    assert (taken.instance_id, taken.tag, taken.status) == (first.instance_id, "ruby", "READY")
    other = data_of(
        snapshot_instance.sync_detailed(
            client=api, body=SnapshotInstanceForm(instance_id=second.instance_id, tag="node")
        )
    )
    # snapshots: every snapshot of the account, without arguments.
    listed = data_of(snapshots.sync_detailed(client=api))
    assert sorted((s.snapshot_id, s.tag) for s in listed) == sorted(
        [(taken.snapshot_id, "ruby"), (other.snapshot_id, "node")]
    )
    # change_snapshot_tag renames one snapshot, answers data: null, and the lists show it.
    rename = ChangeSnapshotTagForm(snapshot_id=taken.snapshot_id, tag="known-good")
    answer = change_snapshot_tag.sync_detailed(client=api, body=rename)
    assert json.loads(answer.content) == {"data": None, "error": None}
    per_instance = data_of(snapshot_list.sync_detailed(client=api, instance_id=first.instance_id))
    assert [s.tag for s in per_instance] == ["known-good"]
    assert sorted(s["tag"] for s in emulator.state()["snapshots"]) == ["known-good", "node"]
    missing = ChangeSnapshotTagForm(snapshot_id="s-00000", tag="x")
    error = error_of(change_snapshot_tag.sync_detailed(client=api, body=missing))
    assert (error.field, error.code) == ("snapshot_id", "not_found")


def test_user_image_builds_then_is_launchable(api, emulator):
    instance = launch(api, "golden")
    building = data_of(
        create_image.sync_detailed(
            client=api,
            body=CreateImageForm(instance_id=instance.instance_id, image_name="my golden image"),
        )
    )
    assert (building.status, building.progress, building.user_defined) == ("BUILDING", 0, True)
    names = [image.name for image in data_of(image_list.sync_detailed(client=api))]
    assert "my golden image" not in names

    emulator.advance_clock(30)
    halfway = data_of(registered_image_list.sync_detailed(client=api))[0]
    assert (halfway.status, halfway.progress) == ("BUILDING", 50)
    emulator.advance_clock(30)
    ready = data_of(registered_image_list.sync_detailed(client=api))[0]
    assert (ready.status, ready.progress) == ("READY", 100)
    images = data_of(image_list.sync_detailed(client=api))
    own = next(image for image in images if image.name == "my golden image")
    assert (own.alias, own.user_defined) == ("my-golden-image", True)


def test_import_image_needs_a_web_url_and_delete_removes_it(api, emulator):
    refused = error_of(
        import_image.sync_detailed(
            client=api, body=ImportImageForm(url="file:///etc/passwd", image_name="local")
        )
    )
    assert (refused.field, refused.code) == ("url", "invalid_request")
    imported = data_of(
        import_image.sync_detailed(
            client=api,
            body=ImportImageForm(url="https://example.com/images/custom.img", image_name="custom"),
        )
    )
    assert (imported.status, imported.alias) == ("BUILDING", "custom")
    duplicate = error_of(
        import_image.sync_detailed(
            client=api,
            body=ImportImageForm(url="https://example.com/other.img", image_name="custom"),
        )
    )
    assert (duplicate.field, duplicate.code) == ("image_name", "duplicate")
    by_fingerprint = DeleteImageForm(fingerprint=imported.fingerprint)
    assert data_of(delete_image.sync_detailed(client=api, body=by_fingerprint)) is None
    assert data_of(registered_image_list.sync_detailed(client=api)) == []
