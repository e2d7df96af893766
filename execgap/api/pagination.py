from rest_framework.pagination import CursorPagination


class StablePagination(CursorPagination):
    """Keyset pagination by id: a stable order, and page N costs the same as page 1 at any size."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
