"""gpueater_ext: the GPUEater SDK (GPUEater, AsyncGPUEater, their models and errors).

Importing reads no file and opens no connection; a client resolves its settings when made.
httpx and the generated client are imported when the first client is made, which keeps
`import gpueater_ext` quick for the command line.
"""

from gpueater_ext._api_list import ApiFunction
from gpueater_ext._async_client import AsyncGPUEater
from gpueater_ext._catalog import LaunchCatalog, SubscriptionCatalog, closest_names
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
    APIError,
    AuthenticationError,
    ConfigError,
    GPUEaterConnectionError,
    GPUEaterError,
    GPUEaterTimeoutError,
    InvalidArgumentError,
    NotAppliedError,
    NotFoundError,
    OutcomeUnknownError,
    SSHError,
    UnexpectedResponseError,
    WaitFailedError,
    WaitTimeoutError,
)
from gpueater_ext._models import (
    Image,
    Instance,
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
from gpueater_ext._retry import RetryPolicy

__all__ = [
    "DEFAULT_PROFILE",
    "DEFAULT_URL",
    "APIError",
    "ApiFunction",
    "AsyncGPUEater",
    "AuthenticationError",
    "Config",
    "ConfigError",
    "Credentials",
    "GPUEater",
    "GPUEaterConnectionError",
    "GPUEaterError",
    "GPUEaterTimeoutError",
    "Image",
    "InsecureConfigWarning",
    "Instance",
    "InvalidArgumentError",
    "Invoice",
    "LaunchCatalog",
    "NetworkDescription",
    "NotAppliedError",
    "NotFoundError",
    "OutcomeUnknownError",
    "Plan",
    "Port",
    "PortList",
    "Product",
    "RetryPolicy",
    "SSHError",
    "Snapshot",
    "SshKey",
    "SshKeyPair",
    "StorageList",
    "Subscription",
    "SubscriptionCatalog",
    "Transaction",
    "UnexpectedResponseError",
    "UserImage",
    "Volume",
    "WaitFailedError",
    "WaitTimeoutError",
    "closest_names",
    "config_file_path",
    "load_config",
    "new_tag",
    "save_config",
]
