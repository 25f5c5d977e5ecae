"""Page-number pagination of the API's lists."""

from collections.abc import Callable

from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """Page-number pagination; clients may ask for up to 1000 rows a page."""

    page_size_query_param = "page_size"
    max_page_size = 1000


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
