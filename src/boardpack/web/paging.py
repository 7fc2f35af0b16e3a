"""Paging the read API's lists: `limit` (how many, `DEFAULT_LIMIT` unless asked, at most
`MAX_LIMIT`) and `offset` (how many to skip). The body stays the list itself; the headers say
the rest, as GitHub's API does: `X-Total-Count` (how many there are in all) and `Link` (the
`next` and `prev` pages' addresses, where there are such pages)."""

from __future__ import annotations

from django.db.models import QuerySet
from ninja import Field, Schema

#: Items on a page unless `limit` asks for another number.
DEFAULT_LIMIT = 1000
#: The most items one page holds.
MAX_LIMIT = 5000
#: How the OpenAPI document describes paging, for every list endpoint.
WORDS = (
    f"Paged: `limit` items (default {DEFAULT_LIMIT}, at most {MAX_LIMIT}) after skipping "
    "`offset`. The header `X-Total-Count` gives how many there are in all, and `Link` the "
    'addresses of the `rel="next"` and `rel="prev"` pages.'
)
HEADERS = {
    "X-Total-Count": {
        "description": "How many items there are in all, on every page",
        "schema": {"type": "integer"},
    },
    "Link": {
        "description": 'The next and previous pages, as <address>; rel="next", <address>; '
        'rel="prev" (RFC 8288); absent on a single page',
        "schema": {"type": "string"},
    },
}
#: `openapi_extra` for a paged operation: the headers of its answer.
OPENAPI = {"responses": {200: {"headers": HEADERS}}}


class Paging(Schema):
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, 1 to {MAX_LIMIT}"
    )
    offset: int = Field(0, ge=0, description="Items to skip before the page starts")


def page(request, response, rows, paging: Paging) -> list:
    """The page of `rows` (a query or a list) that `paging` asks for, with its headers set on
    `response`."""
    total = rows.count() if isinstance(rows, QuerySet) else len(rows)
    start, size = paging.offset, paging.limit
    links = []
    if start + size < total:
        links.append(f'<{_address(request, start + size, size)}>; rel="next"')
    if start > 0:
        links.append(f'<{_address(request, max(0, start - size), size)}>; rel="prev"')
    response["X-Total-Count"] = str(total)
    if links:
        response["Link"] = ", ".join(links)
    return list(rows[start : start + size])


def _address(request, offset: int, limit: int) -> str:
    query = request.GET.copy()
    query["offset"], query["limit"] = str(offset), str(limit)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
