"""`gpueater launch`: choose product, image and key (by option or picker), launch, wait."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from gpueater_ext._cost import usd
from gpueater_ext._errors import GPUEaterError, WaitTimeoutError
from gpueater_ext._tags import check_tag
from gpueater_ext.cli import _say
from gpueater_ext.cli._costs import instance_costs
from gpueater_ext.cli._exit import CliUsageError
from gpueater_ext.cli._output import print_json
from gpueater_ext.cli._pickers import can_ask, pick
from gpueater_ext.cli._reach import instances_or_none
from gpueater_ext.cli._state import CliState, output_option, pass_state
from gpueater_ext.cli._tag_use import allow_duplicate_tag_option, refuse_tag_in_use
from gpueater_ext.cli._waiting import wait_for
from gpueater_ext.cli.cmd_instances import print_instance, with_ssh_line
from gpueater_ext.cli.cmd_subscriptions import find_subscription

if TYPE_CHECKING:
    from gpueater_ext import GPUEater, Instance, LaunchCatalog, Product, SubscriptionCatalog

__all__ = ["launch"]

WAIT_STATES = {"none": None, "running": "RUNNING", "ssh": "SSH"}


def _choose_product(catalog: LaunchCatalog, name: str | None, max_price: float | None) -> Product:
    if name is not None:
        # A product named exactly is looked up among limited ones too: accounts it is
        # offered to can launch it, and for others the service says why it refuses.
        product = catalog.get_product(name, include_limited=True)
    else:
        offered = sorted(
            (p for p in catalog.products if p.in_stock and not p.limited),
            key=lambda p: (p.name.split(".")[0], p.price),
        )
        product = pick(
            "Products",
            offered,
            lambda p: f"{p.name:<10} {p.device_desc or '':<24} ${p.price:.4f}/h",
            option="--product",
        )
    if not product.in_stock:
        raise click.ClickException(
            f"product {product.name} is out of stock: choose another (gpueater products)"
        )
    if max_price is not None and product.price > max_price:
        raise click.ClickException(
            f"product {product.name} costs ${product.price:.4f}/h, more than --max-price "
            f"${max_price:.4f}/h"
        )
    return product


def _launcher(
    client: GPUEater, product: str | None, subscription: str | None, max_price: float | None
) -> tuple[LaunchCatalog | SubscriptionCatalog, Callable[..., Instance], str]:
    """The catalog to choose image and key from, the launch call that takes them (on
    demand on a product, or on an instance subscription), and what it will cost."""
    if subscription is None:
        catalog = client.ondemand_list()
        chosen = _choose_product(catalog, product, max_price)
        price = f"launching {chosen.name} on demand at {usd(chosen.price, 4)} an hour"
        launch = functools.partial(client.launch_ondemand_instance, product_id=chosen.id)
        return catalog, launch, price
    if product is not None or max_price is not None:
        raise CliUsageError("give --subscription or --product (with --max-price), not both")
    subscribed = client.subscription_list()
    chosen_subscription = find_subscription(subscribed.subscriptions, subscription)
    launch_on = functools.partial(
        client.launch_subcription_instance, subscription_id=chosen_subscription.subscription_id
    )
    named = " ".join(
        filter(None, [chosen_subscription.name, f"({chosen_subscription.subscription_id})"])
    )
    monthly = chosen_subscription.price_per_month
    per_month = f" ({usd(monthly)} a month)" if monthly is not None else ""
    price = (
        f"launching on subscription {named}: no hourly charge, the subscription is "
        f"invoiced on its own{per_month}"
    )
    return subscribed, launch_on, price


@click.command()
@click.option("--product", metavar="NAME", help="Product name, such as a1.rx580.")
@click.option(
    "--subscription",
    metavar="SUBSCRIPTION",
    help="Launch on an instance subscription (id or plan name) instead of a --product.",
)
@click.option("--image", metavar="NAME", help="Image name or alias, such as 'Ubuntu16.04 x64'.")
@click.option("--ssh-key", metavar="NAME", help="Name of a registered SSH key.")
@click.option(
    "--tag",
    metavar="TAG",
    help="A name for the instance, unique among live ones (default: generated; the rule: "
    "1-40 letters, digits, '.', '_', '-').",
)
@allow_duplicate_tag_option
@click.option(
    "--wait",
    type=click.Choice(list(WAIT_STATES)),
    default="none",
    show_default=True,
    help="Return at once, once RUNNING, or once its sshd answers.",
)
@click.option("--timeout", type=click.FloatRange(min=1), default=600, show_default=True)
@click.option("--max-price", type=click.FloatRange(min=0), metavar="USD", help="Per-hour ceiling.")
@click.option(
    "--on-timeout",
    type=click.Choice(["keep", "terminate"]),
    default="keep",
    show_default=True,
    help="What to do with the instance if --wait times out.",
)
@output_option
@pass_state
def launch(
    state: CliState,
    product: str | None,
    subscription: str | None,
    image: str | None,
    ssh_key: str | None,
    tag: str | None,
    allow_duplicate_tag: bool,
    wait: str,
    timeout: float,
    max_price: float | None,
    on_timeout: str,
) -> None:
    """Launch an on-demand instance, or one on a subscription (missing options are asked
    for on a terminal)."""
    if tag:
        check_tag(tag, "--tag")  # before anything is asked of the service
    client = state.client()
    if tag:
        refuse_tag_in_use(client, tag, allowed=allow_duplicate_tag)
    catalog, launch_on, price = _launcher(client, product, subscription, max_price)
    chosen_image = (
        catalog.get_image(image)
        if image is not None
        else pick(
            "Images",
            sorted(catalog.images.values(), key=lambda i: i.name),
            lambda i: i.name,
            option="--image",
        )
    )
    key = (
        catalog.get_ssh_key(ssh_key)
        if ssh_key is not None
        else pick("SSH keys", catalog.ssh_keys, lambda k: k.name, option="--ssh-key")
    )
    if tag is None and can_ask():
        tag = _say.prompt("Tag", default="", show_default=False) or None
        if tag:
            refuse_tag_in_use(client, check_tag(tag, "tag"), allowed=allow_duplicate_tag)
    from gpueater_ext._plans import new_tag

    # Chosen here rather than by the SDK, so a Ctrl-C while the launch is in flight (the
    # service may have accepted it; the SDK is still reading it back) can say what to look for:
    # the SDK launches with TAG-launch-<hex> and renames it to TAG, and `gpueater instances
    # --tag TAG` lists both.
    tag = tag or new_tag()
    if state.chatty:
        _say.note(price)  # said, not asked: scripts and `make demo` launch unattended
    try:
        instance = launch_on(image=chosen_image.alias, ssh_key_id=key.id, tag=tag)
    except KeyboardInterrupt:
        _say.echo(
            f"note: the launch of {tag} may have reached the service, and its instance be "
            f"billed (tagged {tag}, or {tag}-launch-<hex> if it was not renamed yet); "
            f"look with: gpueater instances --tag {tag}",
            err=True,
        )
        raise
    instance = _announce_and_wait(state, client, instance, WAIT_STATES[wait], timeout, on_timeout)
    cost = instance_costs(client, [instance])[instance.instance_id]
    if state.json:
        print_json(with_ssh_line(instance, cost))
    else:
        print_instance(instance, cost, instances_or_none(client))


def _announce_and_wait(
    state: CliState,
    client: GPUEater,
    instance: Instance,
    wanted: str | None,
    timeout: float,
    on_timeout: str,
) -> Instance:
    """Say what was launched and wait for it, never leaving a billed instance behind
    without saying so (Ctrl-C included: the announcement is inside the guarded part, so
    whoever saw it also sees how to terminate)."""
    exists = (
        f"instance {instance.tag} ({instance.instance_id}) exists and is billed; "
        f"terminate it with: gpueater terminate {instance.instance_id}"
    )
    try:
        if state.chatty:
            _say.echo(f"launched {instance.tag} ({instance.instance_id})", err=True)
        if wanted is None:
            return instance
        return wait_for(client, instance, wanted, timeout=timeout, show=state.chatty)
    except WaitTimeoutError as error:
        if on_timeout == "terminate":
            client.terminate_instance(instance)
            outcome = f"instance {instance.instance_id} was terminated (--on-timeout terminate)"
        else:
            outcome = exists
        raise WaitTimeoutError(f"{error}; {outcome}", last_seen=error.last_seen) from None
    except (KeyboardInterrupt, GPUEaterError):
        _say.echo(f"note: {exists}", err=True)
        raise
