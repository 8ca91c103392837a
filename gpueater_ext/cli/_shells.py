"""The completion scripts for bash, zsh and fish, and where `--install` puts them.

Underneath is click's completion protocol (`_GPUEATER_COMPLETE=bash_complete` and so on),
with three changes, registered over click's own classes by `register()`:

- **Nothing reaches the terminal but candidates.** Completing never prints a warning, a
  `--debug` log line or a traceback: any failure means no candidates.
- **bash gets its own script.** click's runs every candidate through word splitting and
  pathname expansion (`COMPREPLY+=($value)`) and `read` without `-r`, so a name with a space
  arrived as two words and one named `*` as the files of the current folder. Ours reads
  lines with `mapfile`, and the Python side sends each name backslash-escaped, so what is
  inserted is exactly the name, quoted as the shell needs (`Ubuntu16.04\\ x64`).
- zsh and fish use click's scripts unchanged: both quote what they insert themselves.

Install locations (the user's own, never system folders), each respecting the variables the
shell's own loader reads:

- bash: `$BASH_COMPLETION_USER_DIR/completions/gpueater`, else
  `${XDG_DATA_HOME:-~/.local/share}/bash-completion/completions/gpueater`, which
  bash-completion 2 loads when a command line starts with `gpueater`;
- zsh: `${ZDOTDIR:-~}/.zfunc/_gpueater`, which compinit loads once that folder is on `fpath`;
- fish: `${XDG_CONFIG_HOME:-~/.config}/fish/completions/gpueater.fish`, loaded by fish itself.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from pathlib import Path
from typing import Any, ClassVar

from click.shell_completion import (
    BashComplete,
    CompletionItem,
    FishComplete,
    ShellComplete,
    ZshComplete,
    add_completion_class,
)

__all__ = [
    "FOLDER_VARIABLES",
    "SHELLS",
    "Installation",
    "install",
    "install_path",
    "register",
    "script",
]

SHELLS = ("bash", "zsh", "fish")
# What `install_path` reads, named when a folder cannot be written.
FOLDER_VARIABLES = {
    "bash": "BASH_COMPLETION_USER_DIR, XDG_DATA_HOME and HOME",
    "zsh": "ZDOTDIR and HOME",
    "fish": "XDG_CONFIG_HOME and HOME",
}

# `$1` is the command as the user typed it (a path or `gpueater`).
_BASH_SCRIPT = """\
# bash completion for %(prog_name)s, from `%(prog_name)s completion bash`.
%(complete_func)s() {
    local line
    local -a lines
    COMPREPLY=()
    mapfile -t lines < <(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD="$COMP_CWORD" \\
%(complete_var)s=bash_complete "$1" 2>/dev/null)
    for line in "${lines[@]}"; do
        case ${line%%%%,*} in
            plain) COMPREPLY+=("${line#*,}") ;;
            file) compopt -o default ;;
            dir) compopt -o dirnames ;;
        esac
    done
    return 0
}
# nosort (bash 4.4+) keeps the tool's order: tags before ids, as `instances` lists them.
complete -o nosort -F %(complete_func)s %(prog_name)s 2>/dev/null ||
    complete -F %(complete_func)s %(prog_name)s
"""

_BASH_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./@%+,:=-")


def bash_escaped(value: str) -> str:
    """`value` as bash reads it back literally: every character that means something to
    the shell (space, quote, `$`, `*`, `~`, `;`, ...) behind a backslash."""
    return "".join(char if char in _BASH_SAFE else "\\" + char for char in value)


class _Quiet(ShellComplete):
    """Completion that prints nothing but candidates, whatever goes wrong."""

    def complete(self) -> str:
        # The process exits right after completing: these need no restoring.
        import logging  # here: `gpueater --help` needs none of it (issue 25)

        warnings.simplefilter("ignore")
        logging.disable(logging.CRITICAL)
        try:
            return super().complete()
        except Exception:
            return ""


class _Bash(_Quiet, BashComplete):
    source_template: ClassVar[str] = _BASH_SCRIPT

    def source(self) -> str:
        # click's check runs bash to print a warning; ours is in the script's fallback.
        return self.source_template % self.source_vars()

    def format_completion(self, item: CompletionItem[Any]) -> str:
        value = bash_escaped(item.value) if item.type == "plain" else item.value
        return f"{item.type},{value}"


class _Zsh(_Quiet, ZshComplete):
    pass


class _Fish(_Quiet, FishComplete):
    pass


_CLASSES: dict[str, type[ShellComplete]] = {"bash": _Bash, "zsh": _Zsh, "fish": _Fish}


def register() -> None:
    """Put these classes in place of click's for the three shells."""
    for name, cls in _CLASSES.items():
        add_completion_class(cls, name)


def script(shell: str, cli: Any, prog_name: str = "gpueater") -> str:
    """The completion script for `shell`."""
    complete_var = f"_{prog_name.replace('-', '_').upper()}_COMPLETE"
    return _CLASSES[shell](cli, {}, prog_name, complete_var).source()


def install_path(shell: str, environ: dict[str, str] | None = None) -> Path:
    """Where `--install` puts the script for `shell` (see the module docstring)."""
    env = dict(os.environ) if environ is None else environ
    home = Path(env.get("HOME") or Path.home())

    def folder(variable: str, default: Path) -> Path:
        # The XDG specification: a relative value is invalid and is ignored.
        value = env.get(variable)
        return Path(value) if value and os.path.isabs(value) else default

    if shell == "bash":
        data = folder("XDG_DATA_HOME", home / ".local" / "share")
        user_dir = folder("BASH_COMPLETION_USER_DIR", data / "bash-completion")
        return user_dir / "completions" / "gpueater"
    if shell == "zsh":
        return folder("ZDOTDIR", home) / ".zfunc" / "_gpueater"
    config = folder("XDG_CONFIG_HOME", home / ".config")
    return config / "fish" / "completions" / "gpueater.fish"


@dataclasses.dataclass(frozen=True)
class Installation:
    shell: str
    path: Path
    changed: bool  # False: the file already held this script
    next_steps: list[str]


def install(shell: str, text: str, environ: dict[str, str] | None = None) -> Installation:
    """Write the script where `shell` loads it: whole or not at all, and not again when it
    is already there."""
    from gpueater_ext._local_files import write_file

    path = install_path(shell, environ)
    data = text.encode()
    try:
        changed = path.read_bytes() != data
    except FileNotFoundError:
        changed = True
    if changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, data, mode=0o644)
    return Installation(shell, path, changed, _next_steps(shell, path))


def _next_steps(shell: str, path: Path) -> list[str]:
    if shell == "bash":
        loader = next(
            (
                found
                for found in (
                    Path("/usr/share/bash-completion/bash_completion"),
                    Path("/etc/bash_completion"),
                    Path("/opt/homebrew/etc/profile.d/bash_completion.sh"),
                    Path("/usr/local/etc/profile.d/bash_completion.sh"),
                )
                if found.exists()
            ),
            None,
        )
        if loader is not None:
            return [f"new bash shells load it (bash-completion is installed: {loader})"]
        return [
            "bash-completion, which loads it, is not installed here: install it (package "
            f"bash-completion), or add this line to ~/.bashrc: source '{path}'"
        ]
    if shell == "zsh":
        return [
            "add these lines to ~/.zshrc (if they are not there yet), before any other "
            f"compinit: fpath=('{path.parent}' $fpath); autoload -Uz compinit && compinit",
            "then open a new shell (if a completion cache hides it: rm -f ~/.zcompdump*)",
        ]
    return ["new fish shells load it"]
