"""Call every operation of openapi/gpueater.yaml through the generated client against a
validating mock server (Prism) and fail on anything the mock finds invalid.

Prism knows only the spec, so it is an independent reader of what `gpueater_client` sends:
a request it refuses (HTTP 422 with its validation messages, 401 for a missing session
cookie, 404/405 for a path or method the spec does not have) or any violation it reports in
its `sl-violations` header fails the check. So does an answer the generated client cannot
parse into the model the spec promises. Every operationId in the spec must have a call
here, so a new operation cannot go unchecked.

Usage (scripts/spec_mock_check.sh starts and stops Prism around it):
    spec_mock_check.py --base-url http://127.0.0.1:PORT [--spec openapi/gpueater.yaml]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any

import httpx
import yaml
from gpueater_client import Client
from gpueater_client.api.auth import api_login
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
from gpueater_client.api.instance import (
    change_instance_tag,
    emergency_restart_instance,
    instance_list,
    launch_ondemand_instance,
    launch_subcription_instance,
    ondemand_list,
    start_instance,
    stop_instance,
    subscription_list,
    terminate_instance,
)
from gpueater_client.api.network import (
    close_port,
    network_description,
    open_port,
    port_list,
    refresh_ipv4,
    renew_ipv4,
)
from gpueater_client.api.payment import invoice_list, make_invoice, subscription_invoice_list
from gpueater_client.api.special import cancel_transaction, live_migration, peak_transaction
from gpueater_client.api.ssh_key import (
    delete_ssh_key,
    generate_ssh_key,
    register_ssh_key,
    ssh_key_list,
)
from gpueater_client.api.storage import (
    attach_volume,
    create_volume,
    delete_volume,
    detach_volume,
    transfer_volume,
)
from gpueater_client.api.subscription import (
    subscribe_instance,
    subscribe_network,
    subscribe_storage,
    subscribed_list,
    subscription_instance_list,
    subscription_network_list,
    subscription_storage_list,
    unsubscribe_instance,
    unsubscribe_network,
    unsubscribe_storage,
)
from gpueater_client.models import (
    AttachVolumeForm,
    ChangeInstanceTagForm,
    ChangeSnapshotTagForm,
    CreateImageForm,
    CreateVolumeForm,
    DeleteImageForm,
    DeleteSnapshotForm,
    DeleteSshKeyForm,
    EmptyEnvelope,
    ImageListEnvelope,
    ImportImageForm,
    InstanceActionForm,
    InstanceEnvelope,
    InstanceIdForm,
    InstanceListEnvelope,
    InvoiceListEnvelope,
    LaunchCatalogEnvelope,
    LaunchOndemandInstanceForm,
    LaunchSubscriptionInstanceForm,
    LiveMigrationForm,
    LoginForm,
    NetworkDescriptionEnvelope,
    PlanListEnvelope,
    PortForm,
    PortListEnvelope,
    RegisterSshKeyForm,
    RestoreFromSnapshotForm,
    SnapshotEnvelope,
    SnapshotInstanceForm,
    SnapshotListEnvelope,
    SshKeyEnvelope,
    SshKeyListEnvelope,
    SshKeyPairEnvelope,
    StorageListEnvelope,
    SubscriptionCatalogEnvelope,
    SubscriptionEnvelope,
    SubscriptionIdForm,
    SubscriptionListEnvelope,
    TransactionEnvelope,
    TransactionIdForm,
    TransferVolumeForm,
    UserImageEnvelope,
    UserImageListEnvelope,
    VolumeEnvelope,
    VolumeIdForm,
)
from gpueater_client.types import File, Response

SESSION_COOKIE = "gpueater_session"  # the spec's `session` security scheme
INSTANCE = "10001"
MACHINE = "20001"
CONNECTION = "30001"
# The Ruby client's optional `instances` field: a JSON array carried as a string.
INSTANCES_FIELD = json.dumps([{"instance_id": INSTANCE, "machine_resource_id": MACHINE}])


@dataclass(frozen=True)
class Call:
    """One request through the generated client and the model its answer must parse into."""

    operation_id: str
    label: str
    send: Callable[[Client], Response[Any]]
    answer: type


def _action(instances: bool = False) -> InstanceActionForm:
    form = InstanceActionForm(instance_id=INSTANCE, machine_resource_id=MACHINE)
    if instances:
        form.instances = INSTANCES_FIELD
    return form


# Values are the spec's examples; optional fields that a published client sent are sent too,
# so the mock checks their encoding as well. The two logins come first: the token-pair login
# last, so its session cookie is the one every later call carries.
CALLS: tuple[Call, ...] = (
    Call(
        "api_login",
        "email and password",
        lambda c: api_login.sync_detailed(
            client=c,
            body=LoginForm(email="user@example.com", password="correct-horse"),  # noqa: S106
        ),
        EmptyEnvelope,
    ),
    Call(
        "api_login",
        "token pair",
        lambda c: api_login.sync_detailed(
            client=c,
            body=LoginForm(access_token="a1b2c3", secret_token="d4e5f6"),  # noqa: S106
        ),
        EmptyEnvelope,
    ),
    Call("image_list", "", lambda c: image_list.sync_detailed(client=c), ImageListEnvelope),
    Call(
        "registered_image_list",
        "",
        lambda c: registered_image_list.sync_detailed(client=c),
        UserImageListEnvelope,
    ),
    Call(
        "create_image",
        "",
        lambda c: create_image.sync_detailed(
            client=c,
            body=CreateImageForm(
                instance_id=INSTANCE,
                image_name="my-cuda-image",
                machine_resource_id=MACHINE,
                description="CUDA with my packages",
            ),
        ),
        UserImageEnvelope,
    ),
    Call(
        "import_image",
        "",
        lambda c: import_image.sync_detailed(
            client=c,
            body=ImportImageForm(url="https://example.com/images/custom.img", image_name="custom"),
        ),
        UserImageEnvelope,
    ),
    Call(
        "delete_image",
        "",
        lambda c: delete_image.sync_detailed(
            client=c, body=DeleteImageForm(fingerprint="3f2a9c1e")
        ),
        EmptyEnvelope,
    ),
    Call(
        "snapshot_instance",
        "",
        lambda c: snapshot_instance.sync_detailed(
            client=c,
            body=SnapshotInstanceForm(
                instance_id=INSTANCE, machine_resource_id=MACHINE, tag="before-upgrade"
            ),
        ),
        SnapshotEnvelope,
    ),
    Call(
        "snapshot_list",
        "",
        lambda c: snapshot_list.sync_detailed(client=c, instance_id=INSTANCE),
        SnapshotListEnvelope,
    ),
    Call(
        "snapshots",
        "",
        lambda c: snapshots.sync_detailed(client=c),
        SnapshotListEnvelope,
    ),
    Call(
        "take_snapshot",
        "",
        lambda c: take_snapshot.sync_detailed(
            client=c, body=SnapshotInstanceForm(instance_id=INSTANCE, tag="before-upgrade")
        ),
        SnapshotEnvelope,
    ),
    Call(
        "change_snapshot_tag",
        "",
        lambda c: change_snapshot_tag.sync_detailed(
            client=c, body=ChangeSnapshotTagForm(snapshot_id="s-30001", tag="known-good")
        ),
        EmptyEnvelope,
    ),
    Call(
        "delete_snapshot",
        "",
        lambda c: delete_snapshot.sync_detailed(
            client=c, body=DeleteSnapshotForm(snapshot_id="s-30001")
        ),
        EmptyEnvelope,
    ),
    Call(
        "restore_from_snapshot",
        "",
        lambda c: restore_from_snapshot.sync_detailed(
            client=c, body=RestoreFromSnapshotForm(instance_id=INSTANCE, snapshot_id="s-30001")
        ),
        EmptyEnvelope,
    ),
    Call("ssh_key_list", "", lambda c: ssh_key_list.sync_detailed(client=c), SshKeyListEnvelope),
    Call(
        "generate_ssh_key",
        "",
        lambda c: generate_ssh_key.sync_detailed(client=c),
        SshKeyPairEnvelope,
    ),
    Call(
        "register_ssh_key",
        "",
        lambda c: register_ssh_key.sync_detailed(
            client=c,
            body=RegisterSshKeyForm(
                name="my_ssh_key", public_key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample x"
            ),
        ),
        SshKeyEnvelope,
    ),
    Call(
        "delete_ssh_key",
        "",
        lambda c: delete_ssh_key.sync_detailed(client=c, body=DeleteSshKeyForm(id="501")),
        EmptyEnvelope,
    ),
    Call(
        "ondemand_list", "", lambda c: ondemand_list.sync_detailed(client=c), LaunchCatalogEnvelope
    ),
    Call(
        "subscription_list",
        "",
        lambda c: subscription_list.sync_detailed(client=c),
        SubscriptionCatalogEnvelope,
    ),
    Call(
        "launch_ondemand_instance",
        "",
        lambda c: launch_ondemand_instance.sync_detailed(
            client=c,
            body=LaunchOndemandInstanceForm(
                product_id="3", image="ubuntu-16.04-x64", ssh_key_id="501", tag="spec-mock-check"
            ),
        ),
        EmptyEnvelope,
    ),
    Call(
        "launch_subcription_instance",
        "",
        lambda c: launch_subcription_instance.sync_detailed(
            client=c,
            body=LaunchSubscriptionInstanceForm(
                subscription_id="sub-40001",
                image="ubuntu-16.04-x64",
                ssh_key_id="501",
                tag="monthly-box",
                product_id="3",
            ),
        ),
        EmptyEnvelope,
    ),
    Call(
        "instance_list", "", lambda c: instance_list.sync_detailed(client=c), InstanceListEnvelope
    ),
    Call(
        "change_instance_tag",
        "",
        lambda c: change_instance_tag.sync_detailed(
            client=c, body=ChangeInstanceTagForm(instance_id=INSTANCE, tag="renamed")
        ),
        InstanceEnvelope,
    ),
    Call(
        "start_instance",
        "with the Ruby client's `instances` field",
        lambda c: start_instance.sync_detailed(client=c, body=_action(instances=True)),
        InstanceEnvelope,
    ),
    Call(
        "stop_instance",
        "",
        lambda c: stop_instance.sync_detailed(client=c, body=_action()),
        InstanceEnvelope,
    ),
    Call(
        "terminate_instance",
        "",
        lambda c: terminate_instance.sync_detailed(client=c, body=_action()),
        InstanceEnvelope,
    ),
    Call(
        "emergency_restart_instance",
        "",
        lambda c: emergency_restart_instance.sync_detailed(client=c, body=_action()),
        InstanceEnvelope,
    ),
    Call(
        "port_list",
        "",
        lambda c: port_list.sync_detailed(client=c, instance_id=INSTANCE, connection_id=CONNECTION),
        PortListEnvelope,
    ),
    Call(
        "open_port",
        "",
        lambda c: open_port.sync_detailed(
            client=c, body=PortForm(instance_id=INSTANCE, connection_id=CONNECTION, port=8888)
        ),
        PortListEnvelope,
    ),
    Call(
        "close_port",
        "",
        lambda c: close_port.sync_detailed(
            client=c, body=PortForm(instance_id=INSTANCE, connection_id=CONNECTION, port=8888)
        ),
        PortListEnvelope,
    ),
    Call(
        "renew_ipv4",
        "",
        lambda c: renew_ipv4.sync_detailed(client=c, body=InstanceIdForm(instance_id=INSTANCE)),
        NetworkDescriptionEnvelope,
    ),
    Call(
        "refresh_ipv4",
        "",
        lambda c: refresh_ipv4.sync_detailed(client=c, body=InstanceIdForm(instance_id=INSTANCE)),
        NetworkDescriptionEnvelope,
    ),
    Call(
        "network_description",
        "",
        lambda c: network_description.sync_detailed(client=c, instance_id=INSTANCE),
        NetworkDescriptionEnvelope,
    ),
    Call(
        "create_volume",
        "",
        lambda c: create_volume.sync_detailed(
            client=c,
            body=CreateVolumeForm(volume=100, region_id="tokyo-1", storage_type="ssd", name="data"),
        ),
        VolumeEnvelope,
    ),
    Call(
        "attach_volume",
        "",
        lambda c: attach_volume.sync_detailed(
            client=c, body=AttachVolumeForm(volume_id="v-50001", instance_id=INSTANCE)
        ),
        VolumeEnvelope,
    ),
    Call(
        "detach_volume",
        "",
        lambda c: detach_volume.sync_detailed(client=c, body=VolumeIdForm(volume_id="v-50001")),
        VolumeEnvelope,
    ),
    Call(
        "delete_volume",
        "",
        lambda c: delete_volume.sync_detailed(client=c, body=VolumeIdForm(volume_id="v-50001")),
        EmptyEnvelope,
    ),
    Call(
        "transfer_volume",
        "",
        lambda c: transfer_volume.sync_detailed(
            client=c, body=TransferVolumeForm(volume_id="v-50001", region_id="osaka-1")
        ),
        VolumeEnvelope,
    ),
    Call(
        "subscription_instance_list",
        "",
        lambda c: subscription_instance_list.sync_detailed(client=c),
        PlanListEnvelope,
    ),
    Call(
        "subscription_storage_list",
        "",
        lambda c: subscription_storage_list.sync_detailed(client=c),
        StorageListEnvelope,
    ),
    Call(
        "subscription_network_list",
        "",
        lambda c: subscription_network_list.sync_detailed(client=c),
        PlanListEnvelope,
    ),
    Call(
        "subscribed_list",
        "",
        lambda c: subscribed_list.sync_detailed(client=c),
        SubscriptionListEnvelope,
    ),
    Call(
        "subscribe_instance",
        "",
        lambda c: subscribe_instance.sync_detailed(
            client=c, body=SubscriptionIdForm(subscription_id="plan-i-1")
        ),
        SubscriptionEnvelope,
    ),
    Call(
        "unsubscribe_instance",
        "",
        lambda c: unsubscribe_instance.sync_detailed(
            client=c, body=SubscriptionIdForm(subscription_id="sub-40001")
        ),
        SubscriptionEnvelope,
    ),
    Call(
        "subscribe_storage",
        "",
        lambda c: subscribe_storage.sync_detailed(
            client=c, body=SubscriptionIdForm(subscription_id="plan-s-1")
        ),
        SubscriptionEnvelope,
    ),
    Call(
        "unsubscribe_storage",
        "",
        lambda c: unsubscribe_storage.sync_detailed(
            client=c, body=SubscriptionIdForm(subscription_id="sub-40002")
        ),
        SubscriptionEnvelope,
    ),
    Call(
        "subscribe_network",
        "",
        lambda c: subscribe_network.sync_detailed(
            client=c, body=SubscriptionIdForm(subscription_id="plan-n-1")
        ),
        SubscriptionEnvelope,
    ),
    Call(
        "unsubscribe_network",
        "",
        lambda c: unsubscribe_network.sync_detailed(
            client=c, body=SubscriptionIdForm(subscription_id="sub-40003")
        ),
        SubscriptionEnvelope,
    ),
    Call(
        "live_migration",
        "",
        lambda c: live_migration.sync_detailed(
            client=c,
            body=LiveMigrationForm(
                instance_id=INSTANCE,
                product_id="4",
                region_id="osaka-1",
                connection_id=CONNECTION,
                ssh_key_id="501",
                tag="migrated",
            ),
        ),
        TransactionEnvelope,
    ),
    Call(
        "cancel_transaction",
        "",
        lambda c: cancel_transaction.sync_detailed(
            client=c, body=TransactionIdForm(transaction_id="t-60001")
        ),
        TransactionEnvelope,
    ),
    Call(
        "peak_transaction",
        "",
        lambda c: peak_transaction.sync_detailed(
            client=c, body=TransactionIdForm(transaction_id="t-60001")
        ),
        TransactionEnvelope,
    ),
    Call("invoice_list", "", lambda c: invoice_list.sync_detailed(client=c), InvoiceListEnvelope),
    Call(
        "subscription_invoice_list",
        "",
        lambda c: subscription_invoice_list.sync_detailed(client=c),
        InvoiceListEnvelope,
    ),
    Call(
        "make_invoice",
        "",
        lambda c: make_invoice.sync_detailed(client=c, invoice_id="inv-70001"),
        File,
    ),
)


def spec_operations(spec_path: Path) -> dict[str, str]:
    """operationId -> 'METHOD /path' for every operation in the spec."""
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    operations: dict[str, str] = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                operations[operation["operationId"]] = f"{method.upper()} {path}"
    return operations


def _prism_messages(response: Response[Any]) -> list[str]:
    """Prism's findings: its `sl-violations` header and, on a refusal, its problem+json body."""
    messages: list[str] = []
    header = response.headers.get("sl-violations")
    if header:
        try:
            violations = json.loads(header)
        except ValueError:
            messages.append(header)
        else:
            messages.extend(
                f"{'.'.join(v.get('location', []))}: {v.get('message')}" for v in violations
            )
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        try:
            problem = json.loads(response.content)
        except ValueError:
            messages.append(response.content.decode("utf-8", "replace")[:300])
        else:
            messages.append(str(problem.get("title") or problem.get("type")))
            messages.extend(
                f"{'.'.join(v.get('location', []))}: {v.get('message')}"
                for v in problem.get("validation", [])
            )
    return messages


def _unparsed(data: object) -> bool:
    """True when the generated client left (part of) an answer's data as a raw dict: it does
    that instead of raising when the data does not match the model."""
    if isinstance(data, dict):
        return True
    return isinstance(data, list) and any(isinstance(item, dict) for item in data)


def check(call: Call, client: Client) -> list[str]:
    """What is wrong with this call, as one message per problem (empty when it passed)."""
    try:
        response = call.send(client)
    except (httpx.HTTPError, KeyError, TypeError, ValueError) as exc:
        return [f"the generated client raised {type(exc).__name__}: {exc}"]
    problems = _prism_messages(response)
    if response.status_code != HTTPStatus.OK:
        problems.insert(0, f"HTTP {response.status_code}")
        return problems
    parsed = response.parsed
    if not isinstance(parsed, call.answer):
        problems.append(f"answer parsed as {type(parsed).__name__}, not {call.answer.__name__}")
    elif _unparsed(getattr(parsed, "data", None)):
        problems.append(f"the generated client left {call.answer.__name__}.data as raw JSON")
    if call.operation_id == "api_login" and SESSION_COOKIE not in client.get_httpx_client().cookies:
        problems.append(f"no {SESSION_COOKIE} cookie was set")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--base-url", required=True, help="where Prism listens")
    parser.add_argument("--spec", type=Path, default=Path("openapi/gpueater.yaml"))
    args = parser.parse_args(argv)

    operations = spec_operations(args.spec)
    called = {call.operation_id for call in CALLS}
    # Coverage first: every operation of the spec needs a call, and every call an operation.
    uncovered = [
        f"FAIL  {op:28} {operations[op]}: no call in {Path(__file__).name}"
        for op in sorted(set(operations) - called)
    ] + [
        f"FAIL  {op:28} is not an operation of {args.spec}"
        for op in sorted(called - set(operations))
    ]
    for line in uncovered:
        print(line)

    # One client for every call, as an SDK keeps one: the cookie jar carries the session
    # from api_login, and redirects are never followed (a 302 means the session expired).
    passed = failed = 0
    client = Client(base_url=args.base_url, timeout=httpx.Timeout(10.0), follow_redirects=False)
    with client:
        for call in CALLS:
            where = operations.get(call.operation_id, "?")
            label = f" ({call.label})" if call.label else ""
            problems = check(call, client)
            if problems:
                failed += 1
                print(f"FAIL  {call.operation_id:28} {where}{label}: {'; '.join(problems)}")
            else:
                passed += 1
                print(f"ok    {call.operation_id:28} {where}{label}")

    failed += len(uncovered)
    covered = len(called & set(operations))
    print(f"spec-mock-check: {covered} of {len(operations)} operations called, {len(CALLS)} calls")
    print(f"spec-mock-check: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
