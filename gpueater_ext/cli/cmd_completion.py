"""`gpueater completion [bash|zsh|fish] [--install]`: the shell completion script."""

from __future__ import annotations

import os

import click

from gpueater_ext.cli import _say, _shells
from gpueater_ext.cli._exit import CliUsageError
from gpueater_ext.cli._output import print_json
from gpueater_ext.cli._state import CliState, output_option, pass_state

__all__ = ["completion"]


def _shell_of_user() -> str:
    shell = os.path.basename(os.environ.get("SHELL", ""))
    if shell not in _shells.SHELLS:
        raise CliUsageError(
            f"cannot tell the shell from SHELL={shell or '(unset)'}; "
            f"name it: gpueater completion {'|'.join(_shells.SHELLS)}"
        )
    return shell


@click.command()
@click.argument("shell", type=click.Choice(_shells.SHELLS), required=False)
@click.option(
    "--install",
    is_flag=True,
    help="Write the script where the shell loads it from (your own folders), and say what "
    "else to do.",
)
@output_option
@pass_state
def completion(state: CliState, shell: str | None, install: bool) -> None:
    """Print the TAB completion script for SHELL (default: the one $SHELL names).

    TAB completes commands, options, instance tags and ids, products, images, SSH keys
    and local paths. Names come from a cache of at most a minute, refreshed by the
    commands that list them, so a TAB answers without waiting for the network.

    \b
    Load it once:    eval "$(gpueater completion bash)"     (in ~/.bashrc: each new shell)
    Or install it:   gpueater completion bash --install
    """
    shell = shell or _shell_of_user()
    root = click.get_current_context().find_root().command
    text = _shells.script(shell, root)
    if not install:
        if state.json:
            print_json({"shell": shell, "script": text})
        else:
            _say.echo(text, lines=True, nl=False)
        return
    try:
        done = _shells.install(shell, text)
    except OSError as error:
        where = error.filename or _shells.install_path(shell)
        raise click.ClickException(
            f"cannot write the {shell} completion script to {where} "
            f"({error.strerror or error}); check {_shells.FOLDER_VARIABLES[shell]}, or save "
            f"the output of `gpueater completion {shell}` where your shell loads it"
        ) from None
    if state.json:
        print_json(
            {
                "shell": done.shell,
                "path": str(done.path),
                "changed": done.changed,
                "next_steps": done.next_steps,
            }
        )
        return
    _say.echo(f"{'wrote' if done.changed else 'already up to date:'} {done.path}")
    if not state.quiet:
        for step in done.next_steps:
            _say.echo(f"next: {step}")
