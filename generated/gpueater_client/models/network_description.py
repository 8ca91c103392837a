from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.port import Port


T = TypeVar("T", bound="NetworkDescription")


@_attrs_define
class NetworkDescription:
    """An instance's addresses and open ports.

    Attributes:
        instance_id (str):
        connection_id (str | Unset):
        ipv4 (None | str | Unset):
        ipv6 (None | str | Unset):
        ports (list[Port] | Unset):
    """

    instance_id: str
    connection_id: str | Unset = UNSET
    ipv4: None | str | Unset = UNSET
    ipv6: None | str | Unset = UNSET
    ports: list[Port] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        instance_id = self.instance_id

        connection_id = self.connection_id

        ipv4: None | str | Unset
        if isinstance(self.ipv4, Unset):
            ipv4 = UNSET
        else:
            ipv4 = self.ipv4

        ipv6: None | str | Unset
        if isinstance(self.ipv6, Unset):
            ipv6 = UNSET
        else:
            ipv6 = self.ipv6

        ports: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.ports, Unset):
            ports = []
            for ports_item_data in self.ports:
                ports_item = ports_item_data.to_dict()
                ports.append(ports_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "instance_id": instance_id,
            }
        )
        if connection_id is not UNSET:
            field_dict["connection_id"] = connection_id
        if ipv4 is not UNSET:
            field_dict["ipv4"] = ipv4
        if ipv6 is not UNSET:
            field_dict["ipv6"] = ipv6
        if ports is not UNSET:
            field_dict["ports"] = ports

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.port import Port  # noqa: PLC0415

        d = dict(src_dict)
        instance_id = d.pop("instance_id")

        connection_id = d.pop("connection_id", UNSET)

        def _parse_ipv4(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ipv4 = _parse_ipv4(d.pop("ipv4", UNSET))

        def _parse_ipv6(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ipv6 = _parse_ipv6(d.pop("ipv6", UNSET))

        _ports = d.pop("ports", UNSET)
        ports: list[Port] | Unset = UNSET
        if _ports is not UNSET:
            ports = []
            for ports_item_data in _ports:
                ports_item = Port.from_dict(ports_item_data)

                ports.append(ports_item)

        network_description = cls(
            instance_id=instance_id,
            connection_id=connection_id,
            ipv4=ipv4,
            ipv6=ipv6,
            ports=ports,
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
