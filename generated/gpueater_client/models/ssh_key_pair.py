from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SshKeyPair")


@_attrs_define
class SshKeyPair:
    """A generated RSA key pair (see `generate_ssh_key`). The private key is a secret.

    Attributes:
        public_key (str): The OpenSSH public key line (`ssh-rsa AAAA... comment`).
        private_key (str): The unencrypted private key in PEM (`-----BEGIN RSA PRIVATE KEY-----`).
    """

    public_key: str
    private_key: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        public_key = self.public_key

        private_key = self.private_key

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "public_key": public_key,
                "private_key": private_key,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        public_key = d.pop("public_key")

        private_key = d.pop("private_key")

        ssh_key_pair = cls(
            public_key=public_key,
            private_key=private_key,
        )

        ssh_key_pair.additional_properties = d
        return ssh_key_pair

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
