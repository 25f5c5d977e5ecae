"""Page-number pagination of the API's lists."""

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

from tracker.rest.input import is_whole_number

PAGE_SIZE_INVALID = _("Enter a whole number of rows from 1 to {limit}.")


class StandardPagination(PageNumberPagination):
    """Page-number pagination; clients may ask for up to 1000 rows a page."""

    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        # DRF ignores a page size it cannot read (page_size=null gave the default page).
        values = request.query_params.getlist(self.page_size_query_param)
        if values:
            value = values[-1]
            if not is_whole_number(value) or not 1 <= int(value) <= self.max_page_size:
                message = PAGE_SIZE_INVALID.format(limit=self.max_page_size)
                raise serializers.ValidationError({self.page_size_query_param: [message]})
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
            elif parameter["name"] == self.page_query_param:
                parameter["schema"] |= {"minimum": 1}
        return parameters


class CountedQuerySet:
    """A queryset to paginate whose count comes from elsewhere (kept, not counted again).

    Django's paginator asks an object list only for `count()`, slices and `ordered`.
    """

    def __init__(self, queryset: QuerySet, *, count: Callable[[], int]) -> None:
        self.queryset = queryset
        self.counter = count

    def count(self) -> int:
        return self.counter()

    @property
    def ordered(self) -> bool:
        return self.queryset.ordered

    def __getitem__(self, index):
        return self.queryset[index]
