"""Every command the `gpueater` group offers, registered in one place.

`main` registers lazily (`register_lazily`): a command's module is imported only when that
command runs, so `gpueater instances` does not import the SSH, sync and job code of other
commands (importing every cmd_* module cost about 0.2 s of each call, issue 25). What
`gpueater --help` and TAB need of the others (name, first help paragraph, hidden) comes
from `_command_index.INDEX`, which tests/cli/test_start_up.py keeps equal to what the
modules define (`index()`; regenerate with `python -m gpueater_ext.cli._write_command_index`).
`register` imports everything at once: the docs' CLI reference hook uses it.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import click

__all__ = ["MODULES", "LazyGroup", "index", "register", "register_lazily"]

# module of gpueater_ext.cli -> its attributes that are commands (a tuple is spread)
MODULES: dict[str, tuple[str, ...]] = {
    "cmd_catalog": ("products", "images", "api_list"),
    "cmd_keys": ("ssh_keys", "ssh_key"),
    "cmd_launch": ("launch",),
    "cmd_instances": ("instances", "show", "LIFECYCLE_COMMANDS", "tag"),
    "cmd_network": ("ports", "port", "ip", "network"),
    "cmd_ssh": ("ssh",),
    "cmd_files": ("cp", "mv", "rm", "mkdir", "ls"),
    "cmd_sync": ("sync",),
    "cmd_run": ("run",),
    "cmd_lease": ("lease",),
    "cmd_gc": ("gc",),
    "cmd_job": ("job",),
    "cmd_tunnel": ("tunnel", "jupyter"),
    "cmd_ssh_config": ("ssh_config",),
    "cmd_storage": ("volumes", "volume"),
    "cmd_snapshots": ("snapshots", "snapshot"),
    "cmd_images": ("user_images", "user_image"),
    "cmd_subscriptions": ("plans", "subscriptions", "subscribe", "unsubscribe"),
    "cmd_payment": ("invoices", "invoice"),
    "cmd_migration": ("migrate", "transaction"),
    "cmd_configure": ("configure",),
    "cmd_emulator": ("emulator",),
    "cmd_completion": ("completion",),
}


def _commands_of(module_name: str) -> list[click.Command]:
    module = importlib.import_module(f"gpueater_ext.cli.{module_name}")
    found: list[click.Command] = []
    for attribute in MODULES[module_name]:
        value = getattr(module, attribute)
        found.extend(value if isinstance(value, tuple) else [value])
    return found


# click completes (instead of running a command) when this names a shell's protocol.
_COMPLETE_VAR = "_GPUEATER_COMPLETE"


def _completing() -> bool:
    """Whether this process answers TAB: only then are the completion types and shell
    classes needed (`_completion`, `_shells`, click.shell_completion: ~3 ms of every other
    call, issue 25). The types are StringParamType's subclasses: parsing, conversion and
    help read the same without them."""
    return bool(os.environ.get(_COMPLETE_VAR))


def _add(group: click.Group, command: click.Command, *, completion: bool = True) -> None:
    from gpueater_ext.cli._state import add_global_options

    add_global_options(command)
    group.add_command(command)
    if completion:
        from gpueater_ext.cli import _completion

        _completion.attach_command(command, command.name or "")


def register(group: click.Group) -> None:
    """Every command on `group` now (the docs' reference and `index()` need them all)."""
    from gpueater_ext.cli import _completion, _shells

    for module_name in MODULES:
        for command in _commands_of(module_name):
            _add(group, command)
    _completion.attach(group)
    _shells.register()


def _first_paragraph(command: click.Command) -> str | None:
    # All of the help that get_short_help_str reads (click stops at a blank line or \f).
    text = (command.help or "").split("\f", 1)[0]
    paragraph = text.split("\n\n", 1)[0].strip()
    return paragraph or None


def index(group: click.Group) -> dict[str, tuple[str, str | None, str | None, bool]]:
    """name -> (module, short_help, first help paragraph, hidden), of a registered group."""
    where = {
        command.name: module_name
        for module_name in MODULES
        for command in _commands_of(module_name)
    }
    return {
        name: (where[name], command.short_help, _first_paragraph(command), command.hidden)
        for name, command in sorted(group.commands.items())
    }


class LazyGroup(click.Group):
    """A group whose commands load from their module when first resolved by name."""

    lazy: dict[str, tuple[str, str | None, str | None, bool]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            for command in _commands_of(self.lazy[cmd_name][0]):
                if command.name not in self.commands:
                    _add(self, command, completion=_completing())
        return self.commands.get(cmd_name)

    def _summary(self, name: str) -> click.Command | None:
        """The loaded command, or a stand-in with just what a listing shows of it."""
        if name in self.commands or name not in self.lazy:
            return self.commands.get(name)
        _module, short_help, paragraph, hidden = self.lazy[name]
        return click.Command(name, help=paragraph, short_help=short_help, hidden=hidden)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click's own layout, from summaries: listing does not import every module.
        shown = [
            (name, command)
            for name in self.list_commands(ctx)
            if (command := self._summary(name)) is not None and not command.hidden
        ]
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in shown)
        with formatter.section("Commands"):
            formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in shown])

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        names = [
            (name, command)
            for name in self.list_commands(ctx)
            if name.startswith(incomplete)
            and (command := self._summary(name)) is not None
            and not command.hidden
        ]
        results: list[Any] = [
            CompletionItem(name, help=command.get_short_help_str()) for name, command in names
        ]
        # The options (click.Command's part), not the commands again (click.Group's part).
        results.extend(click.Command.shell_complete(self, ctx, incomplete))
        return results


def register_lazily(group: LazyGroup) -> None:
    """Every command on `group`, each imported when first resolved (see the docstring)."""
    from gpueater_ext.cli._command_index import INDEX

    group.lazy = dict(INDEX)
    if _completing():
        from gpueater_ext.cli import _completion, _shells

        _completion.attach(group)  # with the commands an earlier `main` here loaded
        _shells.register()
