from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Transaction")


@_attrs_define
class Transaction:
    """A long-running operation such as a live migration.

    Attributes:
        transaction_id (str):
        status (str): Known values: PENDING, RUNNING, DONE, CANCELLED, FAILED.
        kind (str | Unset):
        progress (int | Unset):
        instance_id (str | Unset):
        created_at (str | Unset):
        updated_at (str | Unset):
    """

    transaction_id: str
    status: str
    kind: str | Unset = UNSET
    progress: int | Unset = UNSET
    instance_id: str | Unset = UNSET
    created_at: str | Unset = UNSET
    updated_at: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        transaction_id = self.transaction_id

        status = self.status

        kind = self.kind

        progress = self.progress

        instance_id = self.instance_id

        created_at = self.created_at

        updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "transaction_id": transaction_id,
                "status": status,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if progress is not UNSET:
            field_dict["progress"] = progress
        if instance_id is not UNSET:
            field_dict["instance_id"] = instance_id
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        transaction_id = d.pop("transaction_id")

        status = d.pop("status")

        kind = d.pop("kind", UNSET)

        progress = d.pop("progress", UNSET)

        instance_id = d.pop("instance_id", UNSET)

        created_at = d.pop("created_at", UNSET)

        updated_at = d.pop("updated_at", UNSET)

        transaction = cls(
            transaction_id=transaction_id,
            status=status,
            kind=kind,
            progress=progress,
            instance_id=instance_id,
            created_at=created_at,
            updated_at=updated_at,
        )

        transaction.additional_properties = d
        return transaction

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
