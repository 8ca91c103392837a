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


# (first, second) of each pair as the environment names them; the SDK's order.
_ENVIRONMENT_PAIRS = (
    ("email", "GPUEATER_EMAIL", "password", "GPUEATER_PASSWORD"),
    ("access_token", "GPUEATER_ACCESS_TOKEN", "secret_token", "GPUEATER_SECRET_TOKEN"),
)
_HOW = (
    "pass --email E --password-stdin, or --tokens-stdin (access token on the first line of "
    "stdin, secret token on the second), or set GPUEATER_ACCESS_TOKEN and "
    "GPUEATER_SECRET_TOKEN (or GPUEATER_EMAIL and GPUEATER_PASSWORD)"
)


def _read_line_from_stdin(what: str, option: str) -> str:
    value = sys.stdin.readline().rstrip("\r\n")
    if not value:
        raise CliUsageError(f"{option}: standard input held no {what}")
    return value


def _from_environment() -> dict[str, str] | None:
    """The first complete pair in the environment, or None; half a pair is an error."""
    for first, first_variable, second, second_variable in _ENVIRONMENT_PAIRS:
        values = os.environ.get(first_variable), os.environ.get(second_variable)
        if all(values):
            return {first: str(values[0]), second: str(values[1])}
        if any(values):
            missing = second_variable if values[0] else first_variable
            raise CliUsageError(f"{missing} is not set; set both halves of the pair or neither")
    return None


def _ask_credentials() -> dict[str, str]:
    if not can_ask():
        raise CliUsageError(f"no credentials given and no terminal to ask on: {_HOW}")
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


def _credentials(
    email: str | None,
    password_stdin: bool,
    access_token: str | None,
    secret_token_stdin: bool,
    tokens_stdin: bool,
) -> dict[str, str]:
    """Where the pair comes from: the options, else the environment, else hidden prompts."""
    if sum((email is not None, access_token is not None, tokens_stdin)) > 1:
        raise CliUsageError("give one of --email, --access-token and --tokens-stdin")
    if email is not None:
        if not password_stdin:
            raise CliUsageError("--email needs --password-stdin (the password is read from stdin)")
        return {"email": email, "password": _read_line_from_stdin("password", "--password-stdin")}
    if tokens_stdin:
        return {
            "access_token": _read_line_from_stdin("access token", "--tokens-stdin"),
            "secret_token": _read_line_from_stdin("secret token (second line)", "--tokens-stdin"),
        }
    if access_token is not None:
        if not secret_token_stdin:
            raise CliUsageError("--access-token needs --secret-token-stdin")
        _say.warning(
            "--access-token on the command line is visible to other users of this machine "
            "(ps) and kept in shell history; use --tokens-stdin or GPUEATER_ACCESS_TOKEN"
        )
        return {
            "access_token": access_token,
            "secret_token": _read_line_from_stdin("secret token", "--secret-token-stdin"),
        }
    if password_stdin or secret_token_stdin:
        raise CliUsageError(
            "--password-stdin needs --email; --secret-token-stdin needs --access-token"
        )
    return _from_environment() or _ask_credentials()


@click.command()
@click.option("--email", metavar="EMAIL", help="Log in with this email ...")
@click.option("--password-stdin", is_flag=True, help="... and the password read from stdin.")
@click.option(
    "--tokens-stdin",
    is_flag=True,
    help="Or with the access token and the secret token, one per line on stdin.",
)
@click.option(
    "--access-token",
    metavar="TOKEN",
    help="Or this access token (visible to other users: prefer --tokens-stdin) ...",
)
@click.option("--secret-token-stdin", is_flag=True, help="... and the secret token from stdin.")
@output_option
@pass_state
def configure(
    state: CliState,
    email: str | None,
    password_stdin: bool,
    tokens_stdin: bool,
    access_token: str | None,
    secret_token_stdin: bool,
) -> None:
    """Save credentials (and --url) as a profile in ~/.eater, after checking them.

    No secret needs the command line, where other users could see it: the pair comes from
    the options above (secrets on stdin), else from the environment (GPUEATER_ACCESS_TOKEN
    and GPUEATER_SECRET_TOKEN, or GPUEATER_EMAIL and GPUEATER_PASSWORD), else from hidden
    prompts on a terminal.
    """
    from gpueater_ext import DEFAULT_PROFILE, DEFAULT_URL, GPUEater, save_config

    service_url = state.url
    asking = not (email or password_stdin or access_token or secret_token_stdin or tokens_stdin)
    if service_url is None and asking and _from_environment() is None and can_ask():
        # Asked first, with the URL the profile (or GPUEATER_URL) names as the default:
        # without the question an interactive configure always went to production.
        current = state.config()
        service_url = _say.prompt(
            "Service URL",
            default=current.url if current else os.environ.get("GPUEATER_URL") or DEFAULT_URL,
        )
    values = _credentials(email, password_stdin, access_token, secret_token_stdin, tokens_stdin)
    with GPUEater(
        service_url,
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
