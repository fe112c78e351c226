"""API pagination: keyset pages of every list (``core.keyset``), never an exact COUNT or an OFFSET.

The envelope stays ``count``/``next``/``previous``/``results``: ``count`` is counted up to 1,001
(``count_capped`` says there are more), ``next``/``previous`` carry an opaque ``cursor``, and
``page_size`` is at most 100."""
from __future__ import annotations

from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.keyset import COUNT_CAP, MAX_PAGE_SIZE, PAGE_SIZE, keyset_page


class StandardPagination(BasePagination):
    page_size = PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"

    def _size(self, request) -> int:
        value = request.query_params.get(self.page_size_query_param, "")
        return min(int(value), self.max_page_size) if value.isdigit() and int(value) > 0 else self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page = keyset_page(request.query_params, queryset, per_page=self._size(request),
                                param=self.cursor_query_param)
        return list(self.page)

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        return replace_query_param(remove_query_param(self.request.build_absolute_uri(), "page"),
                                   self.cursor_query_param, cursor)

    def get_next_link(self) -> str | None:
        return self._link(self.page.next_cursor)

    def get_previous_link(self) -> str | None:
        return self._link(self.page.previous_cursor)

    def get_paginated_response(self, data):
        return Response({"count": self.page.count, "count_capped": self.page.count_capped,
                         "next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123,
                          "description": f"counted up to {COUNT_CAP + 1}; count_capped: more than {COUNT_CAP}"},
                "count_capped": {"type": "boolean"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.cursor_query_param, "required": False, "in": "query",
             "description": "opaque cursor from next/previous", "schema": {"type": "string"}},
            {"name": self.page_size_query_param, "required": False, "in": "query",
             "description": f"rows per page (at most {MAX_PAGE_SIZE})", "schema": {"type": "integer"}},
        ]


class BoundedPagination(PageNumberPagination):
    """Page numbers over a bounded list (the search's newest 1,000 ids), told its count."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
