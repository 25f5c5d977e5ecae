"""Serializer fields for months and exact decimals."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker.numbers import plain_decimal

MONTH_FORMAT_ERROR = _("Enter a month as YYYY-MM (for example 2017-05).")
# How the API writes an exact amount: a decimal string, never a JSON number (which a client
# would read as a binary float).
DECIMAL_STRING = {
    "type": "string",
    "format": "decimal",
    "pattern": r"^-?\d+(\.\d+)?$",
    "example": "12700000000",
    "description": "A decimal number written as a string.",
}


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2017-05"})
class MonthField(serializers.Field):
    """A calendar month written YYYY-MM, stored as the first day of that month."""

    default_error_messages = {"invalid": MONTH_FORMAT_ERROR}

    def to_representation(self, value: date | str) -> str:
        if isinstance(value, str):  # an ISO date kept in JSON
            return value[:7]
        return f"{value.year:04d}-{value.month:02d}"

    def to_internal_value(self, data) -> date:
        if isinstance(data, str):
            for fmt in ("%Y-%m", "%Y-%m-%d"):
                try:
                    return datetime.strptime(data.strip(), fmt).date().replace(day=1)
                except ValueError:
                    continue
        self.fail("invalid")


@extend_schema_field(DECIMAL_STRING)
class ExactDecimalField(serializers.DecimalField):
    """A decimal written as a string without trailing zeros: "12700000000", "2.9"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 24)
        kwargs.setdefault("decimal_places", 6)
        super().__init__(**kwargs)

    def to_representation(self, value) -> str | None:
        return None if value is None else plain_decimal(value)
