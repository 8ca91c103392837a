"""Argument lists for the OpenSSH client, and remote commands that mean exactly their words.

Rules this module enforces (the published clients broke each one):
- ssh is run from an argument list, never through a local shell.
- Every option comes before `--` and the destination, so nothing after it is parsed by ssh.
- The remote command is built once: each word quoted with `shlex.quote` for the remote POSIX
  shell (sshd hands the joined string to the login shell), so `$()`, backticks, `;`, globs,
  `~` and newlines in a word stay literal.
- A remote path that would read as an option, or as a find expression, gets a `./` prefix.
- Host keys are always checked, against the project's own known_hosts, under the alias.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh.target import SshTarget

__all__ = ["remote_command", "remote_path", "ssh_argv", "ssh_option_path"]


def remote_command(words: Sequence[str]) -> str:
    """One string for the remote shell that runs `words[0]` with exactly `words[1:]`."""
    if isinstance(words, str):
        raise TypeError("pass the remote command as a list of words, e.g. ['ls', '-l', path]")
    if not words:
        raise SSHError("the remote command is empty")
    for word in words:
        if "\0" in word:
            raise SSHError(f"a remote command word cannot hold a NUL character: {word!r}")
    return " ".join(shlex.quote(word) for word in words)


def remote_path(path: str) -> str:
    """The same remote path, spelled so no tool can read it as an option or expression.

    Relative paths are relative to the remote user's home folder; `~` is not expanded.
    """
    if not path:
        raise SSHError("a remote path cannot be empty")
    if "\0" in path:
        raise SSHError(f"a remote path cannot hold a NUL character: {path!r}")
    if path.startswith("/") or path in (".", "..") or path.startswith(("./", "../")):
        return path
    # '-x' would be an option for most tools, and '(' or '!' an expression for find.
    return "./" + path


def ssh_option_path(path: Path) -> str:
    """A file path as an ssh `-o` value: %-tokens escaped, then quoted for ssh's own parser.

    ssh expands `%h`-style tokens and splits on spaces in these options, and `-i` does not
    honour quoting at all, so key and known_hosts files always travel this way.
    """
    # Absolute, so ssh's own `~` expansion can never pick a different file than we checked.
    text = str(Path(path).absolute())
    if any(c in text for c in "\0\r\n"):
        raise SSHError(f"ssh cannot use a file path holding a line break: {text!r}")
    escaped = text.replace("%", "%%").replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def ssh_options(target: SshTarget, known_hosts: Path, *, batch: bool) -> list[str]:
    """Every ssh option the project uses; the user's ssh_config is not read (`-F none`).

    Ignoring ssh_config keeps a `Host *` block (StrictHostKeyChecking no, a ProxyCommand,
    agent forwarding, ControlMaster sharing) from changing what these calls do.
    """
    settings = {
        "IdentityFile": ssh_option_path(target.key_file),
        "IdentitiesOnly": "yes",
        "HostKeyAlias": target.host_key_alias,
        "StrictHostKeyChecking": "accept-new",
        "UserKnownHostsFile": ssh_option_path(known_hosts),
        # Only the project's file decides about gpueater-* aliases.
        "GlobalKnownHostsFile": "/dev/null",
        "CheckHostIP": "no",
        "UpdateHostKeys": "no",
        "HashKnownHosts": "no",
        "ConnectTimeout": str(target.connect_timeout),
        "ServerAliveInterval": "15",
        "ServerAliveCountMax": "4",
        "ForwardAgent": "no",
        "ForwardX11": "no",
        # Keeps "Permanently added ..." chatter off stderr; errors still show.
        "LogLevel": "ERROR",
    }
    if batch:
        # Never wait for a password or passphrase prompt nobody will answer.
        settings["BatchMode"] = "yes"
        settings["EscapeChar"] = "none"
    options = ["-F", "none"]
    for name, value in settings.items():
        options += ["-o", f"{name}={value}"]
    return [*options, "-p", str(target.port), "-l", target.user]


def ssh_argv(
    target: SshTarget,
    known_hosts: Path,
    remote_words: Sequence[str] | None,
    *,
    batch: bool = True,
    tty: bool = False,
    extra_options: Sequence[str] = (),
) -> list[str]:
    """`ssh <options> -- <host> [<remote command>]`; no remote command means a login shell.

    `extra_options` (for example `-N -L ...` for a tunnel) go with the other options.
    """
    argv = [target.ssh_program, *ssh_options(target, known_hosts, batch=batch)]
    if remote_words is not None:
        # A remote command gets a terminal only when asked: binary streams must stay intact.
        argv.append("-t" if tty else "-T")
    argv += [*extra_options, "--", target.host]
    if remote_words is not None:
        argv.append(remote_command(remote_words))
    return argv
