"""What the API accepts from a client, checked in one place.

- No text may hold the NUL character: PostgreSQL refuses it in text and JSON columns, so it
  would fail the request with a 500 after the view accepted it. Query strings are checked by
  `NulInQueryMiddleware`, request bodies by the parsers (tracker/rest/parsers.py).
- A whole number written as text must be in the digits 0-9: `str.isdigit()` also accepts "²"
  (which `int()` refuses) and `int()` reads "٣" as 3. `is_whole_number` says which is which.
- Text is text: `TextField` refuses a JSON number or boolean where a string is expected.
- A number sent as text is read only in the digits 0-9: DRF's number and id fields go
  through `int()` and `Decimal()`, which read "٣" and "３" as 3 (`AsciiDigits`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

NUL = "\x00"
NUL_IN_TEXT = _("Text must not contain the NUL character (\\u0000).")
NOT_TEXT = _("Send text (a string), not a number or a boolean.")
NOT_A_WHOLE_NUMBER = _("Enter a whole number written in the digits 0-9.")
NOT_ASCII_DIGITS = _("Write the number in the digits 0-9.")
API_PREFIX = "/api/"


def is_whole_number(value: object) -> bool:
    """Whether a value is a whole number written in the digits 0-9 (not "²", not "٣")."""
    return isinstance(value, str) and value.isascii() and value.isdigit()


def _texts(data: Any, name: str) -> Iterator[tuple[str, str]]:
    """Every text in parsed request data, with the name of the field that holds it."""
    if isinstance(data, str):
        yield name, data
    elif isinstance(data, Mapping):
        lists = getattr(data, "lists", None)  # a QueryDict: every value of a repeated key
        items = lists() if lists is not None else data.items()
        for key, value in items:
            key = str(key)
            yield name or key, key
            yield from _texts(value, name or key)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _texts(value, name)


def nul_errors(data: Any) -> dict[str, list]:
    """The fields of parsed request data (JSON, a form, a query) whose text holds NUL."""
    return {name: [NUL_IN_TEXT] for name, text in _texts(data, "") if NUL in text}


def check_no_nul(data: Any) -> None:
    """Refuse request data with NUL in any text (a 400 naming the fields)."""
    errors = nul_errors(data)
    if errors:
        raise serializers.ValidationError(errors)


class TextOnly:
    """Takes only text: DRF's CharField also takes 12345 and stores "12345"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(NOT_TEXT, code="not_text")
        return super().to_internal_value(data)


class TextField(TextOnly, serializers.CharField):
    """A CharField that takes only text."""


class TextSlugField(TextOnly, serializers.SlugField):
    """A SlugField that takes only text."""


class AsciiDigits:
    """Reads a number sent as text only in the digits 0-9 (not "٣", not "３")."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not data.isascii():
            raise serializers.ValidationError(NOT_ASCII_DIGITS, code="not_ascii_digits")
        return super().to_internal_value(data)


class AsciiDecimalField(AsciiDigits, serializers.DecimalField):
    """A DecimalField that reads only the digits 0-9."""


class AsciiIntegerField(AsciiDigits, serializers.IntegerField):
    """An IntegerField that reads only the digits 0-9."""


class AsciiPrimaryKeyRelatedField(AsciiDigits, serializers.PrimaryKeyRelatedField):
    """A PrimaryKeyRelatedField that reads only the digits 0-9."""


class TextModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose text columns take only text (TextField) and whose number and
    id columns only the digits 0-9."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextField,
        models.SlugField: TextSlugField,
        models.TextField: TextField,
        models.DecimalField: AsciiDecimalField,
        models.IntegerField: AsciiIntegerField,
        models.BigIntegerField: AsciiIntegerField,
        models.PositiveIntegerField: AsciiIntegerField,
        models.PositiveSmallIntegerField: AsciiIntegerField,
        models.SmallIntegerField: AsciiIntegerField,
    }
    serializer_related_field = AsciiPrimaryKeyRelatedField


class NulInQueryMiddleware:
    """Refuse a query string with NUL in a parameter's name or value: a 400, not a 500."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
            "QUERY_STRING", ""
        ):
            errors = nul_errors(request.GET)
            if errors:
                return _refusal(request, errors)
        return self.get_response(request)


def _refusal(request: HttpRequest, errors: dict[str, list]) -> HttpResponse:
    name = next(iter(errors))
    message = f"{name}: {NUL_IN_TEXT}"
    if request.path.startswith(API_PREFIX):
        fields = {field: [str(m) for m in messages] for field, messages in errors.items()}
        return JsonResponse({"code": "invalid", "message": message, "fields": fields}, status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
