from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Image")


@_attrs_define
class Image:
    """An OS image.

    Attributes:
        name (str): For example `Ubuntu16.04 x64`.
        alias (str): What `launch_ondemand_instance` takes as `image`.
        description (str | Unset):
        user_defined (bool | Unset):
    """

    name: str
    alias: str
    description: str | Unset = UNSET
    user_defined: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        alias = self.alias

        description = self.description

        user_defined = self.user_defined

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "alias": alias,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if user_defined is not UNSET:
            field_dict["user_defined"] = user_defined

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        alias = d.pop("alias")

        description = d.pop("description", UNSET)

        user_defined = d.pop("user_defined", UNSET)

        image = cls(
            name=name,
            alias=alias,
            description=description,
            user_defined=user_defined,
        )

        image.additional_properties = d
        return image

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
