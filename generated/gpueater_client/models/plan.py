from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Plan")


@_attrs_define
class Plan:
    """A monthly plan one can subscribe to.

    Attributes:
        plan_id (str):
        kind (str): Known values: instance, storage, network.
        name (str):
        price_per_month (float): USD.
        product_id (str | Unset): The product of an instance plan.
        size (int | Unset): GB, for a storage plan.
        description (str | Unset):
    """

    plan_id: str
    kind: str
    name: str
    price_per_month: float
    product_id: str | Unset = UNSET
    size: int | Unset = UNSET
    description: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        plan_id = self.plan_id

        kind = self.kind

        name = self.name

        price_per_month = self.price_per_month

        product_id = self.product_id

        size = self.size

        description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "plan_id": plan_id,
                "kind": kind,
                "name": name,
                "price_per_month": price_per_month,
            }
        )
        if product_id is not UNSET:
            field_dict["product_id"] = product_id
        if size is not UNSET:
            field_dict["size"] = size
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        plan_id = d.pop("plan_id")

        kind = d.pop("kind")

        name = d.pop("name")

        price_per_month = d.pop("price_per_month")

        product_id = d.pop("product_id", UNSET)

        size = d.pop("size", UNSET)

        description = d.pop("description", UNSET)

        plan = cls(
            plan_id=plan_id,
            kind=kind,
            name=name,
            price_per_month=price_per_month,
            product_id=product_id,
            size=size,
            description=description,
        )

        plan.additional_properties = d
        return plan

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
