from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.instance_status import InstanceStatus
    from ..models.port import Port


T = TypeVar("T", bound="NetworkDescription")


@_attrs_define
class NetworkDescription:
    """`network_description`'s answer: the instance's status and open ports.

    Attributes:
        instance_status (InstanceStatus): An instance as `network_description` shows it: the fields the Node console's
            `network` command reads. Their types are not published; every field is optional.
        port_list (list[Port]): The open ports, as `port_list` answers them.
    """

    instance_status: InstanceStatus
    port_list: list[Port]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        instance_status = self.instance_status.to_dict()

        port_list = []
        for port_list_item_data in self.port_list:
            port_list_item = port_list_item_data.to_dict()
            port_list.append(port_list_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "instance_status": instance_status,
                "port_list": port_list,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instance_status import InstanceStatus  # noqa: PLC0415
        from ..models.port import Port  # noqa: PLC0415

        d = dict(src_dict)
        instance_status = InstanceStatus.from_dict(d.pop("instance_status"))

        port_list = []
        _port_list = d.pop("port_list")
        for port_list_item_data in _port_list:
            port_list_item = Port.from_dict(port_list_item_data)

            port_list.append(port_list_item)

        network_description = cls(
            instance_status=instance_status,
            port_list=port_list,
        )

        network_description.additional_properties = d
        return network_description

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
