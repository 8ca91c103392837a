"""`gpueater configure`: check credentials by logging in, then save them as a profile."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from gpueater_ext.cli import _say
from gpueater_ext.cli._exit import CliUsageError
from gpueater_ext.cli._output import print_json
from gpueater_ext.cli._pickers import can_ask
from gpueater_ext.cli._state import CliState, output_option, pass_state

__all__ = ["configure"]


def _read_secret_from_stdin(option: str) -> str:
    secret = sys.stdin.readline().rstrip("\r\n")
    if not secret:
        raise CliUsageError(f"{option}: standard input was empty")
    return secret


def _ask_credentials() -> dict[str, str]:
    if not can_ask():
        raise CliUsageError(
            "no credentials given and no terminal to ask on: pass --email E --password-stdin "
            "or --access-token A --secret-token-stdin"
        )
    kind = _say.prompt("Log in with", type=click.Choice(["password", "token"]), default="password")
    if kind == "password":
        return {
            "email": _say.prompt("Email"),
            "password": _say.prompt("Password", hide_input=True),
        }
    return {
        "access_token": _say.prompt("Access token", hide_input=True),
        "secret_token": _say.prompt("Secret token", hide_input=True),
    }


@click.command()
@click.option("--email", metavar="EMAIL", help="Log in with this email ...")
@click.option("--password-stdin", is_flag=True, help="... and the password read from stdin.")
@click.option("--access-token", metavar="TOKEN", help="Or with this access token ...")
@click.option("--secret-token-stdin", is_flag=True, help="... and the secret token from stdin.")
@output_option
@pass_state
def configure(
    state: CliState,
    email: str | None,
    password_stdin: bool,
    access_token: str | None,
    secret_token_stdin: bool,
) -> None:
    """Save credentials (and --url) as a profile in ~/.eater, after checking them.

    Secrets are read from a hidden prompt or standard input, never from the command line,
    where other users could see them.
    """
    from gpueater_ext import DEFAULT_PROFILE, DEFAULT_URL, GPUEater, save_config

    if email is not None and access_token is not None:
        raise CliUsageError("give --email or --access-token, not both")
    if email is not None:
        if not password_stdin:
            raise CliUsageError("--email needs --password-stdin (the password is read from stdin)")
        values = {"email": email, "password": _read_secret_from_stdin("--password-stdin")}
    elif access_token is not None:
        if not secret_token_stdin:
            raise CliUsageError("--access-token needs --secret-token-stdin")
        values = {
            "access_token": access_token,
            "secret_token": _read_secret_from_stdin("--secret-token-stdin"),
        }
    elif password_stdin or secret_token_stdin:
        raise CliUsageError(
            "--password-stdin needs --email; --secret-token-stdin needs --access-token"
        )
    else:
        values = _ask_credentials()
    with GPUEater(
        state.url,
        email=values.get("email"),
        password=values.get("password"),
        access_token=values.get("access_token"),
        secret_token=values.get("secret_token"),
    ) as client:
        client.login()
        url = client.config.url
    # The profile names the service the credentials were checked against, whether that came
    # from --url, GPUEATER_URL or the profile itself: saving it only for --url dropped a
    # profile's url when configure ran again, and the next command went to production.
    if url != DEFAULT_URL:
        values["url"] = url
    profile = state.profile or os.environ.get("GPUEATER_PROFILE") or DEFAULT_PROFILE
    target = os.environ.get("GPUEATER_CONFIG")
    path = save_config(values, profile=profile, path=Path(target) if target else None)
    if state.json:
        print_json({"profile": profile, "path": str(path), "url": url})
    elif not state.quiet:
        _say.echo(f"logged in to {url}; saved profile {profile!r} in {path}", err=True)
