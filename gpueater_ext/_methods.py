"""The methods of GPUEater and AsyncGPUEater, declared once.

Each method is a `Method` descriptor around a plan (see `_plans`). Read from a GPUEater it
is a blocking function returning the result; read from an AsyncGPUEater it is a coroutine
function returning the same result. mypy sees both (the descriptor's `__get__` is
overloaded on the runner type), so one declaration gives two fully typed clients.

Endpoint-backed methods take `(form=None, /, **fields)`: a seed-style form dict or a
model, and keyword fields (later ones win; see `_forms`).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, Generic, ParamSpec, Self, TypeVar, overload

from gpueater_ext._api_list import ApiFunction, api_functions
from gpueater_ext._catalog import LaunchCatalog, SubscriptionCatalog
from gpueater_ext._forms import FormArg
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
from gpueater_ext._operations import OPERATIONS
from gpueater_ext._plans import Plan as _Plan
from gpueater_ext._plans import call, launch_instance, restart_instance

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
        self._plan = plan
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
        plan = self._plan
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


def _endpoint(name: str) -> Method[..., Any]:
    operation = OPERATIONS[name]
    required = f" ({operation.form or 'query'}; {operation.kind.value})"

    def plan(form: FormArg = None, /, **fields: Any) -> _Plan[Any]:
        return call(name, form, **fields)

    plan.__name__ = plan.__qualname__ = name
    doc = f"`{operation.endpoint}`{required}. Returns {operation.result or 'None'}."
    return Method(plan, doc)


def _launch(name: str, doc: str) -> Method[..., Instance]:
    def plan(form: FormArg = None, /, **fields: Any) -> _Plan[Instance]:
        return launch_instance(name, form, fields)

    plan.__name__ = plan.__qualname__ = name
    return Method(plan, doc)


def _api_list() -> _Plan[list[ApiFunction]]:
    """Every function of the API: name, group, since (version) and endpoint."""
    return api_functions()
    yield  # a plan with no effects: the bare yield makes this function a generator


class Methods:
    """Every function of the service's README, for both clients (see the module docstring)."""

    # Image
    image_list: Method[..., list[Image]] = _endpoint("image_list")
    registered_image_list: Method[..., list[UserImage]] = _endpoint("registered_image_list")
    create_image: Method[..., UserImage] = _endpoint("create_image")
    import_image: Method[..., UserImage] = _endpoint("import_image")
    delete_image: Method[..., None] = _endpoint("delete_image")
    snapshot_instance: Method[..., Snapshot] = _endpoint("snapshot_instance")
    snapshot_list: Method[..., list[Snapshot]] = _endpoint("snapshot_list")
    delete_snapshot: Method[..., None] = _endpoint("delete_snapshot")
    restore_from_snapshot: Method[..., None] = _endpoint("restore_from_snapshot")
    # SSH Key
    ssh_key_list: Method[..., list[SshKey]] = _endpoint("ssh_key_list")
    generate_ssh_key: Method[..., SshKeyPair] = _endpoint("generate_ssh_key")
    register_ssh_key: Method[..., SshKey] = _endpoint("register_ssh_key")
    delete_ssh_key: Method[..., None] = _endpoint("delete_ssh_key")
    # Instance
    ondemand_list: Method[..., LaunchCatalog] = _endpoint("ondemand_list")
    subscription_list: Method[..., SubscriptionCatalog] = _endpoint("subscription_list")
    launch_ondemand_instance = _launch(
        "launch_ondemand_instance",
        "Launch an on-demand instance (product_id, image alias, ssh_key_id, optional tag) "
        "and return it as instance_list shows it. Without a tag a unique one is generated.",
    )
    launch_subscription_instance = _launch(
        "launch_subcription_instance",
        "Launch a subscription instance (subscription_id, image alias, ssh_key_id, optional "
        "tag) and return it as instance_list shows it.",
    )
    launch_subcription_instance = launch_subscription_instance  # the seed's spelling
    instance_list: Method[..., list[Instance]] = _endpoint("instance_list")
    change_instance_tag: Method[..., Instance] = _endpoint("change_instance_tag")
    start_instance: Method[..., Instance] = _endpoint("start_instance")
    stop_instance: Method[..., Instance] = _endpoint("stop_instance")
    restart_instance = Method(restart_instance)
    terminate_instance: Method[..., Instance] = _endpoint("terminate_instance")
    emergency_restart_instance: Method[..., Instance] = _endpoint("emergency_restart_instance")
    # Network
    port_list: Method[..., PortList] = _endpoint("port_list")
    open_port: Method[..., PortList] = _endpoint("open_port")
    close_port: Method[..., PortList] = _endpoint("close_port")
    renew_ipv4: Method[..., NetworkDescription] = _endpoint("renew_ipv4")
    refresh_ipv4: Method[..., NetworkDescription] = _endpoint("refresh_ipv4")
    network_description: Method[..., NetworkDescription] = _endpoint("network_description")
    # Storage
    create_volume: Method[..., Volume] = _endpoint("create_volume")
    attach_volume: Method[..., Volume] = _endpoint("attach_volume")
    detach_volume: Method[..., Volume] = _endpoint("detach_volume")
    delete_volume: Method[..., None] = _endpoint("delete_volume")
    transfer_volume: Method[..., Volume] = _endpoint("transfer_volume")
    # Subscription
    subscription_instance_list: Method[..., list[Plan]] = _endpoint("subscription_instance_list")
    subscription_storage_list: Method[..., StorageList] = _endpoint("subscription_storage_list")
    subscription_network_list: Method[..., list[Plan]] = _endpoint("subscription_network_list")
    subscribed_list: Method[..., list[Subscription]] = _endpoint("subscribed_list")
    subscribe_instance: Method[..., Subscription] = _endpoint("subscribe_instance")
    unsubscribe_instance: Method[..., Subscription] = _endpoint("unsubscribe_instance")
    subscribe_storage: Method[..., Subscription] = _endpoint("subscribe_storage")
    unsubscribe_storage: Method[..., Subscription] = _endpoint("unsubscribe_storage")
    subscribe_network: Method[..., Subscription] = _endpoint("subscribe_network")
    unsubscribe_network: Method[..., Subscription] = _endpoint("unsubscribe_network")
    # Special
    live_migration: Method[..., Transaction] = _endpoint("live_migration")
    cancel_transaction: Method[..., Transaction] = _endpoint("cancel_transaction")
    peak_transaction: Method[..., Transaction] = _endpoint("peak_transaction")
    # Payment
    invoice_list: Method[..., list[Invoice]] = _endpoint("invoice_list")
    subscription_invoice_list: Method[..., list[Invoice]] = _endpoint("subscription_invoice_list")
    make_invoice: Method[..., bytes] = _endpoint("make_invoice")
    # Class API
    api_list = Method(_api_list)
