"""The layers of the source tree, and the rules between them, checked by reading the code.

The tree (the contributing page draws it):

- `generated/gpueater_client`: openapi-python-client's output from the spec;
- `gpueater_ext`: the SDK core (clients, session and transport, errors, config, models),
  with three private sub-packages, each behind one import point (its `__init__`, whose
  `__all__` it keeps and whose names load on first use, `gpueater_ext._lazy`):
  `gpueater_ext._plans` (what each method does, as plans of effects),
  `gpueater_ext._ssh` (the SSH layer, with the remote job supervisor) and
  `gpueater_ext._jobs` (the job runner);
- `gpueater_ext/cli`: the `gpueater` command;
- `gpueater`: the 1.5 module API over the SDK;
- `gpueater_emulator`: the local service and its pytest plugin;
- `scripts`: generation, drift check, demo, benchmarks.

The rules (each failure names the file, the line and the rule it breaks):

1. Outside `_plans`, `_ssh` and `_jobs`, no production module imports one of their modules
   (`gpueater_ext._ssh.argv`), only names of the package's `__all__` from its import point
   (`from gpueater_ext._ssh import ssh_argv`). Tests of one layer may import its modules.
2. `generated/gpueater_client` imports none of our packages (it is regenerated from the
   spec alone).
3. `gpueater_emulator` imports nothing of `gpueater_ext`, except its pytest plugin
   (`gpueater_emulator/pytest_plugin.py`), which uses the public SDK (`gpueater_ext`'s
   public names) to hand tests clients.
4. Nothing outside `gpueater_ext/cli` imports `gpueater_ext.cli` (the command is reached
   through its entry point, `gpueater_ext.cli:main`); in `gpueater_ext`, only the
   `gpueater emulator` command (`cli/cmd_emulator.py`) imports `gpueater_emulator`.
5. The SSH layer (`_ssh`) imports neither the plans, the job runner nor the CLI; the plans
   (`_plans`) import neither the job runner nor the CLI; the job runner (`_jobs`) does not
   import the CLI.

The import points themselves are checked too: each one's `__all__`, its table of names
(`_EXPORTS`) and the names it imports for mypy (`TYPE_CHECKING`) agree, every name
resolves, and no name is also a module of the package (it would be shadowed once the
module loads). And the client loads none of the SSH layer's modules before an SSH call.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = [
    "gpueater",
    "gpueater_ext",
    "gpueater_emulator",
    "scripts",
    "generated/gpueater_client",
]
SUBPACKAGES = ["_plans", "_ssh", "_jobs"]
OURS = ("gpueater", "gpueater_ext", "gpueater_emulator")


def production_files() -> list[Path]:
    return sorted(
        path
        for folder in PRODUCTION
        for path in (ROOT / folder).rglob("*.py")
        if "__pycache__" not in path.parts
    )


def module_name(path: Path) -> str:
    relative = path.relative_to(ROOT)
    if relative.parts[0] == "generated":
        relative = relative.relative_to("generated")
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """Every import of the file (at any depth): its line, the absolute module it names and
    the names it takes from it (empty for `import x`)."""
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, module] if module else base)
            yield node.lineno, module, [alias.name for alias in node.names]


def exported(subpackage: str) -> set[str]:
    init = ROOT / "gpueater_ext" / subpackage / "__init__.py"
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "__all__":
            return set(ast.literal_eval(node.value))
    raise AssertionError(f"{init}: no __all__")


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def layer_problems() -> list[str]:
    problems = []
    exports = {name: exported(name) for name in SUBPACKAGES}
    for path in production_files():
        me = module_name(path)
        for line, module, names in imports(path):
            here = where(path, line)
            for sub in SUBPACKAGES:
                point = f"gpueater_ext.{sub}"
                if within(me, point):
                    continue
                if module.startswith(point + "."):
                    problems.append(
                        f"{here}: imports {module}, a module of {point}; import the name "
                        f"from {point} (rule 1)"
                    )
                elif module == point:
                    for name in set(names) - exports[sub]:
                        problems.append(
                            f"{here}: takes {name} from {point}, which its __all__ does not "
                            "export (rule 1)"
                        )
                elif module == "gpueater_ext" and sub in names:
                    pass  # the import point itself: its names are checked where read
            if within(me, "gpueater_client") and module.split(".")[0] in OURS:
                problems.append(f"{here}: the generated client imports {module} (rule 2)")
            if (
                within(me, "gpueater_emulator")
                and within(module, "gpueater_ext")
                and not (
                    me == "gpueater_emulator.pytest_plugin"
                    and module == "gpueater_ext"
                    and not any(name.startswith("_") for name in names)
                )
            ):
                problems.append(
                    f"{here}: the emulator imports {module} {names}; only its pytest plugin "
                    "may, and only the public SDK (rule 3)"
                )
            if within(module, "gpueater_ext.cli") and not within(me, "gpueater_ext.cli"):
                problems.append(f"{here}: imports the CLI ({module}) from outside it (rule 4)")
            if (
                within(me, "gpueater_ext")
                and within(module, "gpueater_emulator")
                and me != "gpueater_ext.cli.cmd_emulator"
            ):
                problems.append(
                    f"{here}: imports the emulator; only `gpueater emulator` may (rule 4)"
                )
            forbidden = {
                "gpueater_ext._ssh": ("gpueater_ext._plans", "gpueater_ext._jobs"),
                "gpueater_ext._plans": ("gpueater_ext._jobs",),
                "gpueater_ext._jobs": (),
            }
            for layer, below in forbidden.items():
                if not within(me, layer):
                    continue
                taken = [module] + [f"{module}.{name}" for name in names]
                for other in (*below, "gpueater_ext.cli"):
                    if any(within(name, other) for name in taken):
                        problems.append(f"{here}: {layer} imports {other} (rule 5)")
    return problems


def test_the_layers_import_only_what_their_rules_allow():
    problems = layer_problems()
    assert not problems, "\n".join(problems)


def test_an_import_of_a_private_module_from_outside_is_reported(tmp_path, monkeypatch):
    """The scan itself finds a violation (so the test above cannot pass by finding nothing)."""
    intruder = ROOT / "gpueater_ext" / "cli" / "_layer_probe_for_tests.py"
    intruder.write_text("from gpueater_ext._ssh.argv import ssh_argv\n", encoding="utf-8")
    try:
        problems = layer_problems()
    finally:
        intruder.unlink()
    assert problems == [
        "gpueater_ext/cli/_layer_probe_for_tests.py:1: imports gpueater_ext._ssh.argv, a module"
        " of gpueater_ext._ssh; import the name from gpueater_ext._ssh (rule 1)"
    ]


def type_checking_imports(init: Path) -> dict[str, str]:
    """name -> the module (relative to the package) the `TYPE_CHECKING` block imports it from."""
    found = {}
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for child in node.body:
                assert isinstance(child, ast.ImportFrom)
                for alias in child.names:
                    found[alias.asname or alias.name] = (child.module or "").rsplit(".", 1)[1]
    return found


@pytest.mark.parametrize("subpackage", SUBPACKAGES)
def test_each_import_point_types_and_loads_the_names_it_exports(subpackage):
    import importlib

    package = importlib.import_module(f"gpueater_ext.{subpackage}")
    table: dict[str, str] = package._EXPORTS
    assert sorted(package.__all__) == sorted(table)
    assert type_checking_imports(ROOT / "gpueater_ext" / subpackage / "__init__.py") == table
    modules = {path.stem for path in (ROOT / "gpueater_ext" / subpackage).glob("*.py")}
    assert not set(table) & modules, "a name that is also a module is shadowed by the module"
    for name, module in table.items():
        value = getattr(package, name)
        defined_in = getattr(value, "__module__", None)
        if defined_in is not None and defined_in.startswith("gpueater_ext."):
            assert importlib.import_module(f"gpueater_ext.{subpackage}.{module}")
    with pytest.raises(AttributeError, match="no_such_name"):
        package.no_such_name  # noqa: B018


def test_the_clients_load_no_module_of_the_ssh_layer_before_an_ssh_call():
    code = (
        "import sys, gpueater_ext\n"
        "gpueater_ext.GPUEater, gpueater_ext.AsyncGPUEater, gpueater_ext.RunResult\n"
        "from gpueater_ext import _methods\n"
        "print(sorted(m for m in sys.modules if m.startswith('gpueater_ext._ssh')))\n"
    )
    shown = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert shown.strip() == "[]"


def blocking_problems() -> list[str]:
    """`Blocking` effects name the function that runs: built only by `blocking` (typed by
    its ParamSpec), with a function, never a name, as what runs; and no plan or job-runner
    code looks a function up by a name computed at run time (`getattr(module, name)`)."""
    problems = []
    home = ROOT / "gpueater_ext" / "_plans" / "effects.py"
    for path in production_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            called = node.func.attr if isinstance(node.func, ast.Attribute) else None
            called = node.func.id if isinstance(node.func, ast.Name) else called
            here = where(path, node.lineno)
            if called == "Blocking" and path != home:
                problems.append(f"{here}: builds Blocking itself; yield from blocking(...)")
            if called in ("blocking", "on_instance") and (
                not node.args or isinstance(node.args[0], ast.Constant)
            ):
                problems.append(f"{here}: {called} needs the function itself, not a name")
            if called in ("blocking", "on_instance") and any(
                isinstance(arg, ast.Constant)
                and isinstance(arg.value, str)
                and arg.value.isidentifier()
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id.endswith("_layer")
                for arg in node.args[1:]
            ):
                problems.append(f"{here}: dispatches a function by its name")
            in_plans = any(within(module_name(path), f"gpueater_ext.{p}") for p in SUBPACKAGES)
            if (
                in_plans
                and called == "getattr"
                and len(node.args) >= 2
                and not isinstance(node.args[1], ast.Constant)
                and not (isinstance(node.args[0], ast.Name) and node.args[0].id == "self")
            ):
                problems.append(f"{here}: looks a function up by a name computed at run time")
    return problems


def test_blocking_effects_run_functions_not_names():
    problems = blocking_problems()
    assert not problems, "\n".join(problems)


def test_a_blocking_effect_is_typed_by_its_function():
    from typing import assert_type

    from gpueater_ext._plans.effects import Blocking, Plan, blocking

    def plan() -> Plan[int]:
        length = yield from blocking(len, "abc")
        assert_type(length, int)  # mypy checks the type the plan receives
        return length

    def wrong() -> Plan[None]:  # mypy --strict must refuse this (else the ignore is unused)
        yield from blocking(len, 3)  # type: ignore[arg-type]

    steps = plan()
    effect = next(steps)
    assert effect == Blocking(len, ("abc",), {})
    with pytest.raises(StopIteration) as ended:
        steps.send(effect.function(*effect.args, **effect.kwargs))
    assert ended.value.value == 3
    assert wrong is not None
    with pytest.raises(TypeError, match="runs a function, not 'login_instance'"):
        Blocking("login_instance")  # type: ignore[arg-type]
