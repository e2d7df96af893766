"""The viewset base of the resources and feedback endpoints: `OrgRowViewSet` with keyset pagination
and the API's error answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from execgap.api.base import OrgRowViewSet
from execgap.api.exceptions import exception_handler
from execgap.api.pagination import StablePagination


class OrgRowsViewSet(OrgRowViewSet):
    pagination_class = StablePagination

    def get_exception_handler(self) -> Callable[..., Any]:
        # Named here, not only in settings: a service's ValidationError must answer 400 and a
        # stale version 412, whatever REST_FRAMEWORK["EXCEPTION_HANDLER"] says.
        return exception_handler
