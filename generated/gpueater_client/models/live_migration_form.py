from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LiveMigrationForm")


@_attrs_define
class LiveMigrationForm:
    """
    Attributes:
        instance_id (str):
        product_id (str):
        region_id (str):
        connection_id (str | Unset):
        ssh_key_id (str | Unset):
        tag (str | Unset):
    """

    instance_id: str
    product_id: str
    region_id: str
    connection_id: str | Unset = UNSET
    ssh_key_id: str | Unset = UNSET
    tag: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        instance_id = self.instance_id

        product_id = self.product_id

        region_id = self.region_id

        connection_id = self.connection_id

        ssh_key_id = self.ssh_key_id

        tag = self.tag

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "instance_id": instance_id,
                "product_id": product_id,
                "region_id": region_id,
            }
        )
        if connection_id is not UNSET:
            field_dict["connection_id"] = connection_id
        if ssh_key_id is not UNSET:
            field_dict["ssh_key_id"] = ssh_key_id
        if tag is not UNSET:
            field_dict["tag"] = tag

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        instance_id = d.pop("instance_id")

        product_id = d.pop("product_id")

        region_id = d.pop("region_id")

        connection_id = d.pop("connection_id", UNSET)

        ssh_key_id = d.pop("ssh_key_id", UNSET)

        tag = d.pop("tag", UNSET)

        live_migration_form = cls(
            instance_id=instance_id,
            product_id=product_id,
            region_id=region_id,
            connection_id=connection_id,
            ssh_key_id=ssh_key_id,
            tag=tag,
        )

        live_migration_form.additional_properties = d
        return live_migration_form

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
