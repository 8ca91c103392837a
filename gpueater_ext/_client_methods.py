# ruff: noqa: E501 (the plans' docstrings, indented one level deeper here)
"""The methods of GPUEater and AsyncGPUEater as real definitions (GENERATED).

Written by scripts/generate_client_methods.py from the method table (`_methods.Methods`),
so that help(), inspect, IDEs and documentation generators see each method's real
signature, return type and docstring. Each method's `@checked` checks its arguments; it
hands them to the table's `Method.prepared` (which resolves an instance argument) and runs
the plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gpueater_ext._methods import AsyncRunner, Methods, SyncRunner, checked

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Literal

    from gpueater_ext._api_list import ApiFunction
    from gpueater_ext._catalog import LaunchCatalog, SubscriptionCatalog
    from gpueater_ext._forms import FormArg
    from gpueater_ext._instance_arg import InstanceArg, InstanceForm
    from gpueater_ext._jobs import BinaryWriter, OnEvent, RunResult, Task
    from gpueater_ext._models import (
        Image,
        Instance,
        Invoice,
        NetworkDescription,
        Plan,
        PortList,
        Snapshot,
        SshKey,
        SshKeyPair,
        StorageList,
        Subscription,
        Transaction,
        UserImage,
        Volume,
    )
    from gpueater_ext._plans import Id, IfTagExists, OnPoll, PathArg
    from gpueater_ext._ssh import CommandResult, RemoteFileEntry, SshConfig, SyncResult, Tunnel

__all__ = ["AsyncClientMethods", "SyncClientMethods"]


class SyncClientMethods(SyncRunner):
    """The blocking methods of GPUEater, one per entry of the method table."""

    @checked(Methods.image_list)
    def image_list(self) -> list[Image]:
        """List all OS images. (GET /console/servers/images)"""
        return self._run(Methods.image_list.prepared())

    @checked(Methods.registered_image_list)
    def registered_image_list(self) -> list[UserImage]:
        """List the user's own images. (GET /console/servers/registered_image_list)"""
        return self._run(Methods.registered_image_list.prepared())

    @checked(Methods.create_image)
    def create_image(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        image_name: str | None = None,
        machine_resource_id: Id | None = None,
        description: str | None = None,
    ) -> UserImage:
        """Make a user-defined image from an instance (needs instance_id, image_name)."""
        return self._run(
            Methods.create_image.prepared(
                form,
                instance_id=instance_id,
                image_name=image_name,
                machine_resource_id=machine_resource_id,
                description=description,
            )
        )

    @checked(Methods.import_image)
    def import_image(
        self,
        form: FormArg = None,
        /,
        *,
        url: str | None = None,
        image_name: str | None = None,
        description: str | None = None,
    ) -> UserImage:
        """Register an image found on the internet (needs url, image_name)."""
        return self._run(
            Methods.import_image.prepared(
                form, url=url, image_name=image_name, description=description
            )
        )

    @checked(Methods.delete_image)
    def delete_image(self, form: FormArg = None, /, *, fingerprint: str | None = None) -> None:
        """Delete a user-defined image (needs fingerprint)."""
        return self._run(Methods.delete_image.prepared(form, fingerprint=fingerprint))

    @checked(Methods.snapshot_instance)
    def snapshot_instance(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        machine_resource_id: Id | None = None,
        tag: str | None = None,
    ) -> Snapshot:
        """Take a snapshot of an instance (needs instance_id)."""
        return self._run(
            Methods.snapshot_instance.prepared(
                form, instance_id=instance_id, machine_resource_id=machine_resource_id, tag=tag
            )
        )

    @checked(Methods.snapshot_list)
    def snapshot_list(
        self, form: InstanceForm = None, /, *, instance_id: Id | None = None
    ) -> list[Snapshot]:
        """List the snapshots of an instance (needs instance_id)."""
        return self._run(Methods.snapshot_list.prepared(form, instance_id=instance_id))

    @checked(Methods.change_snapshot_tag)
    def change_snapshot_tag(
        self, form: FormArg = None, /, *, snapshot_id: str | None = None, tag: str | None = None
    ) -> None:
        """Change a snapshot's tag (needs snapshot_id, tag; a Snapshot may be the form)."""
        return self._run(
            Methods.change_snapshot_tag.prepared(form, snapshot_id=snapshot_id, tag=tag)
        )

    @checked(Methods.delete_snapshot)
    def delete_snapshot(
        self,
        form: FormArg = None,
        /,
        *,
        snapshot_id: Id | None = None,
        instance_id: Id | None = None,
        machine_resource_id: Id | None = None,
    ) -> None:
        """Delete a snapshot (needs snapshot_id)."""
        return self._run(
            Methods.delete_snapshot.prepared(
                form,
                snapshot_id=snapshot_id,
                instance_id=instance_id,
                machine_resource_id=machine_resource_id,
            )
        )

    @checked(Methods.restore_from_snapshot)
    def restore_from_snapshot(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        snapshot_id: Id | None = None,
        machine_resource_id: Id | None = None,
    ) -> None:
        """Restore an instance's disk from a snapshot (needs instance_id, snapshot_id)."""
        return self._run(
            Methods.restore_from_snapshot.prepared(
                form,
                instance_id=instance_id,
                snapshot_id=snapshot_id,
                machine_resource_id=machine_resource_id,
            )
        )

    @checked(Methods.ssh_key_list)
    def ssh_key_list(self) -> list[SshKey]:
        """List the registered SSH keys. (GET /console/servers/ssh_keys)"""
        return self._run(Methods.ssh_key_list.prepared())

    @checked(Methods.generate_ssh_key)
    def generate_ssh_key(self) -> SshKeyPair:
        """Generate a key pair (nothing is registered); the private key is a secret. (GET /console/servers/ssh_key_gen)"""
        return self._run(Methods.generate_ssh_key.prepared())

    @checked(Methods.register_ssh_key)
    def register_ssh_key(
        self, form: FormArg = None, /, *, name: str | None = None, public_key: str | None = None
    ) -> SshKey:
        """Register a public key under a name (needs name, public_key)."""
        return self._run(Methods.register_ssh_key.prepared(form, name=name, public_key=public_key))

    @checked(Methods.delete_ssh_key)
    def delete_ssh_key(self, form: FormArg = None, /, *, id: Id | None = None) -> None:
        """Delete a registered key (needs id; an SshKey model supplies it)."""
        return self._run(Methods.delete_ssh_key.prepared(form, id=id))

    @checked(Methods.ondemand_list)
    def ondemand_list(self) -> LaunchCatalog:
        """The on-demand launch catalog: products, images and SSH keys, with find-helpers. (GET /console/servers/ondemand_launch_list)"""
        return self._run(Methods.ondemand_list.prepared())

    @checked(Methods.subscription_list)
    def subscription_list(self) -> SubscriptionCatalog:
        """The subscription launch catalog: subscriptions, images and SSH keys. (GET /console/servers/subscription_launch_list)"""
        return self._run(Methods.subscription_list.prepared())

    @checked(Methods.launch_ondemand_instance)
    def launch_ondemand_instance(
        self,
        form: FormArg = None,
        /,
        *,
        product_id: str | int | None = None,
        image: str | None = None,
        ssh_key_id: str | int | None = None,
        tag: str | None = None,
        if_tag_exists: IfTagExists = "launch",
    ) -> Instance:
        """Launch an on-demand instance and return it as `instance_list` shows it.

        Needs product_id, image (an image's alias) and ssh_key_id. Without a tag a unique,
        readable one is generated (`gpueater-<adjective>-<hex>`); a tag of the caller's is 1 to
        40 letters, digits, `.`, `_` or `-` (the rule: `gpueater_ext._tags`), else
        InvalidArgumentError before anything is sent. The service answers a launch
        with `data: null`; how each call still finds its own instance, even among concurrent
        launches with the same tag, is in the module docstring. `if_tag_exists="return"` makes the
        launch idempotent by tag: an instance that already carries the tag is returned (waited
        for while LAUNCHING) instead of launching another; retrying with it after an
        OutcomeUnknownError never makes a second instance. It guards retries one after the
        other, not two callers racing with the same new tag.
        """
        return self._run(
            Methods.launch_ondemand_instance.prepared(
                form,
                product_id=product_id,
                image=image,
                ssh_key_id=ssh_key_id,
                tag=tag,
                if_tag_exists=if_tag_exists,
            )
        )

    @checked(Methods.launch_subscription_instance)
    def launch_subscription_instance(
        self,
        form: FormArg = None,
        /,
        *,
        subscription_id: str | int | None = None,
        image: str | None = None,
        ssh_key_id: str | int | None = None,
        tag: str | None = None,
        product_id: str | int | None = None,
        if_tag_exists: IfTagExists = "launch",
    ) -> Instance:
        """Launch an instance on a subscription and return it as `instance_list` shows it.

        Needs subscription_id, image and ssh_key_id; the tag and `if_tag_exists` work as for
        on-demand launches. The seed spelled this `launch_subcription_instance`; both names
        are the same method.
        """
        return self._run(
            Methods.launch_subscription_instance.prepared(
                form,
                subscription_id=subscription_id,
                image=image,
                ssh_key_id=ssh_key_id,
                tag=tag,
                product_id=product_id,
                if_tag_exists=if_tag_exists,
            )
        )

    launch_subcription_instance = launch_subscription_instance

    @checked(Methods.instance_list)
    def instance_list(self) -> list[Instance]:
        """List the instances that have not been terminated. (GET /console/servers/instance_list)"""
        return self._run(Methods.instance_list.prepared())

    @checked(Methods.change_instance_tag)
    def change_instance_tag(
        self, form: InstanceForm = None, /, *, instance_id: Id | None = None, tag: str | None = None
    ) -> Instance:
        """Change an instance's tag (needs instance_id, tag).

        The new tag (the `tag` keyword, or a form dict's) follows the tag rule of `_tags`, else
        InvalidArgumentError before anything is sent; an Instance passed without `tag=` resends
        its own tag as the service returned it, unchecked.
        """
        return self._run(
            Methods.change_instance_tag.prepared(form, instance_id=instance_id, tag=tag)
        )

    @checked(Methods.start_instance)
    def start_instance(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        machine_resource_id: Id | None = None,
        instances: str | None = None,
    ) -> Instance:
        """Start a STOPPED instance; a RUNNING one is left as it is."""
        return self._run(
            Methods.start_instance.prepared(
                form,
                instance_id=instance_id,
                machine_resource_id=machine_resource_id,
                instances=instances,
            )
        )

    @checked(Methods.stop_instance)
    def stop_instance(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        machine_resource_id: Id | None = None,
        instances: str | None = None,
    ) -> Instance:
        """Stop a RUNNING instance (deprecated by the service); a STOPPED one is left as it is."""
        return self._run(
            Methods.stop_instance.prepared(
                form,
                instance_id=instance_id,
                machine_resource_id=machine_resource_id,
                instances=instances,
            )
        )

    @checked(Methods.restart_instance)
    def restart_instance(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: str | int | None = None,
        machine_resource_id: str | int | None = None,
        poll_interval: float = 5.0,
        timeout: float = 600.0,
    ) -> Instance:
        """Stop the instance, wait until it is STOPPED, start it; return it as start left it.

        The service has no restart endpoint (the 1.5 library called stop then start at once,
        which fails while the instance is still stopping). Raises WaitTimeoutError, carrying
        the instance as last seen, if it is not STOPPED within `timeout` seconds; it is then
        not started again.
        """
        return self._run(
            Methods.restart_instance.prepared(
                form,
                instance_id=instance_id,
                machine_resource_id=machine_resource_id,
                poll_interval=poll_interval,
                timeout=timeout,
            )
        )

    @checked(Methods.terminate_instance)
    def terminate_instance(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        machine_resource_id: Id | None = None,
        instances: str | None = None,
    ) -> Instance:
        """Terminate an instance: it and its disk are destroyed, billing stops.

        Its host key is then forgotten (its alias in the project's known_hosts).
        """
        return self._run(
            Methods.terminate_instance.prepared(
                form,
                instance_id=instance_id,
                machine_resource_id=machine_resource_id,
                instances=instances,
            )
        )

    @checked(Methods.emergency_restart_instance)
    def emergency_restart_instance(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        machine_resource_id: Id | None = None,
        instances: str | None = None,
    ) -> Instance:
        """Power-cycle a hung instance without a clean shutdown."""
        return self._run(
            Methods.emergency_restart_instance.prepared(
                form,
                instance_id=instance_id,
                machine_resource_id=machine_resource_id,
                instances=instances,
            )
        )

    @checked(Methods.port_list)
    def port_list(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        connection_id: Id | None = None,
    ) -> PortList:
        """List an instance's open ports (needs instance_id)."""
        return self._run(
            Methods.port_list.prepared(form, instance_id=instance_id, connection_id=connection_id)
        )

    @checked(Methods.open_port)
    def open_port(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        connection_id: Id | None = None,
        port: int | str | None = None,
    ) -> PortList:
        """Open a TCP port (1-65535) for inbound traffic (needs instance_id, connection_id, port)."""
        return self._run(
            Methods.open_port.prepared(
                form, instance_id=instance_id, connection_id=connection_id, port=port
            )
        )

    @checked(Methods.close_port)
    def close_port(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        connection_id: Id | None = None,
        port: int | str | None = None,
    ) -> PortList:
        """Close an open port (needs instance_id, connection_id, port)."""
        return self._run(
            Methods.close_port.prepared(
                form, instance_id=instance_id, connection_id=connection_id, port=port
            )
        )

    @checked(Methods.renew_ipv4)
    def renew_ipv4(
        self, form: InstanceForm = None, /, *, instance_id: Id | None = None
    ) -> NetworkDescription:
        """Give the instance a new IPv4 address (needs instance_id)."""
        return self._run(Methods.renew_ipv4.prepared(form, instance_id=instance_id))

    @checked(Methods.refresh_ipv4)
    def refresh_ipv4(
        self, form: InstanceForm = None, /, *, instance_id: Id | None = None
    ) -> NetworkDescription:
        """Re-apply the instance's IPv4 configuration, keeping the address (needs instance_id)."""
        return self._run(Methods.refresh_ipv4.prepared(form, instance_id=instance_id))

    @checked(Methods.network_description)
    def network_description(
        self, form: InstanceForm = None, /, *, instance_id: Id | None = None
    ) -> NetworkDescription:
        """Describe an instance's network: its status (addresses, traffic, disk use) and open
        ports (needs instance_id).
        """
        return self._run(Methods.network_description.prepared(form, instance_id=instance_id))

    @checked(Methods.create_volume)
    def create_volume(
        self,
        form: FormArg = None,
        /,
        *,
        volume: int | str | None = None,
        size: int | str | None = None,
        region_id: str | None = None,
        storage_type: str | None = None,
        name: str | None = None,
    ) -> Volume:
        """Create an extended volume of `volume` GB (`size` is the same field under the
        service README's name; give one of them). `name` is a display name (default: its id).

        Raises InvalidArgumentError, before anything is sent, when both sizes are given and
        differ; the service refuses that too.
        """
        return self._run(
            Methods.create_volume.prepared(
                form,
                volume=volume,
                size=size,
                region_id=region_id,
                storage_type=storage_type,
                name=name,
            )
        )

    @checked(Methods.attach_volume)
    def attach_volume(
        self, form: FormArg = None, /, *, volume_id: Id | None = None, instance_id: Id | None = None
    ) -> Volume:
        """Attach an AVAILABLE volume to an instance (needs volume_id, instance_id)."""
        return self._run(
            Methods.attach_volume.prepared(form, volume_id=volume_id, instance_id=instance_id)
        )

    @checked(Methods.detach_volume)
    def detach_volume(self, form: FormArg = None, /, *, volume_id: Id | None = None) -> Volume:
        """Detach a volume from its instance (needs volume_id)."""
        return self._run(Methods.detach_volume.prepared(form, volume_id=volume_id))

    @checked(Methods.delete_volume)
    def delete_volume(self, form: FormArg = None, /, *, volume_id: Id | None = None) -> None:
        """Delete a volume that is not attached; its data is lost (needs volume_id)."""
        return self._run(Methods.delete_volume.prepared(form, volume_id=volume_id))

    @checked(Methods.transfer_volume)
    def transfer_volume(
        self, form: FormArg = None, /, *, volume_id: Id | None = None, region_id: str | None = None
    ) -> Volume:
        """Move a volume that is not attached to another region (needs volume_id, region_id)."""
        return self._run(
            Methods.transfer_volume.prepared(form, volume_id=volume_id, region_id=region_id)
        )

    @checked(Methods.subscription_instance_list)
    def subscription_instance_list(self) -> list[Plan]:
        """List the instance plans. (GET /console/servers/plan_list_v1)"""
        return self._run(Methods.subscription_instance_list.prepared())

    @checked(Methods.subscription_storage_list)
    def subscription_storage_list(self) -> StorageList:
        """List the storage plans and the account's volumes. (GET /console/servers/storage_plan_list)"""
        return self._run(Methods.subscription_storage_list.prepared())

    @checked(Methods.subscription_network_list)
    def subscription_network_list(self) -> list[Plan]:
        """List the network plans. (GET /console/servers/network_plan_list)"""
        return self._run(Methods.subscription_network_list.prepared())

    @checked(Methods.subscribed_list)
    def subscribed_list(self) -> list[Subscription]:
        """List the account's subscriptions, cancelled ones included. (GET /console/servers/subscribed_list)"""
        return self._run(Methods.subscribed_list.prepared())

    @checked(Methods.subscribe_instance)
    def subscribe_instance(
        self, form: FormArg = None, /, *, subscription_id: Id | None = None
    ) -> Subscription:
        """Subscribe to an instance plan (subscription_id: the plan's plan_id)."""
        return self._run(Methods.subscribe_instance.prepared(form, subscription_id=subscription_id))

    @checked(Methods.unsubscribe_instance)
    def unsubscribe_instance(
        self, form: FormArg = None, /, *, subscription_id: Id | None = None
    ) -> Subscription:
        """Cancel an instance subscription (needs subscription_id)."""
        return self._run(
            Methods.unsubscribe_instance.prepared(form, subscription_id=subscription_id)
        )

    @checked(Methods.subscribe_storage)
    def subscribe_storage(
        self, form: FormArg = None, /, *, subscription_id: Id | None = None
    ) -> Subscription:
        """Subscribe to a storage plan (subscription_id: the plan's plan_id)."""
        return self._run(Methods.subscribe_storage.prepared(form, subscription_id=subscription_id))

    @checked(Methods.unsubscribe_storage)
    def unsubscribe_storage(
        self, form: FormArg = None, /, *, subscription_id: Id | None = None
    ) -> Subscription:
        """Cancel a storage subscription (needs subscription_id)."""
        return self._run(
            Methods.unsubscribe_storage.prepared(form, subscription_id=subscription_id)
        )

    @checked(Methods.subscribe_network)
    def subscribe_network(
        self, form: FormArg = None, /, *, subscription_id: Id | None = None
    ) -> Subscription:
        """Subscribe to a network plan (subscription_id: the plan's plan_id)."""
        return self._run(Methods.subscribe_network.prepared(form, subscription_id=subscription_id))

    @checked(Methods.unsubscribe_network)
    def unsubscribe_network(
        self, form: FormArg = None, /, *, subscription_id: Id | None = None
    ) -> Subscription:
        """Cancel a network subscription (needs subscription_id)."""
        return self._run(
            Methods.unsubscribe_network.prepared(form, subscription_id=subscription_id)
        )

    @checked(Methods.live_migration)
    def live_migration(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        product_id: Id | None = None,
        region_id: str | None = None,
        connection_id: Id | None = None,
        ssh_key_id: Id | None = None,
        tag: str | None = None,
    ) -> Transaction:
        """Move a RUNNING instance to another machine (needs instance_id, product_id, region_id);
        answers the transaction to follow with `peak_transaction`.
        """
        return self._run(
            Methods.live_migration.prepared(
                form,
                instance_id=instance_id,
                product_id=product_id,
                region_id=region_id,
                connection_id=connection_id,
                ssh_key_id=ssh_key_id,
                tag=tag,
            )
        )

    @checked(Methods.cancel_transaction)
    def cancel_transaction(
        self, form: FormArg = None, /, *, transaction_id: Id | None = None
    ) -> Transaction:
        """Cancel a transaction that has not finished (needs transaction_id)."""
        return self._run(Methods.cancel_transaction.prepared(form, transaction_id=transaction_id))

    @checked(Methods.peak_transaction)
    def peak_transaction(
        self, form: FormArg = None, /, *, transaction_id: Id | None = None
    ) -> Transaction:
        """Check a transaction's status and progress; changes nothing (needs transaction_id)."""
        return self._run(Methods.peak_transaction.prepared(form, transaction_id=transaction_id))

    @checked(Methods.invoice_list)
    def invoice_list(self) -> list[Invoice]:
        """List the on-demand invoices. (GET /console/servers/charge_list)"""
        return self._run(Methods.invoice_list.prepared())

    @checked(Methods.subscription_invoice_list)
    def subscription_invoice_list(self) -> list[Invoice]:
        """List the subscription invoices. (GET /console/servers/invoice_list)"""
        return self._run(Methods.subscription_invoice_list.prepared())

    @checked(Methods.make_invoice)
    def make_invoice(self, form: FormArg = None, /, *, invoice_id: Id | None = None) -> bytes:
        """The invoice as a PDF document (needs invoice_id)."""
        return self._run(Methods.make_invoice.prepared(form, invoice_id=invoice_id))

    @checked(Methods.login_instance)
    def login_instance(
        self,
        form: InstanceArg | None = None,
        /,
        *,
        instance_id: str | None = None,
        key_file: PathArg | None = None,
    ) -> int:
        """An interactive ssh login on the instance; returns ssh's exit status.

        Uses this process's terminal; host keys are checked against the project's known_hosts.
        """
        return self._run(
            Methods.login_instance.prepared(form, instance_id=instance_id, key_file=key_file)
        )

    @checked(Methods.run_command)
    def run_command(
        self,
        form: InstanceArg | None = None,
        /,
        command: Sequence[str] | None = None,
        *,
        instance_id: str | None = None,
        tty: bool = False,
        key_file: PathArg | None = None,
    ) -> int:
        """Run one command on the instance, its words passed exactly (no remote shell parsing),
        with output streaming to this process's; returns the remote exit status (255: ssh
        failed). For shell syntax say so: `["sh", "-c", "make && ./train"]`.
        """
        return self._run(
            Methods.run_command.prepared(
                form, command, instance_id=instance_id, tty=tty, key_file=key_file
            )
        )

    @checked(Methods.capture_command)
    def capture_command(
        self,
        form: InstanceArg | None = None,
        /,
        command: Sequence[str] | None = None,
        *,
        instance_id: str | None = None,
        input: bytes | None = None,
        timeout: float | None = None,
        key_file: PathArg | None = None,
    ) -> CommandResult:
        """Run one command as `run_command` does, collecting its output: a CommandResult with
        `exit_code`, `stdout` and `stderr` (bytes). `input` is sent to its standard input;
        after `timeout` seconds it is stopped and SSHError raised.
        """
        return self._run(
            Methods.capture_command.prepared(
                form,
                command,
                instance_id=instance_id,
                input=input,
                timeout=timeout,
                key_file=key_file,
            )
        )

    @checked(Methods.copy_file)
    def copy_file(
        self,
        form: InstanceArg | None = None,
        /,
        *,
        instance_id: str | None = None,
        action: Literal["get", "put"] | None = None,
        src: PathArg | None = None,
        dst: PathArg | None = None,
        recursive: bool | None = None,
        key_file: PathArg | None = None,
    ) -> None:
        """Copy a file: action "get" brings remote `src` here as `dst`, "put" sends local `src`
        to remote `dst`. Like cp: an existing folder as `dst` receives the copy inside it;
        folders need `recursive=True`. Remote relative paths start in the remote user's home;
        no path is ever globbed or expanded. The copy is a tar stream over one ssh call.
        """
        return self._run(
            Methods.copy_file.prepared(
                form,
                instance_id=instance_id,
                action=action,
                src=src,
                dst=dst,
                recursive=recursive,
                key_file=key_file,
            )
        )

    @checked(Methods.move_file)
    def move_file(
        self,
        form: InstanceArg | None = None,
        /,
        *,
        instance_id: str | None = None,
        action: Literal["get", "put"] | None = None,
        src: PathArg | None = None,
        dst: PathArg | None = None,
        recursive: bool | None = None,
        key_file: PathArg | None = None,
    ) -> None:
        """Copy as `copy_file` does, then delete the source; a failed copy deletes nothing."""
        return self._run(
            Methods.move_file.prepared(
                form,
                instance_id=instance_id,
                action=action,
                src=src,
                dst=dst,
                recursive=recursive,
                key_file=key_file,
            )
        )

    @checked(Methods.delete_file)
    def delete_file(
        self,
        form: InstanceArg | None = None,
        /,
        *,
        instance_id: str | None = None,
        src: str | None = None,
        recursive: bool | None = None,
        key_file: PathArg | None = None,
    ) -> None:
        """Delete the remote file `src` (a folder too, with `recursive=True`); a missing path is
        an SSHError. '.', '..' and '/' are refused.
        """
        return self._run(
            Methods.delete_file.prepared(
                form, instance_id=instance_id, src=src, recursive=recursive, key_file=key_file
            )
        )

    @checked(Methods.make_directory)
    def make_directory(
        self,
        form: InstanceArg | None = None,
        /,
        *,
        instance_id: str | None = None,
        dst: str | None = None,
        key_file: PathArg | None = None,
    ) -> None:
        """Create the remote folder `dst` and any missing parents (an existing one is fine)."""
        return self._run(
            Methods.make_directory.prepared(
                form, instance_id=instance_id, dst=dst, key_file=key_file
            )
        )

    @checked(Methods.file_list)
    def file_list(
        self,
        form: InstanceArg | None = None,
        /,
        *,
        instance_id: str | None = None,
        src: str | None = None,
        key_file: PathArg | None = None,
    ) -> list[RemoteFileEntry]:
        """The entries of the remote folder `src` (default: the remote user's home), sorted by
        name: RemoteFileEntry(name, type, size, modified). A file lists as its one entry.
        """
        return self._run(
            Methods.file_list.prepared(form, instance_id=instance_id, src=src, key_file=key_file)
        )

    @checked(Methods.synchronize_files)
    def synchronize_files(
        self,
        form: InstanceArg | None = None,
        /,
        *,
        instance_id: str | None = None,
        action: Literal["get", "put"] | None = None,
        src: PathArg | None = None,
        dst: PathArg | None = None,
        delete: bool | None = None,
        exclude: Sequence[str] | None = None,
        gitignore: bool | None = None,
        dry_run: bool | None = None,
        on_progress: Callable[[str], None] | None = None,
        key_file: PathArg | None = None,
    ) -> SyncResult:
        """Make folder `dst` hold what folder `src` holds, sending only what changed (rsync):
        action "get" from the instance to here, "put" from here to the instance.

        `delete=True` removes what `src` does not have from `dst` (excluded files stay);
        `exclude` holds rsync patterns (`*.pyc`, `/data`); `gitignore=True` honours the source's
        `.gitignore` files; `dry_run=True` only reports; `on_progress(line)` receives rsync's
        overall progress. Returns a SyncResult (its items, `transferred` and `deleted` paths).
        Remote paths are never globbed or expanded; the instance needs rsync installed.
        """
        return self._run(
            Methods.synchronize_files.prepared(
                form,
                instance_id=instance_id,
                action=action,
                src=src,
                dst=dst,
                delete=delete,
                exclude=exclude,
                gitignore=gitignore,
                dry_run=dry_run,
                on_progress=on_progress,
                key_file=key_file,
            )
        )

    @checked(Methods.tunnel)
    def tunnel(
        self,
        form: InstanceArg | None = None,
        /,
        port: int | None = None,
        remote_port: int | None = None,
        *,
        instance_id: str | None = None,
        key_file: PathArg | None = None,
    ) -> Tunnel:
        """Forward local port `port` on 127.0.0.1 to `remote_port` (default: the same) on the
        instance; returns the open Tunnel once the local port accepts connections.

        Use it as a context manager, which closes the forward: `with client.tunnel(instance,
        8888) as t: ... t.url()`. `port=0` picks a free local port (`t.local_port`). A taken
        local port raises SSHError at once.
        """
        return self._run(
            Methods.tunnel.prepared(
                form, port, remote_port, instance_id=instance_id, key_file=key_file
            )
        )

    @checked(Methods.ssh_config)
    def ssh_config(self, *, write: bool = False) -> SshConfig:
        """ssh_config Host blocks (`gpueater-<label>-<tag>`) for the RUNNING instances, with their
        address, port, user, key and the project's host key alias and known_hosts.

        `write=True` keeps them in the project's own file and includes it from `~/.ssh/config`
        (once, at the top, with a backup; the user's own entries are never edited), so plain
        `ssh gpueater-<label>-<tag>`, rsync and editors work. Terminated instances drop out on
        the next write; other services' blocks stay until a write for their service.
        """
        return self._run(Methods.ssh_config.prepared(write=write))

    @checked(Methods.run)
    def run(
        self,
        task: Task,
        *,
        stdout: BinaryWriter | None = None,
        stderr: BinaryWriter | None = None,
        on_event: OnEvent | None = None,
        detach: bool = False,
    ) -> RunResult:
        """Run a task (a `Task`: what to run, on what, and what to bring back) on an instance:
        get one (reused by `task.name`, or launched), sync the workdir, run setup once per
        instance and then the job, streamed live to `stdout`/`stderr` (binary writers; default
        this process's), fetch the outputs and apply the teardown, which happens whatever
        fails, Ctrl-C included. `on_event(RunEvent)` hears each step. Returns a RunResult once
        the job ran; see `gpueater_ext._jobs.runner` for what raises instead.

        `detach=True` returns once the job has started (setup, when due, is followed first),
        leaving it running with no outputs fetched and no teardown; the job is recorded on this
        machine (`_jobs.local`), so `gpueater job logs|list|cancel` follow it, and a `down` or
        `stop` teardown is applied once it is seen to have ended (`_jobs.finish`). A failure
        before the job started is torn down as in any run.
        """
        return self._run(
            Methods.run.prepared(
                task, stdout=stdout, stderr=stderr, on_event=on_event, detach=detach
            )
        )

    @checked(Methods.api_list)
    def api_list(self) -> list[ApiFunction]:
        """Every function of the API: name, group, since (version) and endpoint."""
        return self._run(Methods.api_list.prepared())

    @checked(Methods.wait_for_instance)
    def wait_for_instance(
        self,
        instance: InstanceArg,
        state: str = "RUNNING",
        *,
        timeout: float = 600.0,
        poll: float = 2.0,
        on_poll: OnPoll | None = None,
    ) -> Instance:
        """Wait until the instance is in `state`; return it as last seen.

        `instance` is an Instance, an instance id, tag or unique prefix, or a form dict with
        instance_id (the one rule of `_instance_arg`). `state="TERMINATED"` waits until the
        instance has left `instance_list`. `on_poll(instance, elapsed_seconds)` is called after
        each observation (for progress displays). Raises WaitFailedError at once when the
        instance is in a state that cannot lead to `state` (waiting for RUNNING while it is
        TERMINATING, say) or has left the list, and WaitTimeoutError (with `last_seen`) when
        `timeout` seconds pass.
        """
        return self._run(
            Methods.wait_for_instance.prepared(
                instance, state, timeout=timeout, poll=poll, on_poll=on_poll
            )
        )

    @checked(Methods.wait_for_ssh)
    def wait_for_ssh(
        self, instance: InstanceArg, *, timeout: float = 300.0, poll: float = 2.0
    ) -> Instance:
        """Wait until the instance is RUNNING and its sshd answers: a TCP connection to its
        ipv4 and sshd_port receives an `SSH-` banner. Returns the instance as last seen.

        One `timeout` covers both waits; errors as for `wait_for_instance`.
        """
        return self._run(Methods.wait_for_ssh.prepared(instance, timeout=timeout, poll=poll))

    @checked(Methods.wait_for_transaction)
    def wait_for_transaction(
        self,
        transaction: Transaction | str,
        *,
        timeout: float = 600.0,
        poll: float = 2.0,
        on_poll: Callable[[Transaction, float], None] | None = None,
    ) -> Transaction:
        """Follow a transaction with `peak_transaction` until it has ended (DONE, CANCELLED or
        FAILED) and return it as last seen: look at its `status`, an ended transaction is not
        an error here.

        `transaction` is a Transaction or its id; `on_poll(transaction, elapsed_seconds)` is
        called after each look. Raises WaitTimeoutError (with `last_seen`) after `timeout`
        seconds; the transaction itself goes on.
        """
        return self._run(
            Methods.wait_for_transaction.prepared(
                transaction, timeout=timeout, poll=poll, on_poll=on_poll
            )
        )

    @checked(Methods.wait_for_image)
    def wait_for_image(
        self,
        image: UserImage | str,
        *,
        timeout: float = 1800.0,
        poll: float = 5.0,
        on_poll: Callable[[UserImage, float], None] | None = None,
    ) -> UserImage:
        """Follow a user-defined image in `registered_image_list` until it is READY or FAILED
        and return it as last seen (look at its `status`).

        `image` is a UserImage or its fingerprint; `on_poll` as for `wait_for_transaction`.
        Raises WaitFailedError when the image leaves the list (deleted while building) and
        WaitTimeoutError (with `last_seen`) after `timeout` seconds.
        """
        return self._run(
            Methods.wait_for_image.prepared(image, timeout=timeout, poll=poll, on_poll=on_poll)
        )


class AsyncClientMethods(AsyncRunner):
    """The coroutine methods of AsyncGPUEater, one per entry of the method table."""

    @checked(Methods.image_list)
    async def image_list(self) -> list[Image]:
        """List all OS images. (GET /console/servers/images)"""
        return await self._run(Methods.image_list.prepared())

    @checked(Methods.registered_image_list)
    async def registered_image_list(self) -> list[UserImage]:
        """List the user's own images. (GET /console/servers/registered_image_list)"""
        return await self._run(Methods.registered_image_list.prepared())

    @checked(Methods.create_image)
    async def create_image(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        image_name: str | None = None,
        machine_resource_id: Id | None = None,
        description: str | None = None,
    ) -> UserImage:
        """Make a user-defined image from an instance (needs instance_id, image_name)."""
        return await self._run(
            Methods.create_image.prepared(
                form,
                instance_id=instance_id,
                image_name=image_name,
                machine_resource_id=machine_resource_id,
                description=description,
            )
        )

    @checked(Methods.import_image)
    async def import_image(
        self,
        form: FormArg = None,
        /,
        *,
        url: str | None = None,
        image_name: str | None = None,
        description: str | None = None,
    ) -> UserImage:
        """Register an image found on the internet (needs url, image_name)."""
        return await self._run(
            Methods.import_image.prepared(
                form, url=url, image_name=image_name, description=description
            )
        )

    @checked(Methods.delete_image)
    async def delete_image(
        self, form: FormArg = None, /, *, fingerprint: str | None = None
    ) -> None:
        """Delete a user-defined image (needs fingerprint)."""
        return await self._run(Methods.delete_image.prepared(form, fingerprint=fingerprint))

    @checked(Methods.snapshot_instance)
    async def snapshot_instance(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        machine_resource_id: Id | None = None,
        tag: str | None = None,
    ) -> Snapshot:
        """Take a snapshot of an instance (needs instance_id)."""
        return await self._run(
            Methods.snapshot_instance.prepared(
                form, instance_id=instance_id, machine_resource_id=machine_resource_id, tag=tag
            )
        )

    @checked(Methods.snapshot_list)
    async def snapshot_list(
        self, form: InstanceForm = None, /, *, instance_id: Id | None = None
    ) -> list[Snapshot]:
        """List the snapshots of an instance (needs instance_id)."""
        return await self._run(Methods.snapshot_list.prepared(form, instance_id=instance_id))

    @checked(Methods.change_snapshot_tag)
    async def change_snapshot_tag(
        self, form: FormArg = None, /, *, snapshot_id: str | None = None, tag: str | None = None
    ) -> None:
        """Change a snapshot's tag (needs snapshot_id, tag; a Snapshot may be the form)."""
        return await self._run(
            Methods.change_snapshot_tag.prepared(form, snapshot_id=snapshot_id, tag=tag)
        )

    @checked(Methods.delete_snapshot)
    async def delete_snapshot(
        self,
        form: FormArg = None,
        /,
        *,
        snapshot_id: Id | None = None,
        instance_id: Id | None = None,
        machine_resource_id: Id | None = None,
    ) -> None:
        """Delete a snapshot (needs snapshot_id)."""
        return await self._run(
            Methods.delete_snapshot.prepared(
                form,
                snapshot_id=snapshot_id,
                instance_id=instance_id,
                machine_resource_id=machine_resource_id,
            )
        )

    @checked(Methods.restore_from_snapshot)
    async def restore_from_snapshot(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        snapshot_id: Id | None = None,
        machine_resource_id: Id | None = None,
    ) -> None:
        """Restore an instance's disk from a snapshot (needs instance_id, snapshot_id)."""
        return await self._run(
            Methods.restore_from_snapshot.prepared(
                form,
                instance_id=instance_id,
                snapshot_id=snapshot_id,
                machine_resource_id=machine_resource_id,
            )
        )

    @checked(Methods.ssh_key_list)
    async def ssh_key_list(self) -> list[SshKey]:
        """List the registered SSH keys. (GET /console/servers/ssh_keys)"""
        return await self._run(Methods.ssh_key_list.prepared())

    @checked(Methods.generate_ssh_key)
    async def generate_ssh_key(self) -> SshKeyPair:
        """Generate a key pair (nothing is registered); the private key is a secret. (GET /console/servers/ssh_key_gen)"""
        return await self._run(Methods.generate_ssh_key.prepared())

    @checked(Methods.register_ssh_key)
    async def register_ssh_key(
        self, form: FormArg = None, /, *, name: str | None = None, public_key: str | None = None
    ) -> SshKey:
        """Register a public key under a name (needs name, public_key)."""
        return await self._run(
            Methods.register_ssh_key.prepared(form, name=name, public_key=public_key)
        )

    @checked(Methods.delete_ssh_key)
    async def delete_ssh_key(self, form: FormArg = None, /, *, id: Id | None = None) -> None:
        """Delete a registered key (needs id; an SshKey model supplies it)."""
        return await self._run(Methods.delete_ssh_key.prepared(form, id=id))

    @checked(Methods.ondemand_list)
    async def ondemand_list(self) -> LaunchCatalog:
        """The on-demand launch catalog: products, images and SSH keys, with find-helpers. (GET /console/servers/ondemand_launch_list)"""
        return await self._run(Methods.ondemand_list.prepared())

    @checked(Methods.subscription_list)
    async def subscription_list(self) -> SubscriptionCatalog:
        """The subscription launch catalog: subscriptions, images and SSH keys. (GET /console/servers/subscription_launch_list)"""
        return await self._run(Methods.subscription_list.prepared())

    @checked(Methods.launch_ondemand_instance)
    async def launch_ondemand_instance(
        self,
        form: FormArg = None,
        /,
        *,
        product_id: str | int | None = None,
        image: str | None = None,
        ssh_key_id: str | int | None = None,
        tag: str | None = None,
        if_tag_exists: IfTagExists = "launch",
    ) -> Instance:
        """Launch an on-demand instance and return it as `instance_list` shows it.

        Needs product_id, image (an image's alias) and ssh_key_id. Without a tag a unique,
        readable one is generated (`gpueater-<adjective>-<hex>`); a tag of the caller's is 1 to
        40 letters, digits, `.`, `_` or `-` (the rule: `gpueater_ext._tags`), else
        InvalidArgumentError before anything is sent. The service answers a launch
        with `data: null`; how each call still finds its own instance, even among concurrent
        launches with the same tag, is in the module docstring. `if_tag_exists="return"` makes the
        launch idempotent by tag: an instance that already carries the tag is returned (waited
        for while LAUNCHING) instead of launching another; retrying with it after an
        OutcomeUnknownError never makes a second instance. It guards retries one after the
        other, not two callers racing with the same new tag.
        """
        return await self._run(
            Methods.launch_ondemand_instance.prepared(
                form,
                product_id=product_id,
                image=image,
                ssh_key_id=ssh_key_id,
                tag=tag,
                if_tag_exists=if_tag_exists,
            )
        )

    @checked(Methods.launch_subscription_instance)
    async def launch_subscription_instance(
        self,
        form: FormArg = None,
        /,
        *,
        subscription_id: str | int | None = None,
        image: str | None = None,
        ssh_key_id: str | int | None = None,
        tag: str | None = None,
        product_id: str | int | None = None,
        if_tag_exists: IfTagExists = "launch",
    ) -> Instance:
        """Launch an instance on a subscription and return it as `instance_list` shows it.

        Needs subscription_id, image and ssh_key_id; the tag and `if_tag_exists` work as for
        on-demand launches. The seed spelled this `launch_subcription_instance`; both names
        are the same method.
        """
        return await self._run(
            Methods.launch_subscription_instance.prepared(
                form,
                subscription_id=subscription_id,
                image=image,
                ssh_key_id=ssh_key_id,
                tag=tag,
                product_id=product_id,
                if_tag_exists=if_tag_exists,
            )
        )

    launch_subcription_instance = launch_subscription_instance

    @checked(Methods.instance_list)
    async def instance_list(self) -> list[Instance]:
        """List the instances that have not been terminated. (GET /console/servers/instance_list)"""
        return await self._run(Methods.instance_list.prepared())

    @checked(Methods.change_instance_tag)
    async def change_instance_tag(
        self, form: InstanceForm = None, /, *, instance_id: Id | None = None, tag: str | None = None
    ) -> Instance:
        """Change an instance's tag (needs instance_id, tag).

        The new tag (the `tag` keyword, or a form dict's) follows the tag rule of `_tags`, else
        InvalidArgumentError before anything is sent; an Instance passed without `tag=` resends
        its own tag as the service returned it, unchecked.
        """
        return await self._run(
            Methods.change_instance_tag.prepared(form, instance_id=instance_id, tag=tag)
        )

    @checked(Methods.start_instance)
    async def start_instance(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        machine_resource_id: Id | None = None,
        instances: str | None = None,
    ) -> Instance:
        """Start a STOPPED instance; a RUNNING one is left as it is."""
        return await self._run(
            Methods.start_instance.prepared(
                form,
                instance_id=instance_id,
                machine_resource_id=machine_resource_id,
                instances=instances,
            )
        )

    @checked(Methods.stop_instance)
    async def stop_instance(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        machine_resource_id: Id | None = None,
        instances: str | None = None,
    ) -> Instance:
        """Stop a RUNNING instance (deprecated by the service); a STOPPED one is left as it is."""
        return await self._run(
            Methods.stop_instance.prepared(
                form,
                instance_id=instance_id,
                machine_resource_id=machine_resource_id,
                instances=instances,
            )
        )

    @checked(Methods.restart_instance)
    async def restart_instance(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: str | int | None = None,
        machine_resource_id: str | int | None = None,
        poll_interval: float = 5.0,
        timeout: float = 600.0,
    ) -> Instance:
        """Stop the instance, wait until it is STOPPED, start it; return it as start left it.

        The service has no restart endpoint (the 1.5 library called stop then start at once,
        which fails while the instance is still stopping). Raises WaitTimeoutError, carrying
        the instance as last seen, if it is not STOPPED within `timeout` seconds; it is then
        not started again.
        """
        return await self._run(
            Methods.restart_instance.prepared(
                form,
                instance_id=instance_id,
                machine_resource_id=machine_resource_id,
                poll_interval=poll_interval,
                timeout=timeout,
            )
        )

    @checked(Methods.terminate_instance)
    async def terminate_instance(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        machine_resource_id: Id | None = None,
        instances: str | None = None,
    ) -> Instance:
        """Terminate an instance: it and its disk are destroyed, billing stops.

        Its host key is then forgotten (its alias in the project's known_hosts).
        """
        return await self._run(
            Methods.terminate_instance.prepared(
                form,
                instance_id=instance_id,
                machine_resource_id=machine_resource_id,
                instances=instances,
            )
        )

    @checked(Methods.emergency_restart_instance)
    async def emergency_restart_instance(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        machine_resource_id: Id | None = None,
        instances: str | None = None,
    ) -> Instance:
        """Power-cycle a hung instance without a clean shutdown."""
        return await self._run(
            Methods.emergency_restart_instance.prepared(
                form,
                instance_id=instance_id,
                machine_resource_id=machine_resource_id,
                instances=instances,
            )
        )

    @checked(Methods.port_list)
    async def port_list(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        connection_id: Id | None = None,
    ) -> PortList:
        """List an instance's open ports (needs instance_id)."""
        return await self._run(
            Methods.port_list.prepared(form, instance_id=instance_id, connection_id=connection_id)
        )

    @checked(Methods.open_port)
    async def open_port(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        connection_id: Id | None = None,
        port: int | str | None = None,
    ) -> PortList:
        """Open a TCP port (1-65535) for inbound traffic (needs instance_id, connection_id, port)."""
        return await self._run(
            Methods.open_port.prepared(
                form, instance_id=instance_id, connection_id=connection_id, port=port
            )
        )

    @checked(Methods.close_port)
    async def close_port(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        connection_id: Id | None = None,
        port: int | str | None = None,
    ) -> PortList:
        """Close an open port (needs instance_id, connection_id, port)."""
        return await self._run(
            Methods.close_port.prepared(
                form, instance_id=instance_id, connection_id=connection_id, port=port
            )
        )

    @checked(Methods.renew_ipv4)
    async def renew_ipv4(
        self, form: InstanceForm = None, /, *, instance_id: Id | None = None
    ) -> NetworkDescription:
        """Give the instance a new IPv4 address (needs instance_id)."""
        return await self._run(Methods.renew_ipv4.prepared(form, instance_id=instance_id))

    @checked(Methods.refresh_ipv4)
    async def refresh_ipv4(
        self, form: InstanceForm = None, /, *, instance_id: Id | None = None
    ) -> NetworkDescription:
        """Re-apply the instance's IPv4 configuration, keeping the address (needs instance_id)."""
        return await self._run(Methods.refresh_ipv4.prepared(form, instance_id=instance_id))

    @checked(Methods.network_description)
    async def network_description(
        self, form: InstanceForm = None, /, *, instance_id: Id | None = None
    ) -> NetworkDescription:
        """Describe an instance's network: its status (addresses, traffic, disk use) and open
        ports (needs instance_id).
        """
        return await self._run(Methods.network_description.prepared(form, instance_id=instance_id))

    @checked(Methods.create_volume)
    async def create_volume(
        self,
        form: FormArg = None,
        /,
        *,
        volume: int | str | None = None,
        size: int | str | None = None,
        region_id: str | None = None,
        storage_type: str | None = None,
        name: str | None = None,
    ) -> Volume:
        """Create an extended volume of `volume` GB (`size` is the same field under the
        service README's name; give one of them). `name` is a display name (default: its id).

        Raises InvalidArgumentError, before anything is sent, when both sizes are given and
        differ; the service refuses that too.
        """
        return await self._run(
            Methods.create_volume.prepared(
                form,
                volume=volume,
                size=size,
                region_id=region_id,
                storage_type=storage_type,
                name=name,
            )
        )

    @checked(Methods.attach_volume)
    async def attach_volume(
        self, form: FormArg = None, /, *, volume_id: Id | None = None, instance_id: Id | None = None
    ) -> Volume:
        """Attach an AVAILABLE volume to an instance (needs volume_id, instance_id)."""
        return await self._run(
            Methods.attach_volume.prepared(form, volume_id=volume_id, instance_id=instance_id)
        )

    @checked(Methods.detach_volume)
    async def detach_volume(
        self, form: FormArg = None, /, *, volume_id: Id | None = None
    ) -> Volume:
        """Detach a volume from its instance (needs volume_id)."""
        return await self._run(Methods.detach_volume.prepared(form, volume_id=volume_id))

    @checked(Methods.delete_volume)
    async def delete_volume(self, form: FormArg = None, /, *, volume_id: Id | None = None) -> None:
        """Delete a volume that is not attached; its data is lost (needs volume_id)."""
        return await self._run(Methods.delete_volume.prepared(form, volume_id=volume_id))

    @checked(Methods.transfer_volume)
    async def transfer_volume(
        self, form: FormArg = None, /, *, volume_id: Id | None = None, region_id: str | None = None
    ) -> Volume:
        """Move a volume that is not attached to another region (needs volume_id, region_id)."""
        return await self._run(
            Methods.transfer_volume.prepared(form, volume_id=volume_id, region_id=region_id)
        )

    @checked(Methods.subscription_instance_list)
    async def subscription_instance_list(self) -> list[Plan]:
        """List the instance plans. (GET /console/servers/plan_list_v1)"""
        return await self._run(Methods.subscription_instance_list.prepared())

    @checked(Methods.subscription_storage_list)
    async def subscription_storage_list(self) -> StorageList:
        """List the storage plans and the account's volumes. (GET /console/servers/storage_plan_list)"""
        return await self._run(Methods.subscription_storage_list.prepared())

    @checked(Methods.subscription_network_list)
    async def subscription_network_list(self) -> list[Plan]:
        """List the network plans. (GET /console/servers/network_plan_list)"""
        return await self._run(Methods.subscription_network_list.prepared())

    @checked(Methods.subscribed_list)
    async def subscribed_list(self) -> list[Subscription]:
        """List the account's subscriptions, cancelled ones included. (GET /console/servers/subscribed_list)"""
        return await self._run(Methods.subscribed_list.prepared())

    @checked(Methods.subscribe_instance)
    async def subscribe_instance(
        self, form: FormArg = None, /, *, subscription_id: Id | None = None
    ) -> Subscription:
        """Subscribe to an instance plan (subscription_id: the plan's plan_id)."""
        return await self._run(
            Methods.subscribe_instance.prepared(form, subscription_id=subscription_id)
        )

    @checked(Methods.unsubscribe_instance)
    async def unsubscribe_instance(
        self, form: FormArg = None, /, *, subscription_id: Id | None = None
    ) -> Subscription:
        """Cancel an instance subscription (needs subscription_id)."""
        return await self._run(
            Methods.unsubscribe_instance.prepared(form, subscription_id=subscription_id)
        )

    @checked(Methods.subscribe_storage)
    async def subscribe_storage(
        self, form: FormArg = None, /, *, subscription_id: Id | None = None
    ) -> Subscription:
        """Subscribe to a storage plan (subscription_id: the plan's plan_id)."""
        return await self._run(
            Methods.subscribe_storage.prepared(form, subscription_id=subscription_id)
        )

    @checked(Methods.unsubscribe_storage)
    async def unsubscribe_storage(
        self, form: FormArg = None, /, *, subscription_id: Id | None = None
    ) -> Subscription:
        """Cancel a storage subscription (needs subscription_id)."""
        return await self._run(
            Methods.unsubscribe_storage.prepared(form, subscription_id=subscription_id)
        )

    @checked(Methods.subscribe_network)
    async def subscribe_network(
        self, form: FormArg = None, /, *, subscription_id: Id | None = None
    ) -> Subscription:
        """Subscribe to a network plan (subscription_id: the plan's plan_id)."""
        return await self._run(
            Methods.subscribe_network.prepared(form, subscription_id=subscription_id)
        )

    @checked(Methods.unsubscribe_network)
    async def unsubscribe_network(
        self, form: FormArg = None, /, *, subscription_id: Id | None = None
    ) -> Subscription:
        """Cancel a network subscription (needs subscription_id)."""
        return await self._run(
            Methods.unsubscribe_network.prepared(form, subscription_id=subscription_id)
        )

    @checked(Methods.live_migration)
    async def live_migration(
        self,
        form: InstanceForm = None,
        /,
        *,
        instance_id: Id | None = None,
        product_id: Id | None = None,
        region_id: str | None = None,
        connection_id: Id | None = None,
        ssh_key_id: Id | None = None,
        tag: str | None = None,
    ) -> Transaction:
        """Move a RUNNING instance to another machine (needs instance_id, product_id, region_id);
        answers the transaction to follow with `peak_transaction`.
        """
        return await self._run(
            Methods.live_migration.prepared(
                form,
                instance_id=instance_id,
                product_id=product_id,
                region_id=region_id,
                connection_id=connection_id,
                ssh_key_id=ssh_key_id,
                tag=tag,
            )
        )

    @checked(Methods.cancel_transaction)
    async def cancel_transaction(
        self, form: FormArg = None, /, *, transaction_id: Id | None = None
    ) -> Transaction:
        """Cancel a transaction that has not finished (needs transaction_id)."""
        return await self._run(
            Methods.cancel_transaction.prepared(form, transaction_id=transaction_id)
        )

    @checked(Methods.peak_transaction)
    async def peak_transaction(
        self, form: FormArg = None, /, *, transaction_id: Id | None = None
    ) -> Transaction:
        """Check a transaction's status and progress; changes nothing (needs transaction_id)."""
        return await self._run(
            Methods.peak_transaction.prepared(form, transaction_id=transaction_id)
        )

    @checked(Methods.invoice_list)
    async def invoice_list(self) -> list[Invoice]:
        """List the on-demand invoices. (GET /console/servers/charge_list)"""
        return await self._run(Methods.invoice_list.prepared())

    @checked(Methods.subscription_invoice_list)
    async def subscription_invoice_list(self) -> list[Invoice]:
        """List the subscription invoices. (GET /console/servers/invoice_list)"""
        return await self._run(Methods.subscription_invoice_list.prepared())

    @checked(Methods.make_invoice)
    async def make_invoice(self, form: FormArg = None, /, *, invoice_id: Id | None = None) -> bytes:
        """The invoice as a PDF document (needs invoice_id)."""
        return await self._run(Methods.make_invoice.prepared(form, invoice_id=invoice_id))

    @checked(Methods.login_instance)
    async def login_instance(
        self,
        form: InstanceArg | None = None,
        /,
        *,
        instance_id: str | None = None,
        key_file: PathArg | None = None,
    ) -> int:
        """An interactive ssh login on the instance; returns ssh's exit status.

        Uses this process's terminal; host keys are checked against the project's known_hosts.
        """
        return await self._run(
            Methods.login_instance.prepared(form, instance_id=instance_id, key_file=key_file)
        )

    @checked(Methods.run_command)
    async def run_command(
        self,
        form: InstanceArg | None = None,
        /,
        command: Sequence[str] | None = None,
        *,
        instance_id: str | None = None,
        tty: bool = False,
        key_file: PathArg | None = None,
    ) -> int:
        """Run one command on the instance, its words passed exactly (no remote shell parsing),
        with output streaming to this process's; returns the remote exit status (255: ssh
        failed). For shell syntax say so: `["sh", "-c", "make && ./train"]`.
        """
        return await self._run(
            Methods.run_command.prepared(
                form, command, instance_id=instance_id, tty=tty, key_file=key_file
            )
        )

    @checked(Methods.capture_command)
    async def capture_command(
        self,
        form: InstanceArg | None = None,
        /,
        command: Sequence[str] | None = None,
        *,
        instance_id: str | None = None,
        input: bytes | None = None,
        timeout: float | None = None,
        key_file: PathArg | None = None,
    ) -> CommandResult:
        """Run one command as `run_command` does, collecting its output: a CommandResult with
        `exit_code`, `stdout` and `stderr` (bytes). `input` is sent to its standard input;
        after `timeout` seconds it is stopped and SSHError raised.
        """
        return await self._run(
            Methods.capture_command.prepared(
                form,
                command,
                instance_id=instance_id,
                input=input,
                timeout=timeout,
                key_file=key_file,
            )
        )

    @checked(Methods.copy_file)
    async def copy_file(
        self,
        form: InstanceArg | None = None,
        /,
        *,
        instance_id: str | None = None,
        action: Literal["get", "put"] | None = None,
        src: PathArg | None = None,
        dst: PathArg | None = None,
        recursive: bool | None = None,
        key_file: PathArg | None = None,
    ) -> None:
        """Copy a file: action "get" brings remote `src` here as `dst`, "put" sends local `src`
        to remote `dst`. Like cp: an existing folder as `dst` receives the copy inside it;
        folders need `recursive=True`. Remote relative paths start in the remote user's home;
        no path is ever globbed or expanded. The copy is a tar stream over one ssh call.
        """
        return await self._run(
            Methods.copy_file.prepared(
                form,
                instance_id=instance_id,
                action=action,
                src=src,
                dst=dst,
                recursive=recursive,
                key_file=key_file,
            )
        )

    @checked(Methods.move_file)
    async def move_file(
        self,
        form: InstanceArg | None = None,
        /,
        *,
        instance_id: str | None = None,
        action: Literal["get", "put"] | None = None,
        src: PathArg | None = None,
        dst: PathArg | None = None,
        recursive: bool | None = None,
        key_file: PathArg | None = None,
    ) -> None:
        """Copy as `copy_file` does, then delete the source; a failed copy deletes nothing."""
        return await self._run(
            Methods.move_file.prepared(
                form,
                instance_id=instance_id,
                action=action,
                src=src,
                dst=dst,
                recursive=recursive,
                key_file=key_file,
            )
        )

    @checked(Methods.delete_file)
    async def delete_file(
        self,
        form: InstanceArg | None = None,
        /,
        *,
        instance_id: str | None = None,
        src: str | None = None,
        recursive: bool | None = None,
        key_file: PathArg | None = None,
    ) -> None:
        """Delete the remote file `src` (a folder too, with `recursive=True`); a missing path is
        an SSHError. '.', '..' and '/' are refused.
        """
        return await self._run(
            Methods.delete_file.prepared(
                form, instance_id=instance_id, src=src, recursive=recursive, key_file=key_file
            )
        )

    @checked(Methods.make_directory)
    async def make_directory(
        self,
        form: InstanceArg | None = None,
        /,
        *,
        instance_id: str | None = None,
        dst: str | None = None,
        key_file: PathArg | None = None,
    ) -> None:
        """Create the remote folder `dst` and any missing parents (an existing one is fine)."""
        return await self._run(
            Methods.make_directory.prepared(
                form, instance_id=instance_id, dst=dst, key_file=key_file
            )
        )

    @checked(Methods.file_list)
    async def file_list(
        self,
        form: InstanceArg | None = None,
        /,
        *,
        instance_id: str | None = None,
        src: str | None = None,
        key_file: PathArg | None = None,
    ) -> list[RemoteFileEntry]:
        """The entries of the remote folder `src` (default: the remote user's home), sorted by
        name: RemoteFileEntry(name, type, size, modified). A file lists as its one entry.
        """
        return await self._run(
            Methods.file_list.prepared(form, instance_id=instance_id, src=src, key_file=key_file)
        )

    @checked(Methods.synchronize_files)
    async def synchronize_files(
        self,
        form: InstanceArg | None = None,
        /,
        *,
        instance_id: str | None = None,
        action: Literal["get", "put"] | None = None,
        src: PathArg | None = None,
        dst: PathArg | None = None,
        delete: bool | None = None,
        exclude: Sequence[str] | None = None,
        gitignore: bool | None = None,
        dry_run: bool | None = None,
        on_progress: Callable[[str], None] | None = None,
        key_file: PathArg | None = None,
    ) -> SyncResult:
        """Make folder `dst` hold what folder `src` holds, sending only what changed (rsync):
        action "get" from the instance to here, "put" from here to the instance.

        `delete=True` removes what `src` does not have from `dst` (excluded files stay);
        `exclude` holds rsync patterns (`*.pyc`, `/data`); `gitignore=True` honours the source's
        `.gitignore` files; `dry_run=True` only reports; `on_progress(line)` receives rsync's
        overall progress. Returns a SyncResult (its items, `transferred` and `deleted` paths).
        Remote paths are never globbed or expanded; the instance needs rsync installed.
        """
        return await self._run(
            Methods.synchronize_files.prepared(
                form,
                instance_id=instance_id,
                action=action,
                src=src,
                dst=dst,
                delete=delete,
                exclude=exclude,
                gitignore=gitignore,
                dry_run=dry_run,
                on_progress=on_progress,
                key_file=key_file,
            )
        )

    @checked(Methods.tunnel)
    async def tunnel(
        self,
        form: InstanceArg | None = None,
        /,
        port: int | None = None,
        remote_port: int | None = None,
        *,
        instance_id: str | None = None,
        key_file: PathArg | None = None,
    ) -> Tunnel:
        """Forward local port `port` on 127.0.0.1 to `remote_port` (default: the same) on the
        instance; returns the open Tunnel once the local port accepts connections.

        Use it as a context manager, which closes the forward: `with client.tunnel(instance,
        8888) as t: ... t.url()`. `port=0` picks a free local port (`t.local_port`). A taken
        local port raises SSHError at once.
        """
        return await self._run(
            Methods.tunnel.prepared(
                form, port, remote_port, instance_id=instance_id, key_file=key_file
            )
        )

    @checked(Methods.ssh_config)
    async def ssh_config(self, *, write: bool = False) -> SshConfig:
        """ssh_config Host blocks (`gpueater-<label>-<tag>`) for the RUNNING instances, with their
        address, port, user, key and the project's host key alias and known_hosts.

        `write=True` keeps them in the project's own file and includes it from `~/.ssh/config`
        (once, at the top, with a backup; the user's own entries are never edited), so plain
        `ssh gpueater-<label>-<tag>`, rsync and editors work. Terminated instances drop out on
        the next write; other services' blocks stay until a write for their service.
        """
        return await self._run(Methods.ssh_config.prepared(write=write))

    @checked(Methods.run)
    async def run(
        self,
        task: Task,
        *,
        stdout: BinaryWriter | None = None,
        stderr: BinaryWriter | None = None,
        on_event: OnEvent | None = None,
        detach: bool = False,
    ) -> RunResult:
        """Run a task (a `Task`: what to run, on what, and what to bring back) on an instance:
        get one (reused by `task.name`, or launched), sync the workdir, run setup once per
        instance and then the job, streamed live to `stdout`/`stderr` (binary writers; default
        this process's), fetch the outputs and apply the teardown, which happens whatever
        fails, Ctrl-C included. `on_event(RunEvent)` hears each step. Returns a RunResult once
        the job ran; see `gpueater_ext._jobs.runner` for what raises instead.

        `detach=True` returns once the job has started (setup, when due, is followed first),
        leaving it running with no outputs fetched and no teardown; the job is recorded on this
        machine (`_jobs.local`), so `gpueater job logs|list|cancel` follow it, and a `down` or
        `stop` teardown is applied once it is seen to have ended (`_jobs.finish`). A failure
        before the job started is torn down as in any run.
        """
        return await self._run(
            Methods.run.prepared(
                task, stdout=stdout, stderr=stderr, on_event=on_event, detach=detach
            )
        )

    @checked(Methods.api_list)
    async def api_list(self) -> list[ApiFunction]:
        """Every function of the API: name, group, since (version) and endpoint."""
        return await self._run(Methods.api_list.prepared())

    @checked(Methods.wait_for_instance)
    async def wait_for_instance(
        self,
        instance: InstanceArg,
        state: str = "RUNNING",
        *,
        timeout: float = 600.0,
        poll: float = 2.0,
        on_poll: OnPoll | None = None,
    ) -> Instance:
        """Wait until the instance is in `state`; return it as last seen.

        `instance` is an Instance, an instance id, tag or unique prefix, or a form dict with
        instance_id (the one rule of `_instance_arg`). `state="TERMINATED"` waits until the
        instance has left `instance_list`. `on_poll(instance, elapsed_seconds)` is called after
        each observation (for progress displays). Raises WaitFailedError at once when the
        instance is in a state that cannot lead to `state` (waiting for RUNNING while it is
        TERMINATING, say) or has left the list, and WaitTimeoutError (with `last_seen`) when
        `timeout` seconds pass.
        """
        return await self._run(
            Methods.wait_for_instance.prepared(
                instance, state, timeout=timeout, poll=poll, on_poll=on_poll
            )
        )

    @checked(Methods.wait_for_ssh)
    async def wait_for_ssh(
        self, instance: InstanceArg, *, timeout: float = 300.0, poll: float = 2.0
    ) -> Instance:
        """Wait until the instance is RUNNING and its sshd answers: a TCP connection to its
        ipv4 and sshd_port receives an `SSH-` banner. Returns the instance as last seen.

        One `timeout` covers both waits; errors as for `wait_for_instance`.
        """
        return await self._run(Methods.wait_for_ssh.prepared(instance, timeout=timeout, poll=poll))

    @checked(Methods.wait_for_transaction)
    async def wait_for_transaction(
        self,
        transaction: Transaction | str,
        *,
        timeout: float = 600.0,
        poll: float = 2.0,
        on_poll: Callable[[Transaction, float], None] | None = None,
    ) -> Transaction:
        """Follow a transaction with `peak_transaction` until it has ended (DONE, CANCELLED or
        FAILED) and return it as last seen: look at its `status`, an ended transaction is not
        an error here.

        `transaction` is a Transaction or its id; `on_poll(transaction, elapsed_seconds)` is
        called after each look. Raises WaitTimeoutError (with `last_seen`) after `timeout`
        seconds; the transaction itself goes on.
        """
        return await self._run(
            Methods.wait_for_transaction.prepared(
                transaction, timeout=timeout, poll=poll, on_poll=on_poll
            )
        )

    @checked(Methods.wait_for_image)
    async def wait_for_image(
        self,
        image: UserImage | str,
        *,
        timeout: float = 1800.0,
        poll: float = 5.0,
        on_poll: Callable[[UserImage, float], None] | None = None,
    ) -> UserImage:
        """Follow a user-defined image in `registered_image_list` until it is READY or FAILED
        and return it as last seen (look at its `status`).

        `image` is a UserImage or its fingerprint; `on_poll` as for `wait_for_transaction`.
        Raises WaitFailedError when the image leaves the list (deleted while building) and
        WaitTimeoutError (with `last_seen`) after `timeout` seconds.
        """
        return await self._run(
            Methods.wait_for_image.prepared(image, timeout=timeout, poll=poll, on_poll=on_poll)
        )
