from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Invoice")


@_attrs_define
class Invoice:
    """An invoice.

    Attributes:
        invoice_id (str):
        amount (float):
        kind (str | Unset): Known values: ondemand, subscription.
        period (str | Unset): The month billed, `YYYY-MM`.
        currency (str | Unset):
        status (str | Unset): Known values: OPEN, PAID.
        created_at (str | Unset):
    """

    invoice_id: str
    amount: float
    kind: str | Unset = UNSET
    period: str | Unset = UNSET
    currency: str | Unset = UNSET
    status: str | Unset = UNSET
    created_at: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        invoice_id = self.invoice_id

        amount = self.amount

        kind = self.kind

        period = self.period

        currency = self.currency

        status = self.status

        created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "invoice_id": invoice_id,
                "amount": amount,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if period is not UNSET:
            field_dict["period"] = period
        if currency is not UNSET:
            field_dict["currency"] = currency
        if status is not UNSET:
            field_dict["status"] = status
        if created_at is not UNSET:
            field_dict["created_at"] = created_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        invoice_id = d.pop("invoice_id")

        amount = d.pop("amount")

        kind = d.pop("kind", UNSET)

        period = d.pop("period", UNSET)

        currency = d.pop("currency", UNSET)

        status = d.pop("status", UNSET)

        created_at = d.pop("created_at", UNSET)

        invoice = cls(
            invoice_id=invoice_id,
            amount=amount,
            kind=kind,
            period=period,
            currency=currency,
            status=status,
            created_at=created_at,
        )

        invoice.additional_properties = d
        return invoice

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
