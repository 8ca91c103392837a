from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Subscription")


@_attrs_define
class Subscription:
    """A subscription of the account.

    Attributes:
        subscription_id (str):
        plan_id (str):
        kind (str): Known values: instance, storage, network.
        status (str): Known values: ACTIVE, CANCELLED.
        name (str | Unset):
        price_per_month (float | Unset):
        started_at (str | Unset):
        product_id (str | Unset):
        instance_id (None | str | Unset): The instance launched on it, if any.
    """

    subscription_id: str
    plan_id: str
    kind: str
    status: str
    name: str | Unset = UNSET
    price_per_month: float | Unset = UNSET
    started_at: str | Unset = UNSET
    product_id: str | Unset = UNSET
    instance_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        subscription_id = self.subscription_id

        plan_id = self.plan_id

        kind = self.kind

        status = self.status

        name = self.name

        price_per_month = self.price_per_month

        started_at = self.started_at

        product_id = self.product_id

        instance_id: None | str | Unset
        if isinstance(self.instance_id, Unset):
            instance_id = UNSET
        else:
            instance_id = self.instance_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "subscription_id": subscription_id,
                "plan_id": plan_id,
                "kind": kind,
                "status": status,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if price_per_month is not UNSET:
            field_dict["price_per_month"] = price_per_month
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if product_id is not UNSET:
            field_dict["product_id"] = product_id
        if instance_id is not UNSET:
            field_dict["instance_id"] = instance_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        subscription_id = d.pop("subscription_id")

        plan_id = d.pop("plan_id")

        kind = d.pop("kind")

        status = d.pop("status")

        name = d.pop("name", UNSET)

        price_per_month = d.pop("price_per_month", UNSET)

        started_at = d.pop("started_at", UNSET)

        product_id = d.pop("product_id", UNSET)

        def _parse_instance_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        instance_id = _parse_instance_id(d.pop("instance_id", UNSET))

        subscription = cls(
            subscription_id=subscription_id,
            plan_id=plan_id,
            kind=kind,
            status=status,
            name=name,
            price_per_month=price_per_month,
            started_at=started_at,
            product_id=product_id,
            instance_id=instance_id,
        )

        subscription.additional_properties = d
        return subscription

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
