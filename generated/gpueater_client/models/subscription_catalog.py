from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.image_map import ImageMap
    from ..models.ssh_key import SshKey
    from ..models.subscription import Subscription


T = TypeVar("T", bound="SubscriptionCatalog")


@_attrs_define
class SubscriptionCatalog:
    """What a subscription instance can be launched with.

    Attributes:
        images (ImageMap): OS images keyed by an arbitrary string.
        ssh_keys (list[SshKey]):
        subscriptions (list[Subscription]):
    """

    images: ImageMap
    ssh_keys: list[SshKey]
    subscriptions: list[Subscription]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        images = self.images.to_dict()

        ssh_keys = []
        for ssh_keys_item_data in self.ssh_keys:
            ssh_keys_item = ssh_keys_item_data.to_dict()
            ssh_keys.append(ssh_keys_item)

        subscriptions = []
        for subscriptions_item_data in self.subscriptions:
            subscriptions_item = subscriptions_item_data.to_dict()
            subscriptions.append(subscriptions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "images": images,
                "ssh_keys": ssh_keys,
                "subscriptions": subscriptions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_map import ImageMap  # noqa: PLC0415
        from ..models.ssh_key import SshKey  # noqa: PLC0415
        from ..models.subscription import Subscription  # noqa: PLC0415

        d = dict(src_dict)
        images = ImageMap.from_dict(d.pop("images"))

        ssh_keys = []
        _ssh_keys = d.pop("ssh_keys")
        for ssh_keys_item_data in _ssh_keys:
            ssh_keys_item = SshKey.from_dict(ssh_keys_item_data)

            ssh_keys.append(ssh_keys_item)

        subscriptions = []
        _subscriptions = d.pop("subscriptions")
        for subscriptions_item_data in _subscriptions:
            subscriptions_item = Subscription.from_dict(subscriptions_item_data)

            subscriptions.append(subscriptions_item)

        subscription_catalog = cls(
            images=images,
            ssh_keys=ssh_keys,
            subscriptions=subscriptions,
        )

        subscription_catalog.additional_properties = d
        return subscription_catalog

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
