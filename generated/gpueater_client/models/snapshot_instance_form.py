from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SnapshotInstanceForm")


@_attrs_define
class SnapshotInstanceForm:
    """
    Attributes:
        instance_id (str):
        machine_resource_id (str | Unset): Listed by the service's README; optional.
        tag (str | Unset): A label for the snapshot (the Ruby client's field).
    """

    instance_id: str
    machine_resource_id: str | Unset = UNSET
    tag: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        instance_id = self.instance_id

        machine_resource_id = self.machine_resource_id

        tag = self.tag

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "instance_id": instance_id,
            }
        )
        if machine_resource_id is not UNSET:
            field_dict["machine_resource_id"] = machine_resource_id
        if tag is not UNSET:
            field_dict["tag"] = tag

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        instance_id = d.pop("instance_id")

        machine_resource_id = d.pop("machine_resource_id", UNSET)

        tag = d.pop("tag", UNSET)

        snapshot_instance_form = cls(
            instance_id=instance_id,
            machine_resource_id=machine_resource_id,
            tag=tag,
        )

        snapshot_instance_form.additional_properties = d
        return snapshot_instance_form

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
