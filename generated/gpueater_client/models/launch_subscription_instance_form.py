from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LaunchSubscriptionInstanceForm")


@_attrs_define
class LaunchSubscriptionInstanceForm:
    """
    Attributes:
        subscription_id (str):
        image (str): The image's `alias`.
        ssh_key_id (str):
        tag (str | Unset):
        product_id (str | Unset): Sent by the Node client; the subscription names its product.
    """

    subscription_id: str
    image: str
    ssh_key_id: str
    tag: str | Unset = UNSET
    product_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        subscription_id = self.subscription_id

        image = self.image

        ssh_key_id = self.ssh_key_id

        tag = self.tag

        product_id = self.product_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "subscription_id": subscription_id,
                "image": image,
                "ssh_key_id": ssh_key_id,
            }
        )
        if tag is not UNSET:
            field_dict["tag"] = tag
        if product_id is not UNSET:
            field_dict["product_id"] = product_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        subscription_id = d.pop("subscription_id")

        image = d.pop("image")

        ssh_key_id = d.pop("ssh_key_id")

        tag = d.pop("tag", UNSET)

        product_id = d.pop("product_id", UNSET)

        launch_subscription_instance_form = cls(
            subscription_id=subscription_id,
            image=image,
            ssh_key_id=ssh_key_id,
            tag=tag,
            product_id=product_id,
        )

        launch_subscription_instance_form.additional_properties = d
        return launch_subscription_instance_form

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
