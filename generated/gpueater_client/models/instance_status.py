from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="InstanceStatus")


@_attrs_define
class InstanceStatus:
    """An instance as `network_description` shows it: the fields the Node console's
    `network` command reads. Their types are not published; every field is optional.

        Attributes:
            tag (str | Unset): The instance's tag.
            private_ipv4 (None | str | Unset): The address inside the data centre.
            global_ipv4 (None | str | Unset): The public IPv4 address (`ipv4` of `instance_list`).
            global_ipv6 (None | str | Unset): The public IPv6 address.
            bytes_received (int | None | Unset): Bytes received by the instance.
            bytes_sent (int | None | Unset): Bytes sent by the instance.
            packets_received (int | None | Unset): Packets received by the instance.
            packets_sent (int | None | Unset): Packets sent by the instance.
            root_storage_usage (float | None | str | Unset): How much of the root disk is used. Its unit is not published;
                the emulator
                answers GB as a number.
    """

    tag: str | Unset = UNSET
    private_ipv4: None | str | Unset = UNSET
    global_ipv4: None | str | Unset = UNSET
    global_ipv6: None | str | Unset = UNSET
    bytes_received: int | None | Unset = UNSET
    bytes_sent: int | None | Unset = UNSET
    packets_received: int | None | Unset = UNSET
    packets_sent: int | None | Unset = UNSET
    root_storage_usage: float | None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tag = self.tag

        private_ipv4: None | str | Unset
        if isinstance(self.private_ipv4, Unset):
            private_ipv4 = UNSET
        else:
            private_ipv4 = self.private_ipv4

        global_ipv4: None | str | Unset
        if isinstance(self.global_ipv4, Unset):
            global_ipv4 = UNSET
        else:
            global_ipv4 = self.global_ipv4

        global_ipv6: None | str | Unset
        if isinstance(self.global_ipv6, Unset):
            global_ipv6 = UNSET
        else:
            global_ipv6 = self.global_ipv6

        bytes_received: int | None | Unset
        if isinstance(self.bytes_received, Unset):
            bytes_received = UNSET
        else:
            bytes_received = self.bytes_received

        bytes_sent: int | None | Unset
        if isinstance(self.bytes_sent, Unset):
            bytes_sent = UNSET
        else:
            bytes_sent = self.bytes_sent

        packets_received: int | None | Unset
        if isinstance(self.packets_received, Unset):
            packets_received = UNSET
        else:
            packets_received = self.packets_received

        packets_sent: int | None | Unset
        if isinstance(self.packets_sent, Unset):
            packets_sent = UNSET
        else:
            packets_sent = self.packets_sent

        root_storage_usage: float | None | str | Unset
        if isinstance(self.root_storage_usage, Unset):
            root_storage_usage = UNSET
        else:
            root_storage_usage = self.root_storage_usage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if tag is not UNSET:
            field_dict["tag"] = tag
        if private_ipv4 is not UNSET:
            field_dict["private_ipv4"] = private_ipv4
        if global_ipv4 is not UNSET:
            field_dict["global_ipv4"] = global_ipv4
        if global_ipv6 is not UNSET:
            field_dict["global_ipv6"] = global_ipv6
        if bytes_received is not UNSET:
            field_dict["bytes_received"] = bytes_received
        if bytes_sent is not UNSET:
            field_dict["bytes_sent"] = bytes_sent
        if packets_received is not UNSET:
            field_dict["packets_received"] = packets_received
        if packets_sent is not UNSET:
            field_dict["packets_sent"] = packets_sent
        if root_storage_usage is not UNSET:
            field_dict["root_storage_usage"] = root_storage_usage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tag = d.pop("tag", UNSET)

        def _parse_private_ipv4(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        private_ipv4 = _parse_private_ipv4(d.pop("private_ipv4", UNSET))

        def _parse_global_ipv4(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        global_ipv4 = _parse_global_ipv4(d.pop("global_ipv4", UNSET))

        def _parse_global_ipv6(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        global_ipv6 = _parse_global_ipv6(d.pop("global_ipv6", UNSET))

        def _parse_bytes_received(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        bytes_received = _parse_bytes_received(d.pop("bytes_received", UNSET))

        def _parse_bytes_sent(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        bytes_sent = _parse_bytes_sent(d.pop("bytes_sent", UNSET))

        def _parse_packets_received(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        packets_received = _parse_packets_received(d.pop("packets_received", UNSET))

        def _parse_packets_sent(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        packets_sent = _parse_packets_sent(d.pop("packets_sent", UNSET))

        def _parse_root_storage_usage(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        root_storage_usage = _parse_root_storage_usage(
            d.pop("root_storage_usage", UNSET)
        )

        instance_status = cls(
            tag=tag,
            private_ipv4=private_ipv4,
            global_ipv4=global_ipv4,
            global_ipv6=global_ipv6,
            bytes_received=bytes_received,
            bytes_sent=bytes_sent,
            packets_received=packets_received,
            packets_sent=packets_sent,
            root_storage_usage=root_storage_usage,
        )

        instance_status.additional_properties = d
        return instance_status

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
