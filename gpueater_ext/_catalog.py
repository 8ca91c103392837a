"""The launch catalogs and their find-helpers.

`find_*` return None when nothing matches, as the 1.5 library did; `get_*` raise
NotFoundError listing the closest names, which is what a command line wants to print.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable

from gpueater_ext._decode import Model
from gpueater_ext._errors import NotFoundError
from gpueater_ext._models import Image, Product, SshKey, Subscription

__all__ = ["LaunchCatalog", "SubscriptionCatalog", "closest_names"]


def closest_names(wanted: str, names: Iterable[str], count: int = 3) -> list[str]:
    """The names most like `wanted`, best first (for "did you mean" messages)."""
    return difflib.get_close_matches(wanted, list(names), n=count, cutoff=0.4)


def _not_found(kind: str, wanted: str, names: Iterable[str]) -> NotFoundError:
    candidates = closest_names(wanted, names)
    hint = f"; closest: {', '.join(candidates)}" if candidates else ""
    return NotFoundError(f"no {kind} named {wanted!r}{hint}")


@dataclasses.dataclass(frozen=True, kw_only=True)
class _ImagesAndKeys(Model):
    images: dict[str, Image]
    ssh_keys: list[SshKey]

    def find_image(self, name: str) -> Image | None:
        """The image with this name (or, failing that, this alias), else None."""
        images = list(self.images.values())
        by_name = [image for image in images if image.name == name]
        by_alias = [image for image in images if image.alias == name]
        matches = by_name or by_alias
        return matches[0] if matches else None

    def get_image(self, name: str) -> Image:
        """Like `find_image`, but raises NotFoundError listing the closest names."""
        found = self.find_image(name)
        if found is None:
            raise _not_found("image", name, (image.name for image in self.images.values()))
        return found

    def find_ssh_key(self, name: str) -> SshKey | None:
        """The registered SSH key with this name, else None."""
        return next((key for key in self.ssh_keys if key.name == name), None)

    def get_ssh_key(self, name: str) -> SshKey:
        """Like `find_ssh_key`, but raises NotFoundError listing the closest names."""
        found = self.find_ssh_key(name)
        if found is None:
            raise _not_found("SSH key", name, (key.name for key in self.ssh_keys))
        return found


@dataclasses.dataclass(frozen=True, kw_only=True)
class LaunchCatalog(_ImagesAndKeys):
    """What an on-demand instance can be launched with (`ondemand_list()`)."""

    products: list[Product]

    def find_product(self, name: str, *, include_limited: bool = False) -> Product | None:
        """The product with this name, else None.

        Products offered to a limited set of accounts are skipped unless
        `include_limited` is true (the published Node client skipped them too).
        """
        return next(
            (
                product
                for product in self.products
                if product.name == name and (include_limited or not product.limited)
            ),
            None,
        )

    def get_product(self, name: str, *, include_limited: bool = False) -> Product:
        """Like `find_product`, but raises NotFoundError listing the closest names."""
        found = self.find_product(name, include_limited=include_limited)
        if found is None:
            names = (p.name for p in self.products if include_limited or not p.limited)
            raise _not_found("product", name, names)
        return found


@dataclasses.dataclass(frozen=True, kw_only=True)
class SubscriptionCatalog(_ImagesAndKeys):
    """What a subscription instance can be launched with (`subscription_list()`)."""

    subscriptions: list[Subscription]
