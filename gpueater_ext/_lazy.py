"""Names of a sub-package that load on first use (PEP 562), for its one import point.

`_ssh`, `_plans` and `_jobs` each keep their public names in `__all__` and a table of
which of their modules defines each; importing the package loads none of those modules, and
a name's module loads when the name is first read. So the client can import the plans
without loading the SSH layer, which loads on the first SSH call, and the command line
pays only for the commands it runs. mypy reads each package's `TYPE_CHECKING` imports (the
same table, checked by tests/project/test_layers.py), so every name stays typed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["load_on_first_use"]


def load_on_first_use(
    package: str, exports: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The `__getattr__` and `__dir__` of `package`, whose name -> module table is `exports`
    (module names relative to the package) and whose globals are `namespace`."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value  # later lookups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *exports})

    return __getattr__, __dir__
