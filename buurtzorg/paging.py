"""Paging through lists too long to count on every page view (the access log)."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet


@dataclass
class UncountedPage:
    """One page of a queryset, found without a COUNT(*).

    Django's Paginator counts the whole list for "page 3 of N"; on an append-only log of
    millions of rows that count costs more than the page itself, and more every day. This page
    reads one row beyond its end to know whether there is a next page, so the cost of a page
    depends on its size and number only. Offers the attributes the pagination templates use.
    """

    object_list: list[Any]
    number: int
    has_next_page: bool
    per_page: int = field(repr=False)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.has_next_page

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next_page or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_without_count(queryset: QuerySet, number: object, per_page: int) -> UncountedPage:
    """Page `number` (1-based; anything else means 1) of an ordered `queryset`.

    A page beyond the end comes back empty (with a link back), rather than jumping to a last
    page, which would need the count.
    """
    try:
        page = max(1, int(str(number)))
    except ValueError:
        page = 1
    start = (page - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return UncountedPage(
        object_list=rows[:per_page],
        number=page,
        has_next_page=len(rows) > per_page,
        per_page=per_page,
    )
