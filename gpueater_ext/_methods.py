"""The methods of GPUEater and AsyncGPUEater, declared once.

Each method is a `Method` descriptor around a plan (see `_plans`). Read from a GPUEater it
is a blocking function returning the result; read from an AsyncGPUEater it is a coroutine
function returning the same result. mypy sees both (the descriptor's `__get__` is
overloaded on the runner type), so one declaration gives two fully typed clients.

Methods with arguments take `(form=None, /, *, <the operation's fields>)`: a seed-style
form dict or a model, and the fields as keywords (keywords win; see `_forms`). Their
typed plans live in `_plans_compute` and `_plans_account`.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, Generic, ParamSpec, Self, TypeVar, overload

from gpueater_ext import _plans as plans
from gpueater_ext import _plans_account as account
from gpueater_ext import _plans_compute as compute
from gpueater_ext import _plans_ssh as ssh
from gpueater_ext import _plans_ssh_reach as reach
from gpueater_ext import _plans_wait as wait
from gpueater_ext import _plans_wait_jobs as jobs
from gpueater_ext._api_list import ApiFunction, api_functions
from gpueater_ext._catalog import LaunchCatalog, SubscriptionCatalog
from gpueater_ext._models import (
    Image,
    Instance,
    Invoice,
    Plan,
    SshKey,
    SshKeyPair,
    StorageList,
    Subscription,
    UserImage,
)
from gpueater_ext._operations import OPERATIONS
from gpueater_ext._plans import Plan as _Plan
from gpueater_ext._plans import call

__all__ = ["AsyncRunner", "Method", "Methods", "SyncRunner"]

P = ParamSpec("P")
T = TypeVar("T")


class SyncRunner:
    """Runs plans with blocking I/O (implemented by GPUEater)."""

    def _run(self, plan: _Plan[T]) -> T:
        raise NotImplementedError


class AsyncRunner:
    """Runs plans in asyncio (implemented by AsyncGPUEater)."""

    async def _run(self, plan: _Plan[T]) -> T:
        raise NotImplementedError


class Method(Generic[P, T]):
    """A method defined by a plan; see the module docstring."""

    def __init__(self, plan: Callable[P, _Plan[T]], doc: str | None = None) -> None:
        self.plan = plan
        self.__doc__ = doc or plan.__doc__

    @overload
    def __get__(self, runner: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, runner: SyncRunner, owner: type[Any]) -> Callable[P, T]: ...
    @overload
    def __get__(self, runner: AsyncRunner, owner: type[Any]) -> Callable[P, Awaitable[T]]: ...
    def __get__(self, runner: Any, owner: type[Any]) -> Any:
        if runner is None:
            return self
        plan = self.plan
        if isinstance(runner, AsyncRunner):

            async def run_async(*args: P.args, **kwargs: P.kwargs) -> T:
                return await runner._run(plan(*args, **kwargs))

            bound: Callable[..., Any] = run_async
        else:

            def run_sync(*args: P.args, **kwargs: P.kwargs) -> T:
                return runner._run(plan(*args, **kwargs))  # type: ignore[no-any-return]

            bound = run_sync
        functools.update_wrapper(bound, plan)
        bound.__doc__ = self.__doc__
        return bound


def _no_arguments(name: str, summary: str) -> Method[[], Any]:
    """A read that takes no arguments; its result type comes from the annotation."""

    def plan() -> _Plan[Any]:
        return call(name)

    plan.__name__ = plan.__qualname__ = name
    return Method(plan, f"{summary} ({OPERATIONS[name].endpoint})")


def _api_list() -> _Plan[list[ApiFunction]]:
    """Every function of the API: name, group, since (version) and endpoint."""
    return api_functions()
    yield  # a plan with no effects: the bare yield makes this function a generator


class Methods:
    """Every function of the service's README, for both clients (see the module docstring)."""

    # Image
    image_list: Method[[], list[Image]] = _no_arguments("image_list", "List all OS images.")
    registered_image_list: Method[[], list[UserImage]] = _no_arguments(
        "registered_image_list", "List the user's own images."
    )
    create_image = Method(compute.create_image)
    import_image = Method(compute.import_image)
    delete_image = Method(compute.delete_image)
    snapshot_instance = Method(compute.snapshot_instance)
    snapshot_list = Method(compute.snapshot_list)
    change_snapshot_tag = Method(compute.change_snapshot_tag)
    delete_snapshot = Method(compute.delete_snapshot)
    restore_from_snapshot = Method(compute.restore_from_snapshot)
    # SSH Key
    ssh_key_list: Method[[], list[SshKey]] = _no_arguments(
        "ssh_key_list", "List the registered SSH keys."
    )
    generate_ssh_key: Method[[], SshKeyPair] = _no_arguments(
        "generate_ssh_key",
        "Generate a key pair (nothing is registered); the private key is a secret.",
    )
    register_ssh_key = Method(compute.register_ssh_key)
    delete_ssh_key = Method(compute.delete_ssh_key)
    # Instance
    ondemand_list: Method[[], LaunchCatalog] = _no_arguments(
        "ondemand_list",
        "The on-demand launch catalog: products, images and SSH keys, with find-helpers.",
    )
    subscription_list: Method[[], SubscriptionCatalog] = _no_arguments(
        "subscription_list", "The subscription launch catalog: subscriptions, images and SSH keys."
    )
    launch_ondemand_instance = Method(plans.launch_ondemand_instance)
    launch_subscription_instance = Method(plans.launch_subscription_instance)
    launch_subcription_instance = launch_subscription_instance  # the seed's spelling
    instance_list: Method[[], list[Instance]] = _no_arguments(
        "instance_list", "List the instances that have not been terminated."
    )
    change_instance_tag = Method(compute.change_instance_tag)
    start_instance = Method(compute.start_instance)
    stop_instance = Method(compute.stop_instance)
    restart_instance = Method(wait.restart_instance)
    terminate_instance = Method(compute.terminate_instance)
    emergency_restart_instance = Method(compute.emergency_restart_instance)
    # Network
    port_list = Method(compute.port_list)
    open_port = Method(compute.open_port)
    close_port = Method(compute.close_port)
    renew_ipv4 = Method(compute.renew_ipv4)
    refresh_ipv4 = Method(compute.refresh_ipv4)
    network_description = Method(compute.network_description)
    # Storage
    create_volume = Method(account.create_volume)
    attach_volume = Method(account.attach_volume)
    detach_volume = Method(account.detach_volume)
    delete_volume = Method(account.delete_volume)
    transfer_volume = Method(account.transfer_volume)
    # Subscription
    subscription_instance_list: Method[[], list[Plan]] = _no_arguments(
        "subscription_instance_list", "List the instance plans."
    )
    subscription_storage_list: Method[[], StorageList] = _no_arguments(
        "subscription_storage_list", "List the storage plans and the account's volumes."
    )
    subscription_network_list: Method[[], list[Plan]] = _no_arguments(
        "subscription_network_list", "List the network plans."
    )
    subscribed_list: Method[[], list[Subscription]] = _no_arguments(
        "subscribed_list", "List the account's subscriptions, cancelled ones included."
    )
    subscribe_instance = Method(account.subscribe_instance)
    unsubscribe_instance = Method(account.unsubscribe_instance)
    subscribe_storage = Method(account.subscribe_storage)
    unsubscribe_storage = Method(account.unsubscribe_storage)
    subscribe_network = Method(account.subscribe_network)
    unsubscribe_network = Method(account.unsubscribe_network)
    # Special
    live_migration = Method(account.live_migration)
    cancel_transaction = Method(account.cancel_transaction)
    peak_transaction = Method(account.peak_transaction)
    # Payment
    invoice_list: Method[[], list[Invoice]] = _no_arguments(
        "invoice_list", "List the on-demand invoices."
    )
    subscription_invoice_list: Method[[], list[Invoice]] = _no_arguments(
        "subscription_invoice_list", "List the subscription invoices."
    )
    make_invoice = Method(account.make_invoice)
    # Extensions (client-side: the system's OpenSSH client, see `_plans_ssh`)
    login_instance = Method(ssh.login_instance)
    run_command = Method(ssh.run_command)
    capture_command = Method(ssh.capture_command)
    copy_file = Method(ssh.copy_file)
    move_file = Method(ssh.move_file)
    delete_file = Method(ssh.delete_file)
    make_directory = Method(ssh.make_directory)
    file_list = Method(ssh.file_list)
    synchronize_files = Method(reach.synchronize_files)
    tunnel = Method(reach.tunnel)
    ssh_config = Method(reach.ssh_config)
    # Class API
    api_list = Method(_api_list)
    # Waiters (client-side, not functions of the service)
    wait_for_instance = Method(wait.wait_for_instance)
    wait_for_ssh = Method(wait.wait_for_ssh)
    wait_for_transaction = Method(jobs.wait_for_transaction)
    wait_for_image = Method(jobs.wait_for_image)
