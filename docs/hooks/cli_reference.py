"""MkDocs hook: the `gpueater` command, with every command group, for mkdocs-click.

The CLI registers its commands lazily: `gpueater_ext.cli.main` calls
`_commands.register(root)` before it parses anything, so importing `root` alone gives a
group without subcommands. docs/reference/cli.md points mkdocs-click at that same `root`
object; this hook registers the commands on it first, through the same function `main`
calls, so the reference shows exactly what the installed command offers and cannot drift
into a docs-only copy.
"""

from __future__ import annotations

from typing import Any

__all__ = ["on_config"]


def on_config(config: Any) -> Any:
    from gpueater_ext.cli._commands import register
    from gpueater_ext.cli._root import root

    if not root.commands:  # `mkdocs serve` calls this again on every rebuild
        register(root)
    return config
