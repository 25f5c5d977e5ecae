"""Reads of the indicator catalogue."""

from django.db.models import QuerySet

from indicators.models import Indicator


def indicator_list() -> QuerySet[Indicator]:
    """All indicators, by code."""
    return Indicator.objects.order_by("code")
