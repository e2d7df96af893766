"""What the account endpoints share: the API's error answers and the sign-in lockout's 429."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from rest_framework import exceptions, status
from rest_framework.views import APIView

from execgap.api.exceptions import exception_handler


class ApiErrorsMixin(APIView):
    def get_exception_handler(self) -> Callable[..., Any]:
        # Named here, not only in settings: a service's ValidationError must answer 400 and a
        # stale version 412, whatever REST_FRAMEWORK["EXCEPTION_HANDLER"] says.
        return exception_handler


class LockedOutError(exceptions.APIException):
    """Too many failed sign-ins (django-axes): 429 with the lockout's message and `Retry-After`."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "Too many failed sign-ins: try again later."
    default_code = "locked_out"

    def __init__(self, detail: str, *, retry_after: timedelta | None) -> None:
        super().__init__(detail)
        # DRF's exception handler sends a truthy `wait` as the Retry-After header (seconds).
        self.wait = int(retry_after.total_seconds()) if retry_after else None
