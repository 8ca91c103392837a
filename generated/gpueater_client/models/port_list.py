from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.port import Port


T = TypeVar("T", bound="PortList")


@_attrs_define
class PortList:
    """An instance's open ports.

    Attributes:
        port_list (list[Port]):
        instance_status (str | Unset): The instance's state.
    """

    port_list: list[Port]
    instance_status: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        port_list = []
        for port_list_item_data in self.port_list:
            port_list_item = port_list_item_data.to_dict()
            port_list.append(port_list_item)

        instance_status = self.instance_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "port_list": port_list,
            }
        )
        if instance_status is not UNSET:
            field_dict["instance_status"] = instance_status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.port import Port  # noqa: PLC0415

        d = dict(src_dict)
        port_list = []
        _port_list = d.pop("port_list")
        for port_list_item_data in _port_list:
            port_list_item = Port.from_dict(port_list_item_data)

            port_list.append(port_list_item)

        instance_status = d.pop("instance_status", UNSET)

        port_list = cls(
            port_list=port_list,
            instance_status=instance_status,
        )

        port_list.additional_properties = d
        return port_list

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
