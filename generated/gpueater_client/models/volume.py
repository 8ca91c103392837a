from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Volume")


@_attrs_define
class Volume:
    """An extended volume.

    Attributes:
        volume_id (str):
        size (int): GB.
        status (str): Known values: AVAILABLE, ATTACHED, TRANSFERRING.
        name (str | Unset):
        region_id (str | Unset):
        storage_type (str | Unset):
        instance_id (None | str | Unset): The instance it is attached to.
        created_at (str | Unset):
    """

    volume_id: str
    size: int
    status: str
    name: str | Unset = UNSET
    region_id: str | Unset = UNSET
    storage_type: str | Unset = UNSET
    instance_id: None | str | Unset = UNSET
    created_at: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        volume_id = self.volume_id

        size = self.size

        status = self.status

        name = self.name

        region_id = self.region_id

        storage_type = self.storage_type

        instance_id: None | str | Unset
        if isinstance(self.instance_id, Unset):
            instance_id = UNSET
        else:
            instance_id = self.instance_id

        created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "volume_id": volume_id,
                "size": size,
                "status": status,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if region_id is not UNSET:
            field_dict["region_id"] = region_id
        if storage_type is not UNSET:
            field_dict["storage_type"] = storage_type
        if instance_id is not UNSET:
            field_dict["instance_id"] = instance_id
        if created_at is not UNSET:
            field_dict["created_at"] = created_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        volume_id = d.pop("volume_id")

        size = d.pop("size")

        status = d.pop("status")

        name = d.pop("name", UNSET)

        region_id = d.pop("region_id", UNSET)

        storage_type = d.pop("storage_type", UNSET)

        def _parse_instance_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        instance_id = _parse_instance_id(d.pop("instance_id", UNSET))

        created_at = d.pop("created_at", UNSET)

        volume = cls(
            volume_id=volume_id,
            size=size,
            status=status,
            name=name,
            region_id=region_id,
            storage_type=storage_type,
            instance_id=instance_id,
            created_at=created_at,
        )

        volume.additional_properties = d
        return volume

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
