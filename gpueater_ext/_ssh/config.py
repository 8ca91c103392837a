"""ssh_config Host blocks for running instances, so plain `ssh gpueater-<label>-<tag>`,
rsync and editors reach them with the project's host keys and identities. `<label>` names
the service (`_ssh.target.service_label`, eight hex digits of its URL), so an emulator's
`web-1` and production's `web-1` are two names.

`ssh_config_text` renders the blocks; `write_ssh_config` keeps them in a file of the
project's own (`ssh_config` in the platformdirs config folder) and makes sure
`~/.ssh/config` includes it. A write replaces the blocks of its own service (so terminated
instances drop out) and keeps every other service's, as the file holds them
(`_other_services_blocks`: only blocks of the shape `_block` writes; anything else in the
file is dropped, as its header says):

- The `Include` line goes at the very top (an Include after a `Host` line would only apply
  inside that block), once, and the user's own text follows byte for byte.
- `~/.ssh/config` is read, changed and replaced under its lock (`_local_files`: parallel
  writers never lose each other's change, a kill leaves the old file or the new one, no
  temporary stays behind), keeps its mode, and its previous content is kept as
  `config.gpueater-backup`. A symlinked config (dotfile managers) is edited where the link
  points. The project's file is written the same way.

Every value is validated or quoted: a Host name is built from safe characters only, paths
go through `ssh_option_path` (quoted, %-escaped, no line breaks), and host, user and port
were checked by `SshTarget`; so no tag or path can add a directive of its own.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

import platformdirs

from gpueater_ext._errors import SSHError
from gpueater_ext._local_files import locked, write_locked
from gpueater_ext._ssh.argv import ssh_option_path
from gpueater_ext._ssh.keys import ssh_folder
from gpueater_ext._ssh.known_hosts import known_hosts_file
from gpueater_ext._ssh.target import SshTarget, service_label

if TYPE_CHECKING:
    from gpueater_ext._models import Instance

__all__ = [
    "HOST_PREFIX",
    "SshConfig",
    "SshConfigHost",
    "SshConfigUpdate",
    "host_names",
    "include_line",
    "project_ssh_config_file",
    "ssh_config_hosts",
    "ssh_config_text",
    "write_ssh_config",
]

HOST_PREFIX = "gpueater-"
BACKUP_SUFFIX = ".gpueater-backup"
_HEADER = (
    "# Written by gpueater (`gpueater ssh-config --write`), which rewrites this file whole:\n"
    "# edits here are lost. One Host block per RUNNING instance, of each service.\n"
)
_INCLUDE_COMMENT = "# Added by gpueater: Host blocks of your GPUEater instances.\n"
_UNSAFE_IN_HOST = re.compile(r"[^a-z0-9._-]+")
# ssh's Include expands globs (with backslash escapes) after reading the quoted word.
_GLOB_CHARACTERS = re.compile(r"([*?\[\\])")


@dataclass(frozen=True)
class SshConfigHost:
    """One Host block: `name` is what `ssh <name>` takes."""

    name: str
    instance_id: str
    tag: str | None
    target: SshTarget


@dataclass(frozen=True)
class SshConfigUpdate:
    """What `write_ssh_config` did: the file written, and whether `~/.ssh/config` changed
    (then `backup` holds its previous content, or is None when it did not exist)."""

    path: Path
    user_config: Path
    include_added: bool
    backup: Path | None


@dataclass(frozen=True)
class SshConfig:
    """The Host blocks of the RUNNING instances: `text` is the config file's content,
    `skipped` says why a RUNNING instance has no block, `written` is set by `write=True`."""

    text: str
    hosts: list[SshConfigHost]
    skipped: list[str]
    written: SshConfigUpdate | None = None


def project_ssh_config_file() -> Path:
    """`ssh_config` in the user's config folder for gpueater, beside its known_hosts."""
    return Path(platformdirs.user_config_dir("gpueater")) / "ssh_config"


def _safe_label(tag: str | None, instance_id: str) -> str:
    """A tag as a Host name part: lower case (ssh lowercases the host it is given), runs of
    anything but letters, digits, '.', '_' and '-' made one '-'; the id when nothing is left.
    """
    label = _UNSAFE_IN_HOST.sub("-", (tag or "").lower()).strip("-.")
    return label or instance_id.lower()


def host_names(instances: Iterable[Instance]) -> dict[str, str]:
    """instance_id -> `gpueater-<service label>-<safe tag>`, unique: tags that clash get
    `-<instance_id>`. The instances are one service's (`Instance.service_url`)."""
    ordered = sorted(instances, key=lambda instance: instance.instance_id)
    prefix = HOST_PREFIX + service_label(ordered[0].service_url if ordered else None) + "-"
    labels = {i.instance_id: _safe_label(i.tag, i.instance_id) for i in ordered}
    clashing = {label for label in labels.values() if list(labels.values()).count(label) > 1}
    names: dict[str, str] = {}
    for instance_id, label in labels.items():
        name = prefix + label
        if label in clashing:
            name += f"-{instance_id.lower()}"
        while name in names.values():  # a tag that spells another's "<tag>-<id>"
            name += f"-{instance_id.lower()}"
        names[instance_id] = name
    return names


def ssh_config_hosts(
    instances: Sequence[Instance], *, known_hosts: Path | None = None
) -> tuple[list[SshConfigHost], list[str]]:
    """Host blocks for the RUNNING instances that can be reached, and a note for each
    RUNNING instance that cannot (no address or key file name yet)."""
    running = [i for i in instances if i.state == "RUNNING"]
    names = host_names(running)
    hosts: list[SshConfigHost] = []
    skipped: list[str] = []
    for instance in running:
        try:
            target = SshTarget.for_instance(instance, known_hosts=known_hosts)
        except SSHError as problem:
            skipped.append(f"{instance.instance_id}: {problem}")
            continue
        name = names[instance.instance_id]
        hosts.append(SshConfigHost(name, instance.instance_id, instance.tag, target))
    return hosts, skipped


# The options a Host block sets: `_block` writes only these (mypy checks its list against
# them), and `_other_services_blocks` keeps only lines that set one of them.
_Option = Literal[
    "HostName",
    "Port",
    "User",
    "IdentityFile",
    "IdentitiesOnly",
    "HostKeyAlias",
    "UserKnownHostsFile",
    "GlobalKnownHostsFile",
    "StrictHostKeyChecking",
    "HashKnownHosts",
    "UpdateHostKeys",
    "CheckHostIP",
    "ServerAliveInterval",
    "ServerAliveCountMax",
]


def _block(host: SshConfigHost) -> str:
    target = host.target
    known_hosts = target.known_hosts if target.known_hosts is not None else known_hosts_file()
    # json.dumps: the tag on one line, every control character escaped.
    about = f"# instance {host.instance_id}, tag {json.dumps(host.tag)}"
    settings: list[tuple[_Option, str]] = [
        ("HostName", target.host.replace("%", "%%")),  # ssh expands %-tokens here
        ("Port", str(target.port)),
        ("User", target.user),
        ("IdentityFile", ssh_option_path(target.key_file)),
        ("IdentitiesOnly", "yes"),
        ("HostKeyAlias", target.host_key_alias),
        ("UserKnownHostsFile", ssh_option_path(known_hosts)),
        ("GlobalKnownHostsFile", "/dev/null"),
        ("StrictHostKeyChecking", "accept-new"),
        ("HashKnownHosts", "no"),  # a plain alias, whatever a `Host *` block says
        # ssh would rewrite the file by rename to update keys, racing forget_host_key's
        # in-place edits (see `_ssh.known_hosts`); it only ever appends without this.
        ("UpdateHostKeys", "no"),
        ("CheckHostIP", "no"),
        ("ServerAliveInterval", "15"),
        ("ServerAliveCountMax", "4"),
    ]
    lines = [about, f"Host {host.name}", *(f"    {name} {value}" for name, value in settings)]
    return "".join(line + "\n" for line in lines)


def ssh_config_text(hosts: Sequence[SshConfigHost], kept: Sequence[str] = ()) -> str:
    """The project's ssh_config file: a header, then `kept` blocks (other services'), then
    one block per host."""
    return _HEADER + "".join("\n" + block for block in (*kept, *map(_block, hosts)))


# The lines `_block` writes: the comment naming the instance, `Host gpueater-<label>-...`,
# then its settings, indented. What `_other_services_blocks` accepts from the file.
_ABOUT_LINE = re.compile(r"# instance [^\n]*")
_HOST_LINE = re.compile(r"Host " + re.escape(HOST_PREFIX) + r"(?P<label>[0-9a-f]{8})-[a-z0-9._-]+")
_SETTING_LINE = re.compile(r"    (" + "|".join(get_args(_Option)) + r") [^\n]+")


def _other_services_blocks(text: str, label: str) -> list[str]:
    """The Host blocks of the project's file that belong to services other than `label`'s,
    each as written; a block of any other shape (edited by hand) is not kept."""
    kept: list[str] = []
    lines = text.splitlines()
    starts = [number for number, line in enumerate(lines) if line.startswith("# instance ")]
    for start, end in itertools.pairwise([*starts, len(lines)]):
        block = [line for line in lines[start:end] if line.strip()]
        if len(block) < 2 or not _ABOUT_LINE.fullmatch(block[0]):
            continue
        host = _HOST_LINE.fullmatch(block[1])
        if host is None or host["label"] == label:
            continue
        if all(_SETTING_LINE.fullmatch(line) for line in block[2:]):
            kept.append("".join(line + "\n" for line in block))
    return kept


def include_line(path: Path) -> str:
    """`Include "<path>"`, escaped for ssh's glob and then for its quoted-word parser."""
    text = str(Path(path).absolute())
    if any(c in text for c in "\0\r\n"):
        raise SSHError(f"ssh cannot include a file whose path holds a line break: {text!r}")
    globbed = _GLOB_CHARACTERS.sub(r"\\\1", text)
    quoted = globbed.replace("\\", "\\\\").replace('"', '\\"')
    return f'Include "{quoted}"\n'


def _ensure_included(user_config: Path, include: str) -> tuple[bool, Path | None]:
    """Put `include` at the top of the user's config unless a line already says it.

    Returns (changed, backup path or None).
    """
    with locked(Path(os.path.realpath(user_config))) as real:
        try:
            current = real.read_bytes()
            mode = real.stat().st_mode & 0o7777
        except FileNotFoundError:
            current, mode = None, 0o600
        if current is not None and include.strip().encode() in (
            line.strip() for line in current.splitlines()
        ):
            return False, None
        backup = None
        if current is not None:
            backup = real.with_name(real.name + BACKUP_SUFFIX)
            write_locked(backup, current, mode=mode)  # the config's lock covers its backup
        elif not real.parent.exists():
            real.parent.mkdir(mode=0o700, parents=True)
            real.parent.chmod(0o700)  # mkdir's mode is filtered by the umask
        text = (_INCLUDE_COMMENT + include + "\n").encode() + (current or b"")
        write_locked(real, text, mode=mode)
    return True, backup


def write_ssh_config(
    hosts: Sequence[SshConfigHost],
    *,
    service_url: str | None,
    path: Path | None = None,
    user_config: Path | None = None,
) -> SshConfigUpdate:
    """Make `hosts` the blocks of `service_url`'s instances (None: the default service) in
    the project's ssh_config, keeping other services' blocks, and include the file from
    `~/.ssh/config`."""
    path = path if path is not None else project_ssh_config_file()
    user_config = user_config if user_config is not None else ssh_folder() / "config"
    if not path.parent.is_dir():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # ssh refuses a config file that others may write; 0600 like the rest of ~/.ssh.
    with locked(path) as real:
        try:
            current = real.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            current = ""
        kept = _other_services_blocks(current, service_label(service_url))
        write_locked(real, ssh_config_text(hosts, kept).encode())
    added, backup = _ensure_included(user_config, include_line(path))
    return SshConfigUpdate(path, user_config, added, backup)
