"""The sign-in lockout's answer: 429 in the API's error shape."""

from __future__ import annotations

from datetime import timedelta

from rest_framework import exceptions, status


class LockedOutError(exceptions.APIException):
    """Too many failed sign-ins (django-axes): 429 with the lockout's message and `Retry-After`."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "Too many failed sign-ins: try again later."
    default_code = "locked_out"

    def __init__(self, detail: str, *, retry_after: timedelta | None) -> None:
        super().__init__(detail)
        # DRF's exception handler sends a truthy `wait` as the Retry-After header (seconds).
        self.wait = int(retry_after.total_seconds()) if retry_after else None
