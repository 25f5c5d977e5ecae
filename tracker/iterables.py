"""Helpers for iterating in rounds (itertools.batched arrives with Python 3.12)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[tuple[T, ...]]:
    """The items in tuples of `size` (the last one shorter), as itertools.batched gives them."""
    iterator = iter(items)
    while batch := tuple(islice(iterator, size)):
        yield batch
