from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UserImage")


@_attrs_define
class UserImage:
    """A user-defined image.

    Attributes:
        fingerprint (str):
        name (str):
        alias (str | Unset):
        description (str | Unset):
        volume (int | Unset): Size in GB.
        created_at (str | Unset):
        status (str | Unset): Known values: BUILDING, READY, FAILED.
        progress (int | Unset):
        error_description (str | Unset):
        user_defined (bool | Unset):
    """

    fingerprint: str
    name: str
    alias: str | Unset = UNSET
    description: str | Unset = UNSET
    volume: int | Unset = UNSET
    created_at: str | Unset = UNSET
    status: str | Unset = UNSET
    progress: int | Unset = UNSET
    error_description: str | Unset = UNSET
    user_defined: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fingerprint = self.fingerprint

        name = self.name

        alias = self.alias

        description = self.description

        volume = self.volume

        created_at = self.created_at

        status = self.status

        progress = self.progress

        error_description = self.error_description

        user_defined = self.user_defined

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fingerprint": fingerprint,
                "name": name,
            }
        )
        if alias is not UNSET:
            field_dict["alias"] = alias
        if description is not UNSET:
            field_dict["description"] = description
        if volume is not UNSET:
            field_dict["volume"] = volume
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if status is not UNSET:
            field_dict["status"] = status
        if progress is not UNSET:
            field_dict["progress"] = progress
        if error_description is not UNSET:
            field_dict["error_description"] = error_description
        if user_defined is not UNSET:
            field_dict["user_defined"] = user_defined

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        fingerprint = d.pop("fingerprint")

        name = d.pop("name")

        alias = d.pop("alias", UNSET)

        description = d.pop("description", UNSET)

        volume = d.pop("volume", UNSET)

        created_at = d.pop("created_at", UNSET)

        status = d.pop("status", UNSET)

        progress = d.pop("progress", UNSET)

        error_description = d.pop("error_description", UNSET)

        user_defined = d.pop("user_defined", UNSET)

        user_image = cls(
            fingerprint=fingerprint,
            name=name,
            alias=alias,
            description=description,
            volume=volume,
            created_at=created_at,
            status=status,
            progress=progress,
            error_description=error_description,
            user_defined=user_defined,
        )

        user_image.additional_properties = d
        return user_image

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
