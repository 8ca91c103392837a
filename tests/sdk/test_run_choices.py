"""The choices `run` makes before it launches anything, on plain catalog data: which product
(preference order, stock, region, price ceiling), which image, which output paths are
allowed, when setup counts as changed, and where the job's bytes go by default."""

from __future__ import annotations

import io

import pytest

from gpueater_ext import Image, InvalidArgumentError, LaunchCatalog, NotFoundError, Product
from gpueater_ext._jobs.job import SecretValues, checked_outputs, default_writer, setup_marker
from gpueater_ext._jobs.resources import choose_image, choose_product
from gpueater_ext._jobs.task import Resources


def product(name: str, price: float, pool: list[str] | None = None, **more: object) -> Product:
    return Product(id=f"id-{name}", name=name, price=price, pool=pool, **more)  # type: ignore[arg-type]


CATALOG = LaunchCatalog(
    products=[
        product("big", 2.0, ["tokyo"]),
        product("mid", 1.0, ["osaka", "tokyo"]),
        product("gone", 0.2, []),
        product("small", 0.5, ["osaka"]),
        product("secret", 0.1, ["osaka"], limited=True),
    ],
    images={
        "a": Image(name="Ubuntu16.04 x64", alias="u16"),
        "b": Image(name="Ubuntu18.04 x64", alias="u18"),
        "c": Image(name="CUDA9.0 Ubuntu20.04 x64", alias="cuda"),
    },
    ssh_keys=[],
)


def test_the_first_preferred_product_in_stock_wins() -> None:
    assert choose_product(CATALOG, Resources(products=("gone", "mid", "big"))).name == "mid"


def test_no_preference_takes_the_cheapest_offered_in_stock() -> None:
    assert choose_product(CATALOG, Resources()).name == "small"


def test_a_region_narrows_the_choice() -> None:
    assert choose_product(CATALOG, Resources(region="tokyo")).name == "mid"
    with pytest.raises(NotFoundError, match="in region kyoto"):
        choose_product(CATALOG, Resources(region="kyoto"))


def test_a_price_ceiling_refuses_dearer_products_naming_the_cheapest() -> None:
    assert choose_product(CATALOG, Resources(products=("big", "mid"), max_price=1.5)).name == "mid"
    with pytest.raises(NotFoundError, match=r"cheapest in stock is mid at \$1\.0000/h"):
        choose_product(CATALOG, Resources(products=("big", "mid"), max_price=0.9))


def test_an_unknown_product_is_refused_even_after_one_in_stock() -> None:
    with pytest.raises(NotFoundError, match="'mdi'"):
        choose_product(CATALOG, Resources(products=("mid", "mdi")))


def test_the_default_image_is_the_newest_plain_ubuntu() -> None:
    assert choose_image(CATALOG, None).alias == "u18"
    assert choose_image(CATALOG, "cuda").alias == "cuda"


@pytest.mark.parametrize("path", ["../up", "/etc/passwd", ".", "a/../../b"])
def test_outputs_outside_the_workdir_are_refused(path: str) -> None:
    with pytest.raises(InvalidArgumentError, match="outputs"):
        checked_outputs((path,))


def test_outputs_are_cleaned() -> None:
    assert checked_outputs(("./out/", "a//b")) == ("out", "a/b")


def test_setup_counts_as_changed_when_its_text_or_env_changes() -> None:
    base = setup_marker("pip install x", {"A": "1"})
    assert setup_marker("pip install x", {"A": "1"}) == base
    assert setup_marker("pip install y", {"A": "1"}) != base
    assert setup_marker("pip install x", {"A": "2"}) != base


def test_a_text_stream_without_a_buffer_gets_whole_characters() -> None:
    text = io.StringIO()
    writer = default_writer(text)
    encoded = "café\n".encode()
    writer.write(encoded[:4])  # the é is split across two writes
    writer.write(encoded[4:])
    assert text.getvalue() == "café\n"
    binary = io.TextIOWrapper(io.BytesIO())
    assert default_writer(binary) is binary.buffer


def test_secret_values_never_show_in_a_repr() -> None:
    values = SecretValues({"TOKEN": "s3cr3t-value"})
    assert dict(values) == {"TOKEN": "s3cr3t-value"}
    assert "s3cr3t" not in repr(values)
    assert "s3cr3t" not in str(values)
    assert "TOKEN" in repr(values)
