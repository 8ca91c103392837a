"""Reading the catalog: `products`, `images`, `api-list`."""

from __future__ import annotations

import click

from gpueater_ext.cli._output import Column, print_json, print_table
from gpueater_ext.cli._state import CliState, output_option, pass_state

__all__ = ["api_list", "images", "products"]


def _family(name: str) -> str:
    return name.split(".", 1)[0]


PRODUCT_COLUMNS = (
    Column.field("NAME", "name"),
    Column("STOCK", lambda row: "yes" if row.get("pool") else "no"),
    Column.field("GPU", "device_desc"),
    Column.field("CPU", "cpu", "right"),
    Column("MEMORY", lambda row: f"{row['memory'] / 1024:g} GB" if row.get("memory") else None),
    Column("SSD", lambda row: f"{row['root_storage']} GB" if row.get("root_storage") else None),
    Column("$/H", lambda row: f"{row['price']:.4f}", "right"),
)


@click.command()
@click.option("--all", "show_all", is_flag=True, help="Include limited products.")
@output_option
@pass_state
def products(state: CliState, show_all: bool) -> None:
    """On-demand products, by family then price."""
    catalog = state.client().ondemand_list()
    shown = [p for p in catalog.products if show_all or not p.limited]
    shown.sort(key=lambda product: (_family(product.name), product.price, product.name))
    if state.json:
        print_json(shown)
    else:
        print_table(shown, PRODUCT_COLUMNS, empty="no products")


@click.command()
@output_option
@pass_state
def images(state: CliState) -> None:
    """OS images an instance can be launched with."""
    found = sorted(state.client().image_list(), key=lambda image: image.name)
    if state.json:
        print_json(found)
    else:
        print_table(
            found,
            (Column.field("NAME", "name"), Column.field("ALIAS", "alias")),
            empty="no images",
        )


@click.command("api-list")
@output_option
@pass_state
def api_list(state: CliState) -> None:
    """Every function of the API, its group, version and endpoint."""
    from gpueater_ext._api_list import api_functions

    functions = api_functions()
    if state.json:
        print_json(functions)
    else:
        print_table(
            functions,
            (
                Column.field("NAME", "name"),
                Column.field("GROUP", "group"),
                Column.field("SINCE", "since"),
                Column.field("ENDPOINT", "endpoint"),
            ),
            empty="no functions",
        )
