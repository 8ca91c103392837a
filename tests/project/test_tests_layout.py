"""The suite's own layout: one folder per layer, helpers shared by several folders in one
home (tests/support), and no module that imports a conftest or a test module.

Importing a test module runs its tests a second time under another name when pytest collects
the importer, and importing another folder's conftest ties the two folders together (moving
or deleting one breaks the other, and fixtures end up defined twice).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
LAYERS = {
    "support",
    "sdk",
    "ssh",
    "cli",
    "emulator",
    "spec",
    "campaign",
    "compat",
    "docs",
    "project",
}


def imported_modules(path: Path) -> Iterator[str]:
    """The `tests.` modules a file imports (`from tests.x import y` yields tests.x.y too, since
    y may be a module)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("tests."))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not node.module.startswith("tests."):
                continue
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def modules() -> list[Path]:
    return sorted(TESTS.rglob("*.py"))


def test_every_test_file_lives_in_a_layer_folder():
    stray = [
        str(path.relative_to(TESTS))
        for path in modules()
        if path.parent == TESTS and path.name not in {"__init__.py", "conftest.py"}
    ]
    assert stray == []
    folders = {path.relative_to(TESTS).parts[0] for path in modules() if path.parent != TESTS}
    assert folders <= LAYERS, folders - LAYERS


def test_no_module_imports_a_conftest_or_a_test_module():
    found = []
    for path in modules():
        for module in imported_modules(path):
            last = module.rsplit(".", 1)[-1]
            if last == "conftest" or last.startswith("test_"):
                found.append(f"{path.relative_to(TESTS)} imports {module}")
    assert found == []


def test_a_folder_imports_only_itself_and_tests_support():
    found = []
    for path in modules():
        relative = path.relative_to(TESTS)
        own = relative.parts[0] if len(relative.parts) > 1 else None
        allowed = {"support"} if own in (None, "support") else {"support", own}
        for module in imported_modules(path):
            parts = module.split(".")
            if len(parts) > 1 and parts[1] not in allowed:
                found.append(f"{relative} imports {module}")
    assert found == []


def test_the_rules_above_see_what_they_look_for(tmp_path: Path):
    """The checks read real imports: a file that breaks them is caught."""
    offender = tmp_path / "offender.py"
    offender.write_text(
        "from tests.cli.conftest import Cli\nimport tests.ssh.test_sync\n", encoding="utf-8"
    )
    assert set(imported_modules(offender)) == {
        "tests.cli.conftest",
        "tests.cli.conftest.Cli",
        "tests.ssh.test_sync",
    }
