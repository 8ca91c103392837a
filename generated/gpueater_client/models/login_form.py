from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LoginForm")


@_attrs_define
class LoginForm:
    """Either `email` and `password`, or `access_token` and `secret_token`. The token pair
    is the project's definition (`x-path-source: project`): the service's README promises
    it, no published client sent it.

        Attributes:
            email (str | Unset):
            password (str | Unset):
            access_token (str | Unset):
            secret_token (str | Unset):
    """

    email: str | Unset = UNSET
    password: str | Unset = UNSET
    access_token: str | Unset = UNSET
    secret_token: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        password = self.password

        access_token = self.access_token

        secret_token = self.secret_token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if email is not UNSET:
            field_dict["email"] = email
        if password is not UNSET:
            field_dict["password"] = password
        if access_token is not UNSET:
            field_dict["access_token"] = access_token
        if secret_token is not UNSET:
            field_dict["secret_token"] = secret_token

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email", UNSET)

        password = d.pop("password", UNSET)

        access_token = d.pop("access_token", UNSET)

        secret_token = d.pop("secret_token", UNSET)

        login_form = cls(
            email=email,
            password=password,
            access_token=access_token,
            secret_token=secret_token,
        )

        login_form.additional_properties = d
        return login_form

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
