"""Every command the `gpueater` group offers, registered in one place."""

from __future__ import annotations

import click

__all__ = ["register"]


def register(group: click.Group) -> None:
    from gpueater_ext.cli import (
        cmd_catalog,
        cmd_completion,
        cmd_configure,
        cmd_emulator,
        cmd_files,
        cmd_gc,
        cmd_images,
        cmd_instances,
        cmd_job,
        cmd_keys,
        cmd_launch,
        cmd_lease,
        cmd_migration,
        cmd_network,
        cmd_payment,
        cmd_run,
        cmd_snapshots,
        cmd_ssh,
        cmd_ssh_config,
        cmd_storage,
        cmd_subscriptions,
        cmd_sync,
        cmd_tunnel,
    )

    commands = (
        cmd_catalog.products,
        cmd_catalog.images,
        cmd_keys.ssh_keys,
        cmd_keys.ssh_key,
        cmd_launch.launch,
        cmd_instances.instances,
        cmd_instances.show,
        *cmd_instances.LIFECYCLE_COMMANDS,
        cmd_instances.tag,
        cmd_network.ports,
        cmd_network.port,
        cmd_network.ip,
        cmd_network.network,
        cmd_ssh.ssh,
        cmd_files.cp,
        cmd_files.mv,
        cmd_files.rm,
        cmd_files.mkdir,
        cmd_files.ls,
        cmd_sync.sync,
        cmd_run.run,
        cmd_lease.lease,
        cmd_gc.gc,
        cmd_job.job,
        cmd_tunnel.tunnel,
        cmd_tunnel.jupyter,
        cmd_ssh_config.ssh_config,
        cmd_storage.volumes,
        cmd_storage.volume,
        cmd_snapshots.snapshots,
        cmd_snapshots.snapshot,
        cmd_images.user_images,
        cmd_images.user_image,
        cmd_subscriptions.plans,
        cmd_subscriptions.subscriptions,
        cmd_subscriptions.subscribe,
        cmd_subscriptions.unsubscribe,
        cmd_payment.invoices,
        cmd_payment.invoice,
        cmd_migration.migrate,
        cmd_migration.transaction,
        cmd_configure.configure,
        cmd_catalog.api_list,
        cmd_emulator.emulator,
        cmd_completion.completion,
    )
    from gpueater_ext.cli import _completion, _shells
    from gpueater_ext.cli._state import add_global_options

    for command in commands:
        add_global_options(command)
        group.add_command(command)
    _completion.attach(group)
    _shells.register()
