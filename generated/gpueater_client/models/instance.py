from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Instance")


@_attrs_define
class Instance:
    """A launched instance.

    Attributes:
        instance_id (str):
        machine_resource_id (str):
        connection_id (str):
        tag (str):
        state (str): The life-cycle state. Known values: LAUNCHING, RUNNING, STOPPING, STOPPED,
            TERMINATING. Deliberately not an enum: a state the service adds later must not
            break existing clients, which should treat an unknown state as "not ready".
        product_name (str | Unset):
        cpu (int | Unset):
        memory (int | Unset): MB.
        root_storage (int | Unset): GB.
        device_desc (str | Unset):
        ipv4 (None | str | Unset): Null until an address is assigned.
        ipv6 (None | str | Unset):
        sshd_port (int | Unset):
        sshd_user (str | Unset):
        ssh_key_file_name (str | Unset): The private key is expected at `~/.ssh/<ssh_key_file_name>.pem`.
        created_at (str | Unset): ISO 8601 time.
        price (float | Unset): USD per hour.
    """

    instance_id: str
    machine_resource_id: str
    connection_id: str
    tag: str
    state: str
    product_name: str | Unset = UNSET
    cpu: int | Unset = UNSET
    memory: int | Unset = UNSET
    root_storage: int | Unset = UNSET
    device_desc: str | Unset = UNSET
    ipv4: None | str | Unset = UNSET
    ipv6: None | str | Unset = UNSET
    sshd_port: int | Unset = UNSET
    sshd_user: str | Unset = UNSET
    ssh_key_file_name: str | Unset = UNSET
    created_at: str | Unset = UNSET
    price: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        instance_id = self.instance_id

        machine_resource_id = self.machine_resource_id

        connection_id = self.connection_id

        tag = self.tag

        state = self.state

        product_name = self.product_name

        cpu = self.cpu

        memory = self.memory

        root_storage = self.root_storage

        device_desc = self.device_desc

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

        sshd_port = self.sshd_port

        sshd_user = self.sshd_user

        ssh_key_file_name = self.ssh_key_file_name

        created_at = self.created_at

        price = self.price

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "instance_id": instance_id,
                "machine_resource_id": machine_resource_id,
                "connection_id": connection_id,
                "tag": tag,
                "state": state,
            }
        )
        if product_name is not UNSET:
            field_dict["product_name"] = product_name
        if cpu is not UNSET:
            field_dict["cpu"] = cpu
        if memory is not UNSET:
            field_dict["memory"] = memory
        if root_storage is not UNSET:
            field_dict["root_storage"] = root_storage
        if device_desc is not UNSET:
            field_dict["device_desc"] = device_desc
        if ipv4 is not UNSET:
            field_dict["ipv4"] = ipv4
        if ipv6 is not UNSET:
            field_dict["ipv6"] = ipv6
        if sshd_port is not UNSET:
            field_dict["sshd_port"] = sshd_port
        if sshd_user is not UNSET:
            field_dict["sshd_user"] = sshd_user
        if ssh_key_file_name is not UNSET:
            field_dict["ssh_key_file_name"] = ssh_key_file_name
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if price is not UNSET:
            field_dict["price"] = price

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        instance_id = d.pop("instance_id")

        machine_resource_id = d.pop("machine_resource_id")

        connection_id = d.pop("connection_id")

        tag = d.pop("tag")

        state = d.pop("state")

        product_name = d.pop("product_name", UNSET)

        cpu = d.pop("cpu", UNSET)

        memory = d.pop("memory", UNSET)

        root_storage = d.pop("root_storage", UNSET)

        device_desc = d.pop("device_desc", UNSET)

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

        sshd_port = d.pop("sshd_port", UNSET)

        sshd_user = d.pop("sshd_user", UNSET)

        ssh_key_file_name = d.pop("ssh_key_file_name", UNSET)

        created_at = d.pop("created_at", UNSET)

        price = d.pop("price", UNSET)

        instance = cls(
            instance_id=instance_id,
            machine_resource_id=machine_resource_id,
            connection_id=connection_id,
            tag=tag,
            state=state,
            product_name=product_name,
            cpu=cpu,
            memory=memory,
            root_storage=root_storage,
            device_desc=device_desc,
            ipv4=ipv4,
            ipv6=ipv6,
            sshd_port=sshd_port,
            sshd_user=sshd_user,
            ssh_key_file_name=ssh_key_file_name,
            created_at=created_at,
            price=price,
        )

        instance.additional_properties = d
        return instance

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
