from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RestoreFromSnapshotForm")


@_attrs_define
class RestoreFromSnapshotForm:
    """
    Attributes:
        instance_id (str):
        snapshot_id (str):
        machine_resource_id (str | Unset):
    """

    instance_id: str
    snapshot_id: str
    machine_resource_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        instance_id = self.instance_id

        snapshot_id = self.snapshot_id

        machine_resource_id = self.machine_resource_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "instance_id": instance_id,
                "snapshot_id": snapshot_id,
            }
        )
        if machine_resource_id is not UNSET:
            field_dict["machine_resource_id"] = machine_resource_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        instance_id = d.pop("instance_id")

        snapshot_id = d.pop("snapshot_id")

        machine_resource_id = d.pop("machine_resource_id", UNSET)

        restore_from_snapshot_form = cls(
            instance_id=instance_id,
            snapshot_id=snapshot_id,
            machine_resource_id=machine_resource_id,
        )

        restore_from_snapshot_form.additional_properties = d
        return restore_from_snapshot_form

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
