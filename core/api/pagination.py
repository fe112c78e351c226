from rest_framework.pagination import CursorPagination, PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class KeysetPagination(CursorPagination):
    """Keyset pagination for big tables: no OFFSET scans, no COUNT."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-id",)
