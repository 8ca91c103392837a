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
import re
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


def is_probe(path: Path) -> bool:
    """A file a test below writes into the tree to show its scan finds what it looks for:
    only that test reads it, so a scan running meanwhile (another xdist worker) never does."""
    return path.name.endswith("_probe_for_tests.py")


def production_files(*, probes: bool = False) -> list[Path]:
    return sorted(
        path
        for folder in PRODUCTION
        for path in (ROOT / folder).rglob("*.py")
        if "__pycache__" not in path.parts and (probes or not is_probe(path))
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


def layer_problems(*, probes: bool = False) -> list[str]:
    problems = []
    exports = {name: exported(name) for name in SUBPACKAGES}
    for path in production_files(probes=probes):
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
        problems = layer_problems(probes=True)
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


# Dead references: a docstring or comment that names a file or module of ours that does not
# exist (any more). What counts as a reference: `folder/file.py` or `file.py` (`.md` too),
# a page's section named as `docs/guides/jobs.md, "Leases and gc"` (the page must have that
# heading: README sections moved into docs/ once, and the code's pointers were left behind),
# and a backticked module name: dotted from one of our packages (`gpueater_ext._ssh.argv`)
# or a private one (`_plans.launch`, `_instance_arg.resolved_form`).
SCANNED = ["gpueater", "gpueater_ext", "gpueater_emulator", "scripts", "tests"]
# Names prose uses for a user's files, not ours.
# The shared notes outside the repository, and the example file of a user's own tests.
NOT_OURS = {
    "train.py",
    "file.py",
    "folder/file.py",
    "api-notes.md",
    "design.md",
    "test_my_automation.py",
}
_SKIP = {".git", ".venv", "node_modules", "__pycache__", ".mypy_cache", ".pytest_cache"}
_PATH = re.compile(r"(?<![\w./-])((?:[\w.-]+/)*[\w-]+\.(?:py|md))\b")
_SECTION = re.compile(r"((?:[\w.-]+/)*[\w.-]+\.md|README),? (?:section )?\"([^\"]+)\"")
_TICKED = re.compile(r"`([\w.]+?)(?:\(\))?`")
_OURS_DOTTED = re.compile(r"(?:gpueater_ext|gpueater_emulator|gpueater_client)(?:\.\w+)+")
_PRIVATE = re.compile(r"_[a-z]\w*(?:\.\w+)*")


def repository_files() -> list[str]:
    found = []
    for path in ROOT.rglob("*"):
        if path.is_file() and not _SKIP & set(path.relative_to(ROOT).parts):
            found.append(path.relative_to(ROOT).as_posix())
    return found


def python_modules() -> dict[str, Path]:
    modules = {}
    for top in [*SCANNED, "generated/gpueater_client"]:
        for path in (ROOT / top).rglob("*.py"):
            if "__pycache__" not in path.parts:
                modules[module_name(path)] = path
    return modules


def defined_names(path: Path) -> set[str]:
    """What `module.name` may name: the module's top-level definitions and imports."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.If):  # TYPE_CHECKING imports
            for child in node.body:
                if isinstance(child, ast.ImportFrom):
                    names.update(a.asname or a.name for a in child.names)
    return names


def identifiers(modules: dict[str, Path]) -> set[str]:
    """Every name the code defines or uses: a backticked `_name` that is one of these is
    code (a function, a method), not a module."""
    names = set()
    for path in modules.values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.arg | ast.keyword) and node.arg is not None:
                names.add(node.arg)
    return names


def prose(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of the file's comments and docstrings (Makefiles: comment lines)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        for number, line in enumerate(text.splitlines(), 1):
            if "#" in line:
                yield number, line[line.index("#") :]
        return
    import io
    import tokenize

    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                value = body[0].value.value
                if isinstance(value, str):
                    for offset, line in enumerate(value.splitlines()):
                        yield body[0].lineno + offset, line


DEAD_REFERENCE_PROBE = ROOT / "gpueater_ext" / "cli" / "_dead_reference_probe_for_tests.py"


def dead_references(*, probes: bool = False) -> list[str]:
    files = repository_files()
    modules = python_modules()
    known = identifiers(modules)
    problems = []
    scanned = [ROOT / "Makefile", *sorted((ROOT / "mk").glob("*.mk"))]
    scanned += [p for top in SCANNED for p in sorted((ROOT / top).rglob("*.py"))]
    for path in scanned:
        if "__pycache__" in path.parts or (is_probe(path) and not probes):
            continue
        folder = path.parent.relative_to(ROOT).as_posix()
        for line, text in prose(path):
            for reference in _PATH.findall(text):
                if reference not in NOT_OURS and not _file_exists(reference, folder, files):
                    problems.append(f"{where(path, line)}: no file {reference}")
            for page, section in _SECTION.findall(text):
                if not _has_heading(page, section):
                    problems.append(f"{where(path, line)}: no section {section!r} in {page}")
            for ticked in _TICKED.findall(text):
                if not _module_reference_resolves(ticked, modules, known):
                    problems.append(f"{where(path, line)}: no module `{ticked}`")
    return problems


def _has_heading(page: str, section: str) -> bool:
    path = ROOT / ("README.md" if page == "README" else page)
    if not path.is_file():
        return False
    headings = re.findall(r"^#+ (.+?)\s*$", path.read_text(encoding="utf-8"), re.MULTILINE)
    return section in headings


def _file_exists(reference: str, folder: str, files: list[str]) -> bool:
    if reference in files or f"{folder}/{reference}" in files:
        return True
    return any(name.endswith("/" + reference) for name in files)


def _module_reference_resolves(ticked: str, modules: dict[str, Path], known: set[str]) -> bool:
    if ticked.endswith("_") or not (_OURS_DOTTED.fullmatch(ticked) or _PRIVATE.fullmatch(ticked)):
        return True  # not a module name of ours (`_gpueater_` is a prefix)
    parts = ticked.split(".")
    if _PRIVATE.fullmatch(ticked):
        homes = [name for name in modules if name.endswith("." + parts[0])]
        if not homes:
            return parts[0] in known  # a function or variable, not a module
        return any(_rest_resolves(home, parts[1:], modules) for home in homes)
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in modules:
            return _rest_resolves(prefix, parts[cut:], modules)
    return False


def _rest_resolves(module: str, rest: list[str], modules: dict[str, Path]) -> bool:
    """`module.rest...` names a submodule or a definition of the module."""
    while rest and f"{module}.{rest[0]}" in modules:
        module, rest = f"{module}.{rest[0]}", rest[1:]
    return not rest or rest[0] in defined_names(modules[module])


def test_docstrings_and_comments_name_files_and_modules_that_exist():
    problems = dead_references()
    assert not problems, "\n".join(problems)


def test_a_dead_reference_is_reported_with_its_line():
    """The scan itself finds dead references (so the test above cannot pass by finding none)."""
    DEAD_REFERENCE_PROBE.write_text(
        '"""See `_plans_launch`, `gpueater_ext._ssh.nothing` and gpueater_ext/_ssh_argv.py;\n'
        '`_plans.launch` and `gpueater_ext._ssh.argv.ssh_argv` exist."""\n'
        "# and scripts/no_such_script.py\n"
        '# docs/guides/jobs.md, "Leases and gc" is there; README, "Leases and gc" moved\n',
        encoding="utf-8",
    )
    try:
        problems = [p for p in dead_references(probes=True) if "_dead_reference_probe" in p]
    finally:
        DEAD_REFERENCE_PROBE.unlink()
    where = "gpueater_ext/cli/_dead_reference_probe_for_tests.py"
    assert problems == [
        f"{where}:3: no file scripts/no_such_script.py",
        f"{where}:4: no section 'Leases and gc' in README",
        f"{where}:1: no file gpueater_ext/_ssh_argv.py",
        f"{where}:1: no module `_plans_launch`",
        f"{where}:1: no module `gpueater_ext._ssh.nothing`",
    ]
