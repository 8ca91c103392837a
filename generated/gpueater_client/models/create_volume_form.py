from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateVolumeForm")


@_attrs_define
class CreateVolumeForm:
    """One of `volume` and `size` is required (see `create_volume`).

    Attributes:
        volume (int | Unset): The size in GB (the Node client's field).
        size (int | Unset): The size in GB (the service's README's field); `volume` is the same.
        region_id (str | Unset):
        storage_type (str | Unset):
        name (str | Unset): A display name (this document's addition; default: the volume's id).
    """

    volume: int | Unset = UNSET
    size: int | Unset = UNSET
    region_id: str | Unset = UNSET
    storage_type: str | Unset = UNSET
    name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        volume = self.volume

        size = self.size

        region_id = self.region_id

        storage_type = self.storage_type

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if volume is not UNSET:
            field_dict["volume"] = volume
        if size is not UNSET:
            field_dict["size"] = size
        if region_id is not UNSET:
            field_dict["region_id"] = region_id
        if storage_type is not UNSET:
            field_dict["storage_type"] = storage_type
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        volume = d.pop("volume", UNSET)

        size = d.pop("size", UNSET)

        region_id = d.pop("region_id", UNSET)

        storage_type = d.pop("storage_type", UNSET)

        name = d.pop("name", UNSET)

        create_volume_form = cls(
            volume=volume,
            size=size,
            region_id=region_id,
            storage_type=storage_type,
            name=name,
        )

        create_volume_form.additional_properties = d
        return create_volume_form

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
