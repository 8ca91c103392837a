from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.error_object import ErrorObject
    from ..models.port import Port


T = TypeVar("T", bound="PortListEnvelope")


@_attrs_define
class PortListEnvelope:
    """
    Attributes:
        data (list[Port] | None):
        error (ErrorObject | None | str): The envelope's `error`: null on success, else a string or an `ErrorObject`.
    """

    data: list[Port] | None
    error: ErrorObject | None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.error_object import ErrorObject  # noqa: PLC0415

        data: list[dict[str, Any]] | None
        if isinstance(self.data, list):
            data = []
            for data_type_1_item_data in self.data:
                data_type_1_item = data_type_1_item_data.to_dict()
                data.append(data_type_1_item)

        else:
            data = self.data

        error: dict[str, Any] | None | str
        if isinstance(self.error, ErrorObject):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_object import ErrorObject  # noqa: PLC0415
        from ..models.port import Port  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_data(data: object) -> list[Port] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                data_type_1 = []
                _data_type_1 = data
                for data_type_1_item_data in _data_type_1:
                    data_type_1_item = Port.from_dict(data_type_1_item_data)

                    data_type_1.append(data_type_1_item)

                return data_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Port] | None, data)

        data = _parse_data(d.pop("data"))

        def _parse_error(data: object) -> ErrorObject | None | str:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_type_2 = ErrorObject.from_dict(data)

                return componentsschemas_error_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ErrorObject | None | str, data)

        error = _parse_error(d.pop("error"))

        port_list_envelope = cls(
            data=data,
            error=error,
        )

        port_list_envelope.additional_properties = d
        return port_list_envelope

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
