"""What TAB offers for each parameter: instance names, products, images, keys, local paths.

Names come from `_name_cache` (a minute old at most), so a warm TAB reads one small file
and never touches the network. On a miss it asks the service once, bounded: one request
with a 1.5 s timeout, no retries, at most `QUICK_FETCH_SECONDS` in all; the answer fills
the cache for the next TAB, and a failure is remembered for a few seconds, so TAB after
TAB against a service that is down answers at once. Completion never prints: a broken
config, cache or service means no names, never a message or a traceback in the user's
command line.

Which parameters complete what is decided here, by parameter name, for every command at
once (`attach`), rather than on each declaration: a new command taking an `instance`
argument completes instance names without anyone remembering to say so (a test walks every
command to hold that). Paths: the SRC and DST of `cp`, `mv` and `sync` complete local
paths with the shell's own file completion (as click.Path options already do). A remote
`INSTANCE:PATH` is not completed: listing a remote folder is an SSH round trip, far over a
TAB's budget, and bash splits words at `:` anyway; type `INSTANCE:` and the path, or look
first with `gpueater ls INSTANCE`.

Names the service returned are data, never trusted: one holding a control character is
not offered at all, one starting with `-` only when the user typed the `-`, and bash gets
every offered name backslash-escaped (`_shells`), so a tag such as `$(rm -rf ~)` lands in
the command line as that literal text; zsh and fish quote what they insert themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import click
from click.shell_completion import CompletionItem

if TYPE_CHECKING:
    from gpueater_ext._config import Config
    from gpueater_ext.cli._name_cache import Name, NameCache

__all__ = [
    "COMPLETED_BY_NAME",
    "QUICK_FETCH_SECONDS",
    "LocalPath",
    "ProfileNames",
    "ServiceNames",
    "attach",
    "attach_command",
]

QUICK_FETCH_SECONDS = 2.0
_REQUEST_TIMEOUT_SECONDS = 1.5


class ServiceNames(click.types.StringParamType):
    """Text, completed with the names of one kind (`_name_cache.KINDS`) of the account."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        return [
            CompletionItem(name.value, help=name.help or None)
            for name in _offered(_names_of(ctx, self.kind), incomplete)
        ]


class ProfileNames(click.types.StringParamType):
    """Text, completed with the profiles of the config file the command would read (its
    top-level keys; nothing else of the file is offered, and nothing is cached)."""

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from gpueater_ext.cli._name_cache import Name

        names = [Name(profile, "profile") for profile in _profiles()]
        return [CompletionItem(name.value) for name in _offered(names, incomplete)]


class LocalPath(click.types.StringParamType):
    """Text, completed with the shell's own file completion."""

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        return [CompletionItem(incomplete, type="file")]


# Parameter name -> what it completes, for every command: (command path, parameter name)
# first, then the parameter name alone. Only text parameters are given a completion: a
# Choice or a click.Path completes by itself already.
COMPLETED_BY_NAME: dict[tuple[str, str] | str, click.types.StringParamType] = {
    "instance": ServiceNames("instances"),  # every INSTANCE argument
    "names": ServiceNames("instances"),  # start, stop, restart, terminate, ... INSTANCE...
    "product": ServiceNames("products"),  # launch --product, migrate --product
    "image": ServiceNames("images"),  # launch --image
    "ssh_key": ServiceNames("ssh_keys"),  # launch --ssh-key
    ("ssh-key delete", "name"): ServiceNames("ssh_keys"),
    "profile": ProfileNames(),  # gpueater --profile, before the command
    "global_profile": ProfileNames(),  # and after it
    "src": LocalPath(),  # cp, mv, sync: local side (INSTANCE:PATH is typed, see above)
    "dst": LocalPath(),
}


def attach(group: click.Group, path: str = "") -> None:
    """Give every text parameter of `group` and the commands under it the completion
    `COMPLETED_BY_NAME` names."""
    _attach_to(group, path)
    for name, command in group.commands.items():
        where = f"{path} {name}".strip()
        if isinstance(command, click.Group):
            attach(command, where)
        else:
            _attach_to(command, where)


def attach_command(command: click.Command, where: str) -> None:
    """`attach` for one command registered at `where` (a group: it and all under it; the
    root group, at "": its own options only, as its commands may load later)."""
    if isinstance(command, click.Group) and where:
        attach(command, where)
    else:
        _attach_to(command, where)


def _attach_to(command: click.Command, where: str) -> None:
    for param in command.params:
        if param.name is None or not isinstance(param.type, click.types.StringParamType):
            continue
        completed = COMPLETED_BY_NAME.get((where, param.name)) or COMPLETED_BY_NAME.get(param.name)
        if completed is not None:
            param.type = completed


def _profiles() -> list[str]:
    """The profiles of the config file this process would read, or none when it cannot be
    read (the same file checks as a command's: no FIFO or device is opened)."""
    import json

    from gpueater_ext._config import config_file_path
    from gpueater_ext._config_read import read_config_file

    try:
        content, _mode = read_config_file(config_file_path())
        document = json.loads(content.decode("utf-8-sig"))
    except Exception:
        return []
    if not isinstance(document, dict):
        return []
    return sorted(name for name, section in document.items() if isinstance(section, dict))


def _offered(names: Iterable[Name], incomplete: str) -> list[Name]:
    """The names that start with what was typed and are safe to put in a command line."""
    seen: set[str] = set()
    offered: list[Name] = []
    for name in names:
        value = name.value
        if not value.startswith(incomplete) or value in seen or not value.isprintable():
            continue
        if value.startswith("-") and not incomplete.startswith("-"):
            continue
        seen.add(value)
        offered.append(name)
    return offered


def _names_of(ctx: click.Context, kind: str) -> list[Name]:
    from gpueater_ext.cli._name_cache import NameCache

    config = _config_of(ctx)
    if config is None:
        return []
    cache = NameCache(config)
    names = cache.fresh(kind)
    if names is None and not cache.fetch_failed_recently():
        names = _quick_fetch(config, kind, cache)
    return names or []


def _config_of(ctx: click.Context) -> Config | None:
    """The account the command being typed would use (its --profile and --url, before or
    after the command), or None when there is none."""
    from gpueater_ext.cli._state import CliState

    root = ctx.find_root().params
    state = ctx.find_object(CliState)
    # The root's own callback does not run while completing; options after the command
    # store into the state as they are parsed.
    profile = (state.profile if state else None) or root.get("profile")
    url = (state.url if state else None) or root.get("url")
    try:
        from gpueater_ext._config import load_config

        return load_config(url=url, profile=profile)
    except Exception:
        return None


def _quick_fetch(config: Config, kind: str, cache: NameCache) -> list[Name]:
    """Ask the service for the names of `kind`, giving up after `QUICK_FETCH_SECONDS`.

    In a thread, so the bound holds whatever the network does; a fetch still running when
    the TAB gives up may yet fill the cache for the next one (the process exits at once,
    and a cache write is whole or absent)."""
    found: list[list[Name]] = []

    def fetch() -> None:
        try:
            found.append(_fetch(config, kind))
        except Exception:
            cache.note_failed_fetch()

    worker = threading.Thread(target=fetch, name="gpueater-completion-fetch", daemon=True)
    worker.start()
    worker.join(QUICK_FETCH_SECONDS)
    if not found and worker.is_alive():
        cache.note_failed_fetch()
    return found[0] if found else []


def _fetch(config: Config, kind: str) -> list[Name]:
    from gpueater_ext._retry import NO_RETRY
    from gpueater_ext.cli._name_cache import catalog_names, instance_names
    from gpueater_ext.cli._recording_client import RecordingClient

    options: dict[str, Any] = {
        "timeout": _REQUEST_TIMEOUT_SECONDS,
        "retry_policy": NO_RETRY,
        "session_cache": True,
        "call_deadline": QUICK_FETCH_SECONDS,
    }
    # The RecordingClient stores what it lists; the other kinds of a catalog come along.
    with RecordingClient(config=config, **options) as client:
        if kind == "instances":
            return instance_names(client.instance_list())
        return catalog_names(client.ondemand_list())[kind]
