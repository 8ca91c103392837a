"""Import httpx without its command-line module, which nothing here uses.

httpx's `__init__` runs `from ._main import main` (its `httpx` command) whenever click and
rich are installed, and the `gpueater` CLI installs both: that one line imports click, rich
and pygments, about 90 ms of every `gpueater` call (issue 25; `python -X importtime`).

`defer_httpx_main()` (called once by `gpueater_ext/__init__.py`, before any module of ours
imports httpx) puts a one-shot finder first on `sys.meta_path`. When httpx itself is first
imported, the finder hands the normal spec back with a loader that, while httpx's `__init__`
runs, makes `httpx._main` unimportable (a `None` in `sys.modules`, which Python documents
as "raise ImportError"): httpx's own `except ImportError` fallback then defines a stub, which
we replace by a module `__getattr__` (PEP 562) that imports the real `httpx._main` on first
use of `httpx.main`. Then the finder removes itself. Afterwards nothing differs for anyone:
`httpx.main` is httpx's own click command, `import httpx._main` imports it as usual, and
`sys.modules` holds no placeholder. If httpx is already imported, nothing is done.

The assumptions (httpx's `__init__` imports `_main` and falls back on ImportError) are
pinned by tests/sdk/test_lazy_exports.py: if an httpx upgrade changes them, a test fails
rather than `httpx.main` breaking silently.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importlib.abc imports importlib.resources: ~20 ms at run time
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec

__all__ = ["defer_httpx_main"]

_MAIN = "httpx._main"


class _Loader:
    """httpx's own loader, with `httpx._main` unimportable while its `__init__` runs."""

    def __init__(self, real: Loader) -> None:
        self._real = real

    def create_module(self, spec: ModuleSpec) -> types.ModuleType | None:
        return self._real.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        if _MAIN in sys.modules:  # imported for real already: nothing left to defer
            self._real.exec_module(module)
            return
        sys.modules[_MAIN] = None  # type: ignore[assignment]  # documented: import fails
        try:
            self._real.exec_module(module)
        finally:
            if sys.modules.get(_MAIN, ...) is None:
                del sys.modules[_MAIN]
        # Replace httpx's "dependencies not installed" stub by the real command, on demand.
        del module.main
        module.__getattr__ = _real_main_on_demand(module)  # type: ignore[method-assign]


def _real_main_on_demand(httpx: types.ModuleType) -> Any:
    def __getattr__(name: str) -> Any:
        if name != "main":
            raise AttributeError(f"module 'httpx' has no attribute {name!r}")
        main = importlib.import_module(_MAIN).main
        httpx.main = main  # type: ignore[attr-defined]  # later lookups skip this function
        return main

    return __getattr__


class _Finder:
    """Finds nothing itself: wraps the loader of the spec the other finders find for httpx."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname != "httpx":
            return None
        _remove(self)  # one shot, and no recursion into this finder below
        spec = importlib.util.find_spec(fullname)  # what the remaining finders find
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _Loader(spec.loader)  # type: ignore[assignment]  # a Loader by duck type
        return spec


def _remove(finder: _Finder) -> None:
    if finder in sys.meta_path:
        sys.meta_path.remove(finder)


def defer_httpx_main() -> None:
    """Arrange for httpx, when first imported, not to import its command-line module."""
    if "httpx" in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())
