from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="InstanceActionForm")


@_attrs_define
class InstanceActionForm:
    """
    Attributes:
        instance_id (str):
        machine_resource_id (str):
        instances (str | Unset): Optional. A JSON array as a string,
            `[{"instance_id": "...", "machine_resource_id": "..."}]`, as the Ruby client sent
            it beside the two fields above.
    """

    instance_id: str
    machine_resource_id: str
    instances: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        instance_id = self.instance_id

        machine_resource_id = self.machine_resource_id

        instances = self.instances

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "instance_id": instance_id,
                "machine_resource_id": machine_resource_id,
            }
        )
        if instances is not UNSET:
            field_dict["instances"] = instances

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        instance_id = d.pop("instance_id")

        machine_resource_id = d.pop("machine_resource_id")

        instances = d.pop("instances", UNSET)

        instance_action_form = cls(
            instance_id=instance_id,
            machine_resource_id=machine_resource_id,
            instances=instances,
        )

        instance_action_form.additional_properties = d
        return instance_action_form

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
