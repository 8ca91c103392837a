"""A client library for accessing GPUEater"""
# The client classes load when first named (PEP 562), not with the package: the SDK
# imports the endpoint modules for their `_get_kwargs` alone, and `.client` brings attrs
# (~25 ms of each `gpueater` command, issue 25). Made from
# openapi/templates/package_init.py.jinja.

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(".client", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
