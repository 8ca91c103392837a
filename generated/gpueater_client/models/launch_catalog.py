from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.image_map import ImageMap
    from ..models.product import Product
    from ..models.ssh_key import SshKey


T = TypeVar("T", bound="LaunchCatalog")


@_attrs_define
class LaunchCatalog:
    """What an on-demand instance can be launched with.

    Attributes:
        images (ImageMap): OS images keyed by an arbitrary string.
        ssh_keys (list[SshKey]):
        products (list[Product]):
    """

    images: ImageMap
    ssh_keys: list[SshKey]
    products: list[Product]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        images = self.images.to_dict()

        ssh_keys = []
        for ssh_keys_item_data in self.ssh_keys:
            ssh_keys_item = ssh_keys_item_data.to_dict()
            ssh_keys.append(ssh_keys_item)

        products = []
        for products_item_data in self.products:
            products_item = products_item_data.to_dict()
            products.append(products_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "images": images,
                "ssh_keys": ssh_keys,
                "products": products,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_map import ImageMap  # noqa: PLC0415
        from ..models.product import Product  # noqa: PLC0415
        from ..models.ssh_key import SshKey  # noqa: PLC0415

        d = dict(src_dict)
        images = ImageMap.from_dict(d.pop("images"))

        ssh_keys = []
        _ssh_keys = d.pop("ssh_keys")
        for ssh_keys_item_data in _ssh_keys:
            ssh_keys_item = SshKey.from_dict(ssh_keys_item_data)

            ssh_keys.append(ssh_keys_item)

        products = []
        _products = d.pop("products")
        for products_item_data in _products:
            products_item = Product.from_dict(products_item_data)

            products.append(products_item)

        launch_catalog = cls(
            images=images,
            ssh_keys=ssh_keys,
            products=products,
        )

        launch_catalog.additional_properties = d
        return launch_catalog

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
