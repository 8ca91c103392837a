"""The user's own images: `user-images` and `user-image create|import|delete`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from gpueater_ext.cli import _say
from gpueater_ext.cli._confirm import confirm_destroy
from gpueater_ext.cli._jobs import follow_job, job_wait_options
from gpueater_ext.cli._lookup import find_instance
from gpueater_ext.cli._names import pick_by_name
from gpueater_ext.cli._output import Column, print_json, print_object, print_table
from gpueater_ext.cli._state import CliState, output_option, pass_state, yes_option

if TYPE_CHECKING:
    from gpueater_ext import UserImage

__all__ = ["user_image", "user_images"]

BUILD_TIMEOUT_SECONDS = 1800.0

IMAGE_COLUMNS = (
    Column.field("FINGERPRINT", "fingerprint"),
    Column.field("NAME", "name"),
    Column.field("ALIAS", "alias"),
    Column.field("STATUS", "status"),
    Column("PROGRESS", lambda row: f"{row.get('progress') or 0}%", "right"),
    Column.field("GB", "volume", "right"),
    Column.field("CREATED", "created_at"),
)
IMAGE_FIELDS = ["fingerprint", "name", "alias", "status", "progress", "volume", "created_at"]


def _finish(state: CliState, started: UserImage, wait: bool, timeout: float, poll: float) -> None:
    """Print the image as the call left it, or, with --wait, once it is READY."""
    image = started
    if wait:
        client = state.client()
        image = follow_job(
            client.wait_for_image,
            started,
            label=f"building image {started.name} ({started.fingerprint})",
            succeeded="READY",
            goes_on="the image goes on building: see 'gpueater user-images'",
            timeout=timeout,
            poll=poll,
            show=state.chatty,
        )
    if state.json:
        print_json(image)
    else:
        failed = ["error_description"] if image.error_description else []
        print_object(image, [*IMAGE_FIELDS, *failed])


def _build_options(command: Any) -> Any:
    """The options of both ways to make an image (from an instance, from a URL)."""
    command = output_option(pass_state(command))
    command = job_wait_options(default_timeout=BUILD_TIMEOUT_SECONDS)(command)
    return click.option("--description", metavar="TEXT", help="A description of the image.")(
        command
    )


@click.command("user-images")
@output_option
@pass_state
def user_images(state: CliState) -> None:
    """Your own images, ready and being built (launch them by their alias)."""
    found = state.client().registered_image_list()
    if state.json:
        print_json(found)
    else:
        print_table(found, IMAGE_COLUMNS, empty="no user-defined images")


@click.group("user-image")
def user_image() -> None:
    """Build, import and delete your own images."""


@user_image.command("create")
@click.argument("instance")
@click.argument("name")
@_build_options
def create_image(
    state: CliState,
    instance: str,
    name: str,
    description: str | None,
    wait: bool,
    timeout: float,
    poll: float,
) -> None:
    """Build an image called NAME from INSTANCE's disk (--wait shows the build's progress)."""
    client = state.client()
    started = client.create_image(
        find_instance(client, instance), image_name=name, description=description
    )
    _finish(state, started, wait, timeout, poll)


@user_image.command("import")
@click.argument("url")
@click.argument("name")
@_build_options
def import_image(
    state: CliState,
    url: str,
    name: str,
    description: str | None,
    wait: bool,
    timeout: float,
    poll: float,
) -> None:
    """Register the image at URL (http or https) as NAME."""
    started = state.client().import_image(url=url, image_name=name, description=description)
    _finish(state, started, wait, timeout, poll)


@user_image.command("delete")
@click.argument("image_name", metavar="NAME_OR_FINGERPRINT")
@yes_option
@output_option
@pass_state
def delete_image(state: CliState, image_name: str) -> None:
    """Delete one of your images (by name, fingerprint, or a unique prefix of either)."""
    client = state.client()
    chosen = pick_by_name(
        client.registered_image_list(),
        image_name,
        kind="user-defined image",
        id_of=lambda image: image.fingerprint,
        label_of=lambda image: image.name,
    )
    shown = f"{chosen.name} ({chosen.fingerprint})"
    confirm_destroy("delete image", [shown], assume_yes=state.yes)
    client.delete_image(fingerprint=chosen.fingerprint)
    if state.json:
        print_json({"fingerprint": chosen.fingerprint, "name": chosen.name, "deleted": True})
    elif state.chatty:
        _say.echo(f"deleted image {shown}", err=True)
