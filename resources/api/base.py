"""The viewset base of the resources and feedback endpoints: `OrgRowViewSet` with keyset pagination,
the API's error answers, and 405 (not 403) for an operation the endpoint does not have."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import exceptions
from rest_framework.request import Request

from execgap.api.base import OrgRowViewSet
from execgap.api.exceptions import exception_handler
from execgap.api.pagination import StablePagination


class OrgRowsViewSet(OrgRowViewSet):
    pagination_class = StablePagination

    def get_exception_handler(self) -> Callable[..., Any]:
        # Named here, not only in settings: a service's ValidationError must answer 400 and a
        # stale version 412, whatever REST_FRAMEWORK["EXCEPTION_HANDLER"] says.
        return exception_handler

    def check_permissions(self, request: Request) -> None:
        # An operation the endpoint does not have is 405 for every role, not "your role may not".
        if (request.method or "").lower() not in self.http_method_names:
            raise exceptions.MethodNotAllowed(request.method or "")
        super().check_permissions(request)
