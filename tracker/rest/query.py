"""Query parameters of the API's lists: an unknown one, or a typed one left empty, is a 400.

A misspelt filter (`?parent=…` where the list knows `jurisdiction`) used to be ignored, and
the client got every row believing it got a few; `?as_of=` or `?measure=` without a value
was taken as no filter at all. Each list knows its parameters: its filters, its pagination
and ordering, `format` and `lang`, and any it names in `query_parameters`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter, CharFilter
from django_filters import OrderingFilter as OrderingFilterField
from rest_framework import serializers
from rest_framework.filters import BaseFilterBackend, OrderingFilter, SearchFilter

# Known to every endpoint: DRF's format override and the language switch.
ALWAYS_KNOWN = frozenset({"format", "lang"})
UNKNOWN_PARAMETER = _("Unknown query parameter; this endpoint takes: {known}.")
EMPTY_VALUE = _("Give a value, or leave the parameter out.")
NOT_A_BOOLEAN = _("Enter true or false.")
# What django-filter's BooleanFilter reads as yes or no (it takes anything else as absent).
BOOLEANS = frozenset({"true", "false", "1", "0"})


def check_query_parameters(
    request, *, known: Iterable[str], text: Iterable[str] = (), yes_no: Iterable[str] = ()
) -> None:
    """Refuse (400) query parameters not in `known`, empty ones not in `text`, and ones in
    `yes_no` that are not true or false."""
    known = ALWAYS_KNOWN | set(known)
    free_text = ALWAYS_KNOWN | set(text)
    errors: dict[str, list] = {}
    listed = ", ".join(sorted(known))
    yes_no = set(yes_no)
    for name, values in request.query_params.lists():
        if name not in known:
            errors[name] = [UNKNOWN_PARAMETER.format(known=listed)]
        elif name not in free_text and any(value == "" for value in values):
            errors[name] = [EMPTY_VALUE]
        elif name in yes_no and any(value.lower() not in BOOLEANS for value in values):
            errors[name] = [NOT_A_BOOLEAN]
    if errors:
        raise serializers.ValidationError(errors)


def view_query_parameters(view) -> dict[str, set[str]]:
    """The query parameters a list view takes (`known`), those of them that are free text
    (`text`) and those that are true or false (`yes_no`): check_query_parameters' keywords."""
    known = set(getattr(view, "query_parameters", ()))
    text: set[str] = set()
    yes_no: set[str] = set()
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None:
        for name, found in filterset_class.base_filters.items():
            known.add(name)
            if isinstance(found, CharFilter | OrderingFilterField):  # ordering= is no order
                text.add(name)
            elif isinstance(found, BooleanFilter):
                yes_no.add(name)
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        known.update(
            name
            for name in (
                getattr(paginator, "page_query_param", None),
                getattr(paginator, "page_size_query_param", None),
            )
            if name
        )
    for backend in getattr(view, "filter_backends", ()):
        if issubclass(backend, OrderingFilter):
            known.add(backend.ordering_param)
            text.add(backend.ordering_param)
        if issubclass(backend, SearchFilter):
            known.add(backend.search_param)
            text.add(backend.search_param)
    return {"known": known, "text": text, "yes_no": yes_no}


class KnownParametersFilter(BaseFilterBackend):
    """Refuses a list request with an unknown query parameter or an empty typed one."""

    def filter_queryset(self, request, queryset, view):
        if request.method == "GET" and not getattr(view, "detail", False):
            check_query_parameters(request, **view_query_parameters(view))
        return queryset
