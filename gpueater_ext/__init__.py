"""gpueater_ext: the GPUEater SDK (GPUEater, AsyncGPUEater, their models and errors).

Importing reads no file and opens no connection; a client resolves its settings when made.
httpx and the generated client are imported when the first client is made, which keeps
`import gpueater_ext` quick for the command line.

The names below load on first use (PEP 562): `gpueater --help` and other commands that
never touch a client do not pay for importing the whole SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from gpueater_ext._httpx_main import defer_httpx_main

# Before any module of ours imports httpx: its CLI module (click, rich, pygments) costs
# about 90 ms of every `gpueater` call and is never used here (see _httpx_main).
defer_httpx_main()

if TYPE_CHECKING:
    from gpueater_ext._api_list import ApiFunction
    from gpueater_ext._async_client import AsyncGPUEater
    from gpueater_ext._bulk import BulkResult
    from gpueater_ext._catalog import (
        LaunchCatalog,
        SubscriptionCatalog,
        closest_names,
    )
    from gpueater_ext._client import GPUEater
    from gpueater_ext._config import (
        DEFAULT_PROFILE,
        DEFAULT_URL,
        Config,
        Credentials,
        InsecureConfigWarning,
        config_file_path,
        load_config,
        save_config,
    )
    from gpueater_ext._errors import (
        AmbiguousTagError,
        APIError,
        AuthenticationError,
        ConfigError,
        GPUEaterConnectionError,
        GPUEaterError,
        GPUEaterTimeoutError,
        InvalidArgumentError,
        NextStep,
        NotAppliedError,
        NotFoundError,
        OutcomeUnknownError,
        SSHError,
        UnexpectedResponseError,
        WaitFailedError,
        WaitTimeoutError,
    )
    from gpueater_ext._jobs import (
        Resources,
        RunEvent,
        RunInterrupted,
        RunResult,
        RunTeardownError,
        Task,
    )
    from gpueater_ext._models import (
        Image,
        Instance,
        InstanceStatus,
        Invoice,
        NetworkDescription,
        Plan,
        Port,
        PortList,
        Product,
        Snapshot,
        SshKey,
        SshKeyPair,
        StorageList,
        Subscription,
        Transaction,
        UserImage,
        Volume,
    )
    from gpueater_ext._plans import new_tag
    from gpueater_ext._retry import (
        NO_RETRY,
        Retry,
        RetryPolicy,
        retrying,
    )
    from gpueater_ext._ssh import (
        CommandResult,
        HostKeyChangedError,
        RemoteFileEntry,
        SshConfig,
        SshTarget,
        SyncItem,
        SyncResult,
        Tunnel,
        forget_host_key,
        known_hosts_file,
        save_ssh_key,
    )

# public name -> the private module that defines it
_EXPORTS: dict[str, str] = {
    "APIError": "gpueater_ext._errors",
    "ApiFunction": "gpueater_ext._api_list",
    "AsyncGPUEater": "gpueater_ext._async_client",
    "AuthenticationError": "gpueater_ext._errors",
    "BulkResult": "gpueater_ext._bulk",
    "closest_names": "gpueater_ext._catalog",
    "CommandResult": "gpueater_ext._ssh",
    "Config": "gpueater_ext._config",
    "config_file_path": "gpueater_ext._config",
    "ConfigError": "gpueater_ext._errors",
    "Credentials": "gpueater_ext._config",
    "DEFAULT_PROFILE": "gpueater_ext._config",
    "DEFAULT_URL": "gpueater_ext._config",
    "forget_host_key": "gpueater_ext._ssh",
    "GPUEater": "gpueater_ext._client",
    "GPUEaterConnectionError": "gpueater_ext._errors",
    "GPUEaterError": "gpueater_ext._errors",
    "GPUEaterTimeoutError": "gpueater_ext._errors",
    "HostKeyChangedError": "gpueater_ext._ssh",
    "Image": "gpueater_ext._models",
    "InsecureConfigWarning": "gpueater_ext._config",
    "Instance": "gpueater_ext._models",
    "InstanceStatus": "gpueater_ext._models",
    "InvalidArgumentError": "gpueater_ext._errors",
    "Invoice": "gpueater_ext._models",
    "known_hosts_file": "gpueater_ext._ssh",
    "LaunchCatalog": "gpueater_ext._catalog",
    "load_config": "gpueater_ext._config",
    "NetworkDescription": "gpueater_ext._models",
    "new_tag": "gpueater_ext._plans",
    "NO_RETRY": "gpueater_ext._retry",
    "NextStep": "gpueater_ext._errors",
    "AmbiguousTagError": "gpueater_ext._errors",
    "NotAppliedError": "gpueater_ext._errors",
    "NotFoundError": "gpueater_ext._errors",
    "OutcomeUnknownError": "gpueater_ext._errors",
    "Plan": "gpueater_ext._models",
    "Port": "gpueater_ext._models",
    "PortList": "gpueater_ext._models",
    "Product": "gpueater_ext._models",
    "RemoteFileEntry": "gpueater_ext._ssh",
    "Resources": "gpueater_ext._jobs",
    "Retry": "gpueater_ext._retry",
    "retrying": "gpueater_ext._retry",
    "RetryPolicy": "gpueater_ext._retry",
    "RunEvent": "gpueater_ext._jobs",
    "RunInterrupted": "gpueater_ext._jobs",
    "RunResult": "gpueater_ext._jobs",
    "RunTeardownError": "gpueater_ext._jobs",
    "save_config": "gpueater_ext._config",
    "save_ssh_key": "gpueater_ext._ssh",
    "Snapshot": "gpueater_ext._models",
    "SSHError": "gpueater_ext._errors",
    "SshKey": "gpueater_ext._models",
    "SshKeyPair": "gpueater_ext._models",
    "SshConfig": "gpueater_ext._ssh",
    "SshTarget": "gpueater_ext._ssh",
    "SyncItem": "gpueater_ext._ssh",
    "SyncResult": "gpueater_ext._ssh",
    "Task": "gpueater_ext._jobs",
    "Tunnel": "gpueater_ext._ssh",
    "StorageList": "gpueater_ext._models",
    "Subscription": "gpueater_ext._models",
    "SubscriptionCatalog": "gpueater_ext._catalog",
    "Transaction": "gpueater_ext._models",
    "UnexpectedResponseError": "gpueater_ext._errors",
    "UserImage": "gpueater_ext._models",
    "Volume": "gpueater_ext._models",
    "WaitFailedError": "gpueater_ext._errors",
    "WaitTimeoutError": "gpueater_ext._errors",
}

__all__ = [
    "DEFAULT_PROFILE",
    "DEFAULT_URL",
    "NO_RETRY",
    "APIError",
    "AmbiguousTagError",
    "ApiFunction",
    "AsyncGPUEater",
    "AuthenticationError",
    "BulkResult",
    "CommandResult",
    "Config",
    "ConfigError",
    "Credentials",
    "GPUEater",
    "GPUEaterConnectionError",
    "GPUEaterError",
    "GPUEaterTimeoutError",
    "HostKeyChangedError",
    "Image",
    "InsecureConfigWarning",
    "Instance",
    "InstanceStatus",
    "InvalidArgumentError",
    "Invoice",
    "LaunchCatalog",
    "NetworkDescription",
    "NextStep",
    "NotAppliedError",
    "NotFoundError",
    "OutcomeUnknownError",
    "Plan",
    "Port",
    "PortList",
    "Product",
    "RemoteFileEntry",
    "Resources",
    "Retry",
    "RetryPolicy",
    "RunEvent",
    "RunInterrupted",
    "RunResult",
    "RunTeardownError",
    "SSHError",
    "Snapshot",
    "SshConfig",
    "SshKey",
    "SshKeyPair",
    "SshTarget",
    "StorageList",
    "Subscription",
    "SubscriptionCatalog",
    "SyncItem",
    "SyncResult",
    "Task",
    "Transaction",
    "Tunnel",
    "UnexpectedResponseError",
    "UserImage",
    "Volume",
    "WaitFailedError",
    "WaitTimeoutError",
    "closest_names",
    "config_file_path",
    "forget_host_key",
    "known_hosts_file",
    "load_config",
    "new_tag",
    "retrying",
    "save_config",
    "save_ssh_key",
]


if not TYPE_CHECKING:
    # Hidden from mypy, which reads the typed imports above instead: a module __getattr__
    # it could see would answer any name, so `from gpueater_ext import _no_such_module`
    # would pass the type check (one stale import did, after the layout moved modules).

    def __getattr__(name: str) -> Any:
        module = _EXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value  # later lookups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted([*globals(), *__all__])
