from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Product")


@_attrs_define
class Product:
    """An on-demand product (a machine type).

    Attributes:
        id (str):
        name (str): For example `a1.rx580` or `n1.p1000`.
        price (float): USD per hour.
        cpu (int | Unset): Virtual CPUs.
        memory (int | Unset): Memory in MB.
        root_storage (int | Unset): Root disk in GB.
        device_desc (str | Unset): The GPU.
        pool (list[str] | Unset): Where the product can be placed; empty means out of stock.
        limited (bool | Unset): Offered to a limited set of accounts only.
    """

    id: str
    name: str
    price: float
    cpu: int | Unset = UNSET
    memory: int | Unset = UNSET
    root_storage: int | Unset = UNSET
    device_desc: str | Unset = UNSET
    pool: list[str] | Unset = UNSET
    limited: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        price = self.price

        cpu = self.cpu

        memory = self.memory

        root_storage = self.root_storage

        device_desc = self.device_desc

        pool: list[str] | Unset = UNSET
        if not isinstance(self.pool, Unset):
            pool = self.pool

        limited = self.limited

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "price": price,
            }
        )
        if cpu is not UNSET:
            field_dict["cpu"] = cpu
        if memory is not UNSET:
            field_dict["memory"] = memory
        if root_storage is not UNSET:
            field_dict["root_storage"] = root_storage
        if device_desc is not UNSET:
            field_dict["device_desc"] = device_desc
        if pool is not UNSET:
            field_dict["pool"] = pool
        if limited is not UNSET:
            field_dict["limited"] = limited

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        price = d.pop("price")

        cpu = d.pop("cpu", UNSET)

        memory = d.pop("memory", UNSET)

        root_storage = d.pop("root_storage", UNSET)

        device_desc = d.pop("device_desc", UNSET)

        pool = cast(list[str], d.pop("pool", UNSET))

        limited = d.pop("limited", UNSET)

        product = cls(
            id=id,
            name=name,
            price=price,
            cpu=cpu,
            memory=memory,
            root_storage=root_storage,
            device_desc=device_desc,
            pool=pool,
            limited=limited,
        )

        product.additional_properties = d
        return product

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
