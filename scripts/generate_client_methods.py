"""Write gpueater_ext/_client_methods.py: the methods of both clients as real `def`s.

The method table (`gpueater_ext._methods.Methods`) declares each method once, as a plan;
help(), inspect, IDEs and documentation generators (mkdocstrings reads source statically)
need real definitions with the real signature, return type and docstring. This script
writes them from the table, one `def` per method and client; `@checked` checks its
arguments, and it only hands them to the table's `Method.prepared` and runs the plan.
tests/sdk/test_signatures.py fails when
the file differs from what this script writes now (`python scripts/generate_client_methods.py`
rewrites it).

    python scripts/generate_client_methods.py [--check]
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import gpueater_ext  # noqa: E402
from gpueater_ext._methods import Method, Methods  # noqa: E402

TARGET = ROOT / "gpueater_ext" / "_client_methods.py"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_BUILTINS = {"None", "str", "int", "float", "bool", "bytes", "list", "dict", "tuple", "object"}
_TYPING = {"Any": "typing", "Literal": "typing"}
_ABC = {"Callable", "Sequence", "Mapping", "Iterable"}

HEADER = '''# ruff: noqa: E501 (the plans' docstrings, indented one level deeper here)
"""The methods of GPUEater and AsyncGPUEater as real definitions (GENERATED).

Written by scripts/generate_client_methods.py from the method table (`_methods.Methods`),
so that help(), inspect, IDEs and documentation generators see each method's real
signature, return type and docstring. Each method's `@checked` checks its arguments; it
hands them to the table's `Method.prepared` (which resolves an instance argument) and runs
the plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gpueater_ext._methods import AsyncRunner, Methods, SyncRunner, checked

if TYPE_CHECKING:
'''


def methods() -> list[tuple[str, Method[..., object]]]:
    return [(name, value) for name, value in vars(Methods).items() if isinstance(value, Method)]


def result_type(name: str, method: Method[..., object]) -> str:
    """T of the plan's `Plan[T]`, or of the table's `Method[[], T]` annotation."""
    declared = Methods.__annotations__.get(name)
    if declared is not None:
        return str(declared).removeprefix("Method[[], ").removesuffix("]")
    returned = str(inspect.signature(method.plan).return_annotation)
    return returned.removeprefix("Plan[").removeprefix("_Plan[").removesuffix("]")


def home_of(identifier: str, plan: Callable[..., object]) -> str | None:
    """The module to import `identifier` from, for an annotation of `plan`: a sub-package's
    import point (`gpueater_ext._plans`, not its module `gpueater_ext._plans.ssh`)."""
    home = _defining_module(identifier, plan)
    if home is None or home.count(".") < 2:
        return home
    package = home.rsplit(".", 1)[0]
    return package if identifier in getattr(sys.modules[package], "__all__", ()) else home


def _defining_module(identifier: str, plan: Callable[..., object]) -> str | None:
    if identifier in _BUILTINS:
        return None
    if identifier in _TYPING:
        return _TYPING[identifier]
    if identifier in _ABC:
        return "collections.abc"
    if identifier in gpueater_ext._EXPORTS:
        return gpueater_ext._EXPORTS[identifier]
    module = sys.modules[plan.__module__]
    if identifier in getattr(module, "__all__", ()):
        return module.__name__
    value = getattr(module, identifier, None)
    home = getattr(value, "__module__", None)
    if isinstance(home, str) and home.startswith("gpueater_ext"):
        return home
    for other in sorted(sys.modules):  # an alias, exported by the module that defines it
        if other.startswith("gpueater_ext") and identifier in getattr(
            sys.modules[other], "__all__", ()
        ):
            return other
    raise SystemExit(f"cannot tell where {identifier} (in {plan}) comes from")


def _parameters(signature: inspect.Signature) -> tuple[list[str], list[str]]:
    """The `def`'s parameters (with `/` and `*` where the plan has them) and how the
    arguments are handed on to the plan."""
    parameters, passed = ["self"], []
    kinds = [p.kind for p in signature.parameters.values()]
    last_positional_only = max(
        (n for n, kind in enumerate(kinds) if kind is inspect.Parameter.POSITIONAL_ONLY),
        default=None,
    )
    for n, parameter in enumerate(signature.parameters.values()):
        if parameter.kind is parameter.KEYWORD_ONLY and "*" not in parameters:
            parameters.append("*")
        default = "" if parameter.default is parameter.empty else f" = {parameter.default!r}"
        parameters.append(f"{parameter.name}: {parameter.annotation}{default}")
        if n == last_positional_only:
            parameters.append("/")
        keyword = parameter.kind is parameter.KEYWORD_ONLY
        passed.append(f"{parameter.name}={parameter.name}" if keyword else parameter.name)
    return parameters, passed


def render() -> str:
    imports: dict[str, set[str]] = {}
    sync_defs, async_defs = [], []
    first_name: dict[int, str] = {}
    for name, method in methods():
        if id(method) in first_name:  # a second name of one method (the seed's spelling)
            alias = f"    {name} = {first_name[id(method)]}\n"
            sync_defs.append(alias)
            async_defs.append(alias)
            continue
        first_name[id(method)] = name
        signature = inspect.signature(method.plan)
        result = result_type(name, method)
        texts = [str(p.annotation) for p in signature.parameters.values()] + [result]
        for text in texts:
            for identifier in _IDENTIFIER.findall(_QUOTED.sub("", text)):
                home = home_of(identifier, method.plan)
                if home is not None:
                    imports.setdefault(home, set()).add(identifier)
        parameters, passed = _parameters(signature)
        doc = (method.doc or "").strip().replace('"""', r"\"\"\"")
        doc_lines = doc.splitlines()
        doc_text = "\n".join(
            [doc_lines[0], *[f"        {line}" if line else "" for line in doc_lines[1:]]]
        )
        closing = '\n        """' if len(doc_lines) > 1 else '"""'
        arguments = ", ".join(passed)
        head = ", ".join(parameters)
        call = f"Methods.{name}.prepared({arguments})"
        sync_defs.append(
            f"    @checked(Methods.{name})\n"
            f"    def {name}({head}) -> {result}:\n"
            f'        """{doc_text}{closing}\n'
            f"        return self._run({call})\n"
        )
        async_defs.append(
            f"    @checked(Methods.{name})\n"
            f"    async def {name}({head}) -> {result}:\n"
            f'        """{doc_text}{closing}\n'
            f"        return await self._run({call})\n"
        )
    standard = sorted(item for item in imports.items() if not item[0].startswith("gpueater"))
    ours = sorted(item for item in imports.items() if item[0].startswith("gpueater"))
    import_lines = [
        *(f"    from {home} import {', '.join(sorted(names))}\n" for home, names in standard),
        "\n",
        *(f"    from {home} import {', '.join(sorted(names))}\n" for home, names in ours),
    ]
    return (
        HEADER
        + "".join(import_lines)
        + '\n__all__ = ["AsyncClientMethods", "SyncClientMethods"]\n\n\n'
        + "class SyncClientMethods(SyncRunner):\n"
        + '    """The blocking methods of GPUEater, one per entry of the method table."""\n\n'
        + "\n".join(sync_defs)
        + "\n\nclass AsyncClientMethods(AsyncRunner):\n"
        + '    """The coroutine methods of AsyncGPUEater, one per entry of the method table."""\n\n'
        + "\n".join(async_defs)
    )


def formatted(text: str) -> str:
    """The text as `ruff format` leaves it (the project's formatter, so `make lint` agrees)."""
    import subprocess

    ruff = Path(sys.executable).parent / "ruff"
    return subprocess.run(  # noqa: S603 (the project's own ruff, fixed arguments)
        [str(ruff), "format", "--stdin-filename", str(TARGET), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout


def main() -> int:
    text = formatted(render())
    if "--check" in sys.argv[1:]:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET.relative_to(ROOT)} is stale: run {Path(__file__).name}")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
