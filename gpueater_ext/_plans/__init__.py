"""The plans: what each method does, written once for both clients as a plan of effects.

This `__init__` is the package's one import point: code outside it (the clients, the
method table `_methods`, the job runner `_jobs`, the CLI) imports the names of `__all__`
from here, never its modules (tests/project/test_layers.py). Each name loads its module
on first use (`gpueater_ext._lazy`).

- `effects`: the effects a plan yields (`Call`, `Sleep`, `Blocking`, `Now`,
  `ReconcileBudget`, `ServiceUrl`, `ReadBack`: a fresh instance_list, only the wanted
  instances decoded, shared by the async client's read-backs in flight), `Plan`, and
  `blocking`, the typed way to yield a `Blocking`.
- `shared`: the helpers plans share (an endpoint's `call`, keyword fields, the SSH plans'
  arguments and target, `on_instance`).
- `launch` and `reconcile`: launches that find their own instance; writes whose answer
  was lost, read back.
- `compute`, `account`: the endpoint-backed methods, typed.
- `ssh`, `ssh_reach`: login, commands, files, sync, tunnels, ssh_config.
- `wait`, `wait_jobs`: the waiters.
- `gathering`: several plans at once inside one (a multi-node run).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gpueater_ext._lazy import load_on_first_use

if TYPE_CHECKING:
    from gpueater_ext._plans.account import (
        attach_volume,
        cancel_transaction,
        create_volume,
        delete_volume,
        detach_volume,
        live_migration,
        make_invoice,
        peak_transaction,
        subscribe_instance,
        subscribe_network,
        subscribe_storage,
        transfer_volume,
        unsubscribe_instance,
        unsubscribe_network,
        unsubscribe_storage,
    )
    from gpueater_ext._plans.compute import (
        Id,
        change_instance_tag,
        change_snapshot_tag,
        close_port,
        create_image,
        delete_image,
        delete_snapshot,
        delete_ssh_key,
        emergency_restart_instance,
        import_image,
        network_description,
        open_port,
        port_list,
        refresh_ipv4,
        register_ssh_key,
        renew_ipv4,
        restore_from_snapshot,
        snapshot_instance,
        snapshot_list,
        start_instance,
        stop_instance,
        terminate_instance,
    )
    from gpueater_ext._plans.effects import (
        Blocking,
        Call,
        Now,
        Plan,
        ReadBack,
        ReconcileBudget,
        ServiceUrl,
        Sleep,
        blocking,
    )
    from gpueater_ext._plans.gathering import BARRIER, Outcome, gather
    from gpueater_ext._plans.launch import (
        IfTagExists,
        is_launch_tag_of,
        launch_instance,
        launch_ondemand_instance,
        launch_subscription_instance,
        new_tag,
    )
    from gpueater_ext._plans.reconcile import reporting
    from gpueater_ext._plans.shared import PathArg, call
    from gpueater_ext._plans.ssh import (
        capture_command,
        copy_file,
        delete_file,
        file_list,
        login_instance,
        make_directory,
        move_file,
        run_command,
    )
    from gpueater_ext._plans.ssh_reach import ssh_config, synchronize_files, tunnel
    from gpueater_ext._plans.wait import OnPoll, restart_instance, wait_for_instance, wait_for_ssh
    from gpueater_ext._plans.wait_jobs import Job, wait_for_image, wait_for_transaction

# public name -> the module of this package that defines it
_EXPORTS: dict[str, str] = {
    "attach_volume": "account",
    "BARRIER": "gathering",
    "Blocking": "effects",
    "blocking": "effects",
    "Call": "effects",
    "call": "shared",
    "cancel_transaction": "account",
    "capture_command": "ssh",
    "change_instance_tag": "compute",
    "change_snapshot_tag": "compute",
    "close_port": "compute",
    "copy_file": "ssh",
    "create_image": "compute",
    "create_volume": "account",
    "delete_file": "ssh",
    "delete_image": "compute",
    "delete_snapshot": "compute",
    "delete_ssh_key": "compute",
    "delete_volume": "account",
    "detach_volume": "account",
    "emergency_restart_instance": "compute",
    "file_list": "ssh",
    "gather": "gathering",
    "Id": "compute",
    "IfTagExists": "launch",
    "import_image": "compute",
    "is_launch_tag_of": "launch",
    "Job": "wait_jobs",
    "launch_instance": "launch",
    "launch_ondemand_instance": "launch",
    "launch_subscription_instance": "launch",
    "live_migration": "account",
    "login_instance": "ssh",
    "make_directory": "ssh",
    "make_invoice": "account",
    "move_file": "ssh",
    "network_description": "compute",
    "new_tag": "launch",
    "Now": "effects",
    "OnPoll": "wait",
    "open_port": "compute",
    "Outcome": "gathering",
    "PathArg": "shared",
    "peak_transaction": "account",
    "Plan": "effects",
    "port_list": "compute",
    "ReadBack": "effects",
    "ReconcileBudget": "effects",
    "ServiceUrl": "effects",
    "refresh_ipv4": "compute",
    "register_ssh_key": "compute",
    "renew_ipv4": "compute",
    "reporting": "reconcile",
    "restart_instance": "wait",
    "restore_from_snapshot": "compute",
    "run_command": "ssh",
    "Sleep": "effects",
    "snapshot_instance": "compute",
    "snapshot_list": "compute",
    "ssh_config": "ssh_reach",
    "start_instance": "compute",
    "stop_instance": "compute",
    "subscribe_instance": "account",
    "subscribe_network": "account",
    "subscribe_storage": "account",
    "synchronize_files": "ssh_reach",
    "terminate_instance": "compute",
    "transfer_volume": "account",
    "tunnel": "ssh_reach",
    "unsubscribe_instance": "account",
    "unsubscribe_network": "account",
    "unsubscribe_storage": "account",
    "wait_for_image": "wait_jobs",
    "wait_for_instance": "wait",
    "wait_for_ssh": "wait",
    "wait_for_transaction": "wait_jobs",
}

__all__ = [
    "BARRIER",
    "Blocking",
    "Call",
    "Id",
    "IfTagExists",
    "Job",
    "Now",
    "OnPoll",
    "Outcome",
    "PathArg",
    "Plan",
    "ReadBack",
    "ReconcileBudget",
    "ServiceUrl",
    "Sleep",
    "attach_volume",
    "blocking",
    "call",
    "cancel_transaction",
    "capture_command",
    "change_instance_tag",
    "change_snapshot_tag",
    "close_port",
    "copy_file",
    "create_image",
    "create_volume",
    "delete_file",
    "delete_image",
    "delete_snapshot",
    "delete_ssh_key",
    "delete_volume",
    "detach_volume",
    "emergency_restart_instance",
    "file_list",
    "gather",
    "import_image",
    "is_launch_tag_of",
    "launch_instance",
    "launch_ondemand_instance",
    "launch_subscription_instance",
    "live_migration",
    "login_instance",
    "make_directory",
    "make_invoice",
    "move_file",
    "network_description",
    "new_tag",
    "open_port",
    "peak_transaction",
    "port_list",
    "refresh_ipv4",
    "register_ssh_key",
    "renew_ipv4",
    "reporting",
    "restart_instance",
    "restore_from_snapshot",
    "run_command",
    "snapshot_instance",
    "snapshot_list",
    "ssh_config",
    "start_instance",
    "stop_instance",
    "subscribe_instance",
    "subscribe_network",
    "subscribe_storage",
    "synchronize_files",
    "terminate_instance",
    "transfer_volume",
    "tunnel",
    "unsubscribe_instance",
    "unsubscribe_network",
    "unsubscribe_storage",
    "wait_for_image",
    "wait_for_instance",
    "wait_for_ssh",
    "wait_for_transaction",
]

if not TYPE_CHECKING:  # mypy reads the imports above; each name loads on first use
    __getattr__, __dir__ = load_on_first_use(__name__, _EXPORTS, globals())
