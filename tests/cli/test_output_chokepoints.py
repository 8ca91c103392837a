"""No CLI module writes to the terminal except through the escaping chokepoints.

`_say` (messages, warnings, errors, prompts), `_output` with `_table` and `_data_formats`
(tables, key/value lines, JSON, YAML, CSV) and
`_progress` (rich's status line, given Text) escape service text with `printable`; a
command that called click.echo or print itself could forget to. This reads the source of
every module of gpueater_ext/cli and fails on any such call elsewhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

import gpueater_ext.cli

CLI_FOLDER = Path(gpueater_ext.cli.__file__).parent
WRITERS = {
    "click.echo",
    "click.secho",
    "click.prompt",
    "click.confirm",
    "click.echo_via_pager",
    "click.clear",
    "print",
    "sys.stdout.write",
    "sys.stderr.write",
    "Console",
    "json.dump",
    "traceback.print_exc",
    "traceback.print_exception",
    "logging.StreamHandler",
    "yaml.dump",
    "yaml.safe_dump",
    "csv.writer",
}
ALLOWED = {
    "_say.py": {"click.echo", "click.prompt", "click.confirm", "click.clear"},
    "_table.py": {"Console"},  # printable() cells, given to rich as Text
    # JSON and YAML escape controls themselves (ensure_ascii, allow_unicode=False); CSV
    # cells are printable() and defused against formulas.
    "_data_formats.py": {"json.dump", "sys.stdout.write", "yaml.safe_dump", "csv.writer"},
    "_progress.py": {"Console"},  # lines are printable() Text
    "_state.py": {"logging.StreamHandler"},  # --debug: its formatter applies printable()
}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    return ""


def writers_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = {_name(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    return calls & WRITERS


def test_only_the_chokepoints_write_to_the_terminal() -> None:
    found = {
        path.name: writers_in(path) - ALLOWED.get(path.name, set())
        for path in sorted(CLI_FOLDER.glob("*.py"))
    }
    assert {name: calls for name, calls in found.items() if calls} == {}


def test_the_scan_sees_a_direct_write(tmp_path: Path) -> None:
    module = tmp_path / "cmd_new.py"
    module.write_text("import click\n\ndef f(tag):\n    click.echo(f'tag {tag}')\n")
    assert writers_in(module) == {"click.echo"}
