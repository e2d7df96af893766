"""What a client sees while the database is unreachable: "try again shortly", never a bare 500.

The API answers its own JSON error shape with 503 and `Retry-After`; the pages a plain "try again"
page (503) that itself needs no database (no session, no navigation). Three doors lead here: a view
that raised (`DatabaseUnavailableMiddleware`), an API view that raised (the API's exception handler
calls `database_unavailable_api_response`) and a middleware that raised before any view ran
(`server_error`, Django's `handler500`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10
API_DETAIL = "The service is briefly unavailable (its database cannot be reached). Try again shortly."


def is_database_outage(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_ERRORS)


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, else the plain "try again" page."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": API_DETAIL}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that lost the database answers 503 "try again" rather than 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_outage(exception):
            return None
        logger.warning("The database is unreachable (%s %s): %r", request.method, request.path, exception)
        return database_unavailable_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 (`handler500`), except while the database is unreachable (503, "try again"), and
    under /api/ in the API's JSON shape. Called while the error is being handled."""
    if is_database_outage(sys.exc_info()[1]):
        return database_unavailable_response(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)
