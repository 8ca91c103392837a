"""The methods of GPUEater and AsyncGPUEater, declared once.

Each method is a `Method` around a plan (see `_plans`). The clients' methods are real
`def`s generated from this table (`_client_methods`, by scripts/generate_client_methods.py)
so that help(), inspect, IDEs and documentation generators, which read static definitions,
see each one's signature, return type and docstring; each checks its arguments (`checked`:
an unknown keyword is an InvalidArgumentError) and hands them to `Method.prepared`, which
resolves an instance argument (`_instance_arg`); `Method.planned` does both. mypy checks
the generated calls against the plans, so a stale file fails `make lint`;
tests/sdk/test_signatures.py compares it with what the script writes now. (A `Method` read
from a runner is still a bound callable.)

Methods with arguments take `(form=None, /, *, <the operation's fields>)`: a seed-style
form dict or a model, and the fields as keywords (keywords win; see `_forms`). Their
typed plans live in `_plans.compute` and `_plans.account`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, Literal, ParamSpec, Self, TypeVar, overload

from gpueater_ext import _jobs as jobs
from gpueater_ext import _plans as plans
from gpueater_ext._errors import InvalidArgumentError
from gpueater_ext._operations import OPERATIONS
from gpueater_ext._plans import Call

if TYPE_CHECKING:
    from gpueater_ext._api_list import ApiFunction
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
    from gpueater_ext._plans import Plan as _Plan

__all__ = ["AsyncRunner", "Method", "Methods", "SyncRunner", "checked", "on_first_use"]

P = ParamSpec("P")
InstanceRule = Literal["form", "model"]
F = TypeVar("F", bound=Callable[..., Any])
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
    """A method defined by a plan; see the module docstring.

    `instance` says how the method takes an instance (its first parameter), by the one rule
    of `_instance_arg`: "form" (an endpoint or SSH method: a name becomes the Instance, a
    form dict is completed from it, before the plan runs) or "model" (a waiter, which
    resolves the name on its first look); None for a method that takes no instance.
    """

    def __init__(
        self,
        plan: Callable[P, _Plan[T]],
        doc: str | None = None,
        *,
        instance: InstanceRule | None = None,
    ) -> None:
        self._plan: Callable[P, _Plan[T]] | None = plan
        self._load: Callable[[], Callable[P, _Plan[T]]] | None = None
        self.instance = instance
        self._plan_signature: inspect.Signature | None = None
        self._doc = doc

    @property
    def plan(self) -> Callable[P, _Plan[T]]:
        """The plan function, loaded from its module on first use (see `on_first_use`)."""
        if self._plan is None:
            assert self._load is not None  # one of the two is always set
            self._plan = self._load()
        return self._plan

    @property
    def doc(self) -> str | None:
        """The method's docstring: the table's, else the plan's."""
        return self._doc or self.plan.__doc__

    def planned(self, *args: P.args, **kwargs: P.kwargs) -> _Plan[T]:
        """The plan of one call: arguments checked, the instance argument resolved."""
        self.check_arguments(args, kwargs)
        return self.prepared(*args, **kwargs)

    def prepared(self, *args: P.args, **kwargs: P.kwargs) -> _Plan[T]:
        """`planned`, for arguments already checked: the generated methods' `@checked` did
        (checking twice was ~25 us of every call, issue 25)."""
        if self.instance != "form":  # a waiter resolves the name on its first look
            return self.plan(*args, **kwargs)
        return self._with_instance(list(args), dict(kwargs))

    def check_arguments(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """Arguments the method does not take are an InvalidArgumentError (a ValueError, as
        every bad argument is), never the TypeError of the plan's call: an unknown keyword
        is named, with the closest one the method does take."""
        signature = self._signature()
        name = self.plan.__name__
        keywords = [
            p.name
            for p in signature.parameters.values()
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        ]
        unknown = [key for key in kwargs if key not in keywords]
        if unknown:
            import difflib  # only a mistake needs it

            key = unknown[0]
            close = difflib.get_close_matches(key, keywords, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            takes = ", ".join(keywords) if keywords else "none"
            raise InvalidArgumentError(
                f"{name}() has no keyword argument {key!r}{hint} (its keywords: {takes})"
            )
        try:
            signature.bind(*args, **kwargs)
        except TypeError as error:
            raise InvalidArgumentError(f"{name}: {error}") from None

    def _signature(self) -> inspect.Signature:
        if self._plan_signature is None:
            self._plan_signature = inspect.signature(self.plan)
        return self._plan_signature

    def _with_instance(self, args: list[Any], kwargs: dict[str, Any]) -> _Plan[T]:
        name = self.plan.__name__
        parameter = next(iter(self._signature().parameters))
        given = args[0] if args else kwargs.get(parameter)
        if given is not None:
            from gpueater_ext._instance_arg import instance_argument  # a method's first use

            needed = _instance_fields(name, kwargs)
            resolved = yield from instance_argument(given, name, needed)
            if args:
                args[0] = resolved
            else:
                kwargs[parameter] = resolved
        return (yield from self.plan(*args, **kwargs))

    @overload
    def __get__(self, runner: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, runner: SyncRunner, owner: type[Any]) -> Callable[P, T]: ...
    @overload
    def __get__(self, runner: AsyncRunner, owner: type[Any]) -> Callable[P, Awaitable[T]]: ...
    def __get__(self, runner: Any, owner: type[Any]) -> Any:
        if runner is None:
            return self
        plan, method = self.plan, self
        if isinstance(runner, AsyncRunner):

            async def run_async(*args: P.args, **kwargs: P.kwargs) -> T:
                return await runner._run(method.planned(*args, **kwargs))

            bound: Callable[..., Any] = run_async
        else:

            def run_sync(*args: P.args, **kwargs: P.kwargs) -> T:
                return runner._run(method.planned(*args, **kwargs))  # type: ignore[no-any-return]

            bound = run_sync
        functools.update_wrapper(bound, plan)
        bound.__doc__ = self.doc
        return bound


_INSTANCE_FIELDS = ("instance_id", "machine_resource_id", "connection_id")


def _instance_fields(name: str, given: dict[str, Any]) -> tuple[str, ...]:
    """The fields an Instance supplies that operation `name` requires and the keywords do
    not give: a form dict holding them all is sent as it is (as 1.5 sent it). Empty for a
    method that is no single operation: its form dict is always completed."""
    if name not in OPERATIONS:
        return ()
    from gpueater_ext._forms import required_fields  # needs the generated client

    required = required_fields(OPERATIONS[name])
    return tuple(f for f in _INSTANCE_FIELDS if f in required and given.get(f) is None)


def checked(method: Method[Any, Any]) -> Callable[[F], F]:
    """Decorate a client's generated method (`_client_methods`) so that arguments it does
    not take raise InvalidArgumentError (`Method.check_arguments`) rather than Python's
    TypeError; `functools.wraps` keeps its signature and docstring for help() and inspect."""

    def decorate(function: F) -> F:
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def check_async(self: Any, *args: Any, **kwargs: Any) -> Any:
                method.check_arguments(args, kwargs)
                return await function(self, *args, **kwargs)

            return check_async  # type: ignore[return-value]

        @functools.wraps(function)
        def check(self: Any, *args: Any, **kwargs: Any) -> Any:
            method.check_arguments(args, kwargs)
            return function(self, *args, **kwargs)

        return check  # type: ignore[return-value]

    return decorate


def on_first_use(
    load: Callable[[], Callable[P, _Plan[T]]],
    doc: str | None = None,
    *,
    instance: InstanceRule | None = None,
) -> Method[P, T]:
    """A Method whose plan `load()` reads from its module when the method is first used
    (called, bound, or its signature read), not when the table is built: the table names
    every plan, and resolving them all at once imported the launch, reconcile, job-runner
    and waiter modules (~30 ms of each `gpueater` call, issue 25) for the one or two
    methods a command runs. mypy still reads each plan's type through the lambda."""
    method: Method[P, T] = Method.__new__(Method)
    method._plan, method._load = None, load
    method.instance, method._plan_signature, method._doc = instance, None, doc
    return method


def _no_arguments(name: str, summary: str) -> Method[[], Any]:
    """A read that takes no arguments; its result type comes from the annotation."""

    def plan() -> _Plan[Any]:
        # What `_plans.call` does for a read without a form, without importing its module
        # (forms, instance arguments: ~10 ms of `gpueater instances`, issue 25).
        result = yield Call(name)
        return result

    plan.__name__ = plan.__qualname__ = name
    return Method(plan, f"{summary} ({OPERATIONS[name].endpoint})")


def _api_list() -> _Plan[list[ApiFunction]]:
    """Every function of the API: name, group, since (version) and endpoint."""
    from gpueater_ext._api_list import api_functions

    return api_functions()
    yield  # a plan with no effects: the bare yield makes this function a generator


class Methods:
    """Every function of the service's README, for both clients (see the module docstring)."""

    # Image
    image_list: Method[[], list[Image]] = _no_arguments("image_list", "List all OS images.")
    registered_image_list: Method[[], list[UserImage]] = _no_arguments(
        "registered_image_list", "List the user's own images."
    )
    create_image = on_first_use(lambda: plans.create_image, instance="form")
    import_image = on_first_use(lambda: plans.import_image)
    delete_image = on_first_use(lambda: plans.delete_image)
    snapshot_instance = on_first_use(lambda: plans.snapshot_instance, instance="form")
    snapshot_list = on_first_use(lambda: plans.snapshot_list, instance="form")
    change_snapshot_tag = on_first_use(lambda: plans.change_snapshot_tag)
    delete_snapshot = on_first_use(lambda: plans.delete_snapshot)
    restore_from_snapshot = on_first_use(lambda: plans.restore_from_snapshot, instance="form")
    # SSH Key
    ssh_key_list: Method[[], list[SshKey]] = _no_arguments(
        "ssh_key_list", "List the registered SSH keys."
    )
    generate_ssh_key: Method[[], SshKeyPair] = _no_arguments(
        "generate_ssh_key",
        "Generate a key pair (nothing is registered); the private key is a secret.",
    )
    register_ssh_key = on_first_use(lambda: plans.register_ssh_key)
    delete_ssh_key = on_first_use(lambda: plans.delete_ssh_key)
    # Instance
    ondemand_list: Method[[], LaunchCatalog] = _no_arguments(
        "ondemand_list",
        "The on-demand launch catalog: products, images and SSH keys, with find-helpers.",
    )
    subscription_list: Method[[], SubscriptionCatalog] = _no_arguments(
        "subscription_list", "The subscription launch catalog: subscriptions, images and SSH keys."
    )
    launch_ondemand_instance = on_first_use(lambda: plans.launch_ondemand_instance)
    launch_subscription_instance = on_first_use(lambda: plans.launch_subscription_instance)
    launch_subcription_instance = launch_subscription_instance  # the seed's spelling
    instance_list: Method[[], list[Instance]] = _no_arguments(
        "instance_list", "List the instances that have not been terminated."
    )
    change_instance_tag = on_first_use(lambda: plans.change_instance_tag, instance="form")
    start_instance = on_first_use(lambda: plans.start_instance, instance="form")
    stop_instance = on_first_use(lambda: plans.stop_instance, instance="form")
    restart_instance = on_first_use(lambda: plans.restart_instance, instance="form")
    terminate_instance = on_first_use(lambda: plans.terminate_instance, instance="form")
    emergency_restart_instance = on_first_use(
        lambda: plans.emergency_restart_instance, instance="form"
    )
    # Network
    port_list = on_first_use(lambda: plans.port_list, instance="form")
    open_port = on_first_use(lambda: plans.open_port, instance="form")
    close_port = on_first_use(lambda: plans.close_port, instance="form")
    renew_ipv4 = on_first_use(lambda: plans.renew_ipv4, instance="form")
    refresh_ipv4 = on_first_use(lambda: plans.refresh_ipv4, instance="form")
    network_description = on_first_use(lambda: plans.network_description, instance="form")
    # Storage
    create_volume = on_first_use(lambda: plans.create_volume)
    attach_volume = on_first_use(lambda: plans.attach_volume)
    detach_volume = on_first_use(lambda: plans.detach_volume)
    delete_volume = on_first_use(lambda: plans.delete_volume)
    transfer_volume = on_first_use(lambda: plans.transfer_volume)
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
    subscribe_instance = on_first_use(lambda: plans.subscribe_instance)
    unsubscribe_instance = on_first_use(lambda: plans.unsubscribe_instance)
    subscribe_storage = on_first_use(lambda: plans.subscribe_storage)
    unsubscribe_storage = on_first_use(lambda: plans.unsubscribe_storage)
    subscribe_network = on_first_use(lambda: plans.subscribe_network)
    unsubscribe_network = on_first_use(lambda: plans.unsubscribe_network)
    # Special
    live_migration = on_first_use(lambda: plans.live_migration, instance="form")
    cancel_transaction = on_first_use(lambda: plans.cancel_transaction)
    peak_transaction = on_first_use(lambda: plans.peak_transaction)
    # Payment
    invoice_list: Method[[], list[Invoice]] = _no_arguments(
        "invoice_list", "List the on-demand invoices."
    )
    subscription_invoice_list: Method[[], list[Invoice]] = _no_arguments(
        "subscription_invoice_list", "List the subscription invoices."
    )
    make_invoice = on_first_use(lambda: plans.make_invoice)
    # Extensions (client-side: the system's OpenSSH client, see `_plans.ssh`)
    login_instance = on_first_use(lambda: plans.login_instance, instance="form")
    run_command = on_first_use(lambda: plans.run_command, instance="form")
    capture_command = on_first_use(lambda: plans.capture_command, instance="form")
    copy_file = on_first_use(lambda: plans.copy_file, instance="form")
    move_file = on_first_use(lambda: plans.move_file, instance="form")
    delete_file = on_first_use(lambda: plans.delete_file, instance="form")
    make_directory = on_first_use(lambda: plans.make_directory, instance="form")
    file_list = on_first_use(lambda: plans.file_list, instance="form")
    synchronize_files = on_first_use(lambda: plans.synchronize_files, instance="form")
    tunnel = on_first_use(lambda: plans.tunnel, instance="form")
    ssh_config = on_first_use(lambda: plans.ssh_config)
    # Jobs (client-side: a task on an instance, from launch to teardown; see `_jobs.runner`)
    run = on_first_use(lambda: jobs.run)
    # Class API
    api_list = Method(_api_list)
    # Waiters (client-side, not functions of the service)
    wait_for_instance = on_first_use(lambda: plans.wait_for_instance, instance="model")
    wait_for_ssh = on_first_use(lambda: plans.wait_for_ssh, instance="model")
    wait_for_transaction = on_first_use(lambda: plans.wait_for_transaction)
    wait_for_image = on_first_use(lambda: plans.wait_for_image)
