"""MkDocs hook: the `gpueater` command, with every command group, for mkdocs-click.

The CLI registers its commands lazily: `gpueater_ext.cli.main` calls
`_commands.register_lazily(root)`, which imports a command's module only when it runs, so
importing `root` alone gives a group without subcommands. docs/reference/cli.md points
mkdocs-click at that same `root` object; this hook registers every command on it first
(`_commands.register`, from the same table `main` resolves names with), so the reference
shows exactly what the installed command offers and cannot drift into a docs-only copy.
"""

from __future__ import annotations

from typing import Any

__all__ = ["on_config"]


def on_config(config: Any) -> Any:
    from gpueater_ext.cli._commands import register
    from gpueater_ext.cli._root import root

    # Every time: `mkdocs serve` calls this on each rebuild, and a process that ran a
    # command first holds that command only (main registers lazily); register is idempotent.
    register(root)
    return config
