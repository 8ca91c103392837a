"""SSH keys: `ssh-keys` and `ssh-key generate|register|delete`."""

from __future__ import annotations

from pathlib import Path

import click

from gpueater_ext._errors import ConfigError, GPUEaterError
from gpueater_ext.cli import _say
from gpueater_ext.cli._confirm import confirm_destroy
from gpueater_ext.cli._lookup import find_registered_key
from gpueater_ext.cli._output import Column, print_json, print_object, print_table
from gpueater_ext.cli._state import CliState, output_option, pass_state, yes_option

__all__ = ["ssh_key", "ssh_keys"]

KEY_COLUMNS = (
    Column.field("ID", "id"),
    Column.field("NAME", "name"),
    Column.field("FINGERPRINT", "fingerprint"),
    Column.field("CREATED", "created_at"),
)


@click.command("ssh-keys")
@output_option
@pass_state
def ssh_keys(state: CliState) -> None:
    """Registered SSH keys."""
    keys = state.client().ssh_key_list()
    if state.json:
        print_json(keys)
    else:
        print_table(keys, KEY_COLUMNS, empty="no SSH keys registered")


@click.group("ssh-key")
def ssh_key() -> None:
    """Generate, register and delete SSH keys."""


@ssh_key.command()
@click.argument("name")
@click.option("--register", is_flag=True, help="Also register the public key under NAME.")
@output_option
@pass_state
def generate(state: CliState, name: str, register: bool) -> None:
    """Generate a key pair; the private key goes to ~/.ssh/NAME.pem (mode 0600).

    An existing file is never replaced.
    """
    from gpueater_ext._ssh import default_key_file, save_ssh_key

    if default_key_file(name).exists():
        raise ConfigError(
            f"{default_key_file(name)} already exists and is left as it is: "
            "choose another key name or move the file away"
        )
    client = state.client()
    pair = client.generate_ssh_key()
    path = save_ssh_key(name, pair.private_key)
    result: dict[str, object] = {"name": name, "private_key_file": str(path)}
    result["public_key"] = pair.public_key
    if register:
        try:
            registered = client.register_ssh_key(name=name, public_key=pair.public_key)
        except GPUEaterError:
            # The key file now exists, so running the same command again is refused; say how
            # to register the key that was kept (its public half is not saved anywhere).
            import shlex

            private, public = shlex.quote(str(path)), shlex.quote(f"{path}.pub")
            _say.echo(
                f"note: the private key was saved in {path} but not registered; register it "
                f"with: ssh-keygen -y -f {private} > {public} && "
                f"gpueater ssh-key register {shlex.quote(name)} --public-key-file {public}",
                err=True,
            )
            raise
        result["id"] = registered.id
    if state.json:
        print_json(result)
    else:
        print_object(result, ["name", "id", "private_key_file"] if register else None)


@ssh_key.command("register")
@click.argument("name")
@click.option(
    "--public-key-file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An OpenSSH public key file (such as ~/.ssh/id_ed25519.pub).",
)
@output_option
@pass_state
def register_key(state: CliState, name: str, public_key_file: Path) -> None:
    """Register an existing public key under NAME."""
    public_key = public_key_file.read_text(encoding="utf-8").strip()
    if "PRIVATE KEY" in public_key or not public_key.startswith(("ssh-", "ecdsa-", "sk-")):
        raise click.BadParameter(
            f"{public_key_file} is not an OpenSSH public key "
            "(expected one line like 'ssh-ed25519 AAAA...')",
            param_hint="--public-key-file",
        )
    registered = state.client().register_ssh_key(name=name, public_key=public_key)
    if state.json:
        print_json(registered)
    else:
        print_object(registered, ["id", "name", "fingerprint"])


@ssh_key.command("delete")
@click.argument("name")
@yes_option
@output_option
@pass_state
def delete_key(state: CliState, name: str) -> None:
    """Delete a registered key (by name or id). Running instances keep working."""
    client = state.client()
    key = find_registered_key(client, name)
    confirm_destroy("delete SSH key", [f"{key.name} ({key.id})"], assume_yes=state.yes)
    client.delete_ssh_key(id=key.id)
    if state.json:
        print_json({"id": key.id, "name": key.name, "deleted": True})
    elif state.chatty:
        _say.echo(f"deleted SSH key {key.name} ({key.id})", err=True)
