from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Snapshot")


@_attrs_define
class Snapshot:
    """A snapshot of an instance's disk.

    Attributes:
        snapshot_id (str):
        instance_id (str):
        tag (str | Unset):
        status (str | Unset): Known values: CREATING, READY.
        size (int | Unset): GB.
        created_at (str | Unset):
    """

    snapshot_id: str
    instance_id: str
    tag: str | Unset = UNSET
    status: str | Unset = UNSET
    size: int | Unset = UNSET
    created_at: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        snapshot_id = self.snapshot_id

        instance_id = self.instance_id

        tag = self.tag

        status = self.status

        size = self.size

        created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "snapshot_id": snapshot_id,
                "instance_id": instance_id,
            }
        )
        if tag is not UNSET:
            field_dict["tag"] = tag
        if status is not UNSET:
            field_dict["status"] = status
        if size is not UNSET:
            field_dict["size"] = size
        if created_at is not UNSET:
            field_dict["created_at"] = created_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        snapshot_id = d.pop("snapshot_id")

        instance_id = d.pop("instance_id")

        tag = d.pop("tag", UNSET)

        status = d.pop("status", UNSET)

        size = d.pop("size", UNSET)

        created_at = d.pop("created_at", UNSET)

        snapshot = cls(
            snapshot_id=snapshot_id,
            instance_id=instance_id,
            tag=tag,
            status=status,
            size=size,
            created_at=created_at,
        )

        snapshot.additional_properties = d
        return snapshot

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
