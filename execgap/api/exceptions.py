"""How the API answers errors: one shape, specific messages, the right status.

- Django `ValidationError` from a service → 400 with `{field: [messages]}` (DRF's shape; errors
  not tied to a field under `non_field_errors`);
- `StaleVersionError` → 412 with the current version;
- `ConfirmationRequiredError` (a deletion that would take other rows with it) → 409 listing them;
- `PermissionDenied` → 403, `Http404`/`DoesNotExist` → 404 (DRF's own handling);
- the database unreachable → 503 with `Retry-After` (`execgap.outage`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from execgap.outage import API_DETAIL, RETRY_AFTER_SECONDS, is_database_outage
from execgap.services import ConfirmationRequiredError, StaleVersionError


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "This row was changed by someone else: read it again and reapply your change."
    default_code = "stale_version"


def validation_error_detail(error: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as DRF's field → messages mapping."""
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: list(error.messages)}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in error.message_dict.items()
    }


class DatabaseUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = API_DETAIL
    default_code = "database_unavailable"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if is_database_outage(exc):
        # Answered here, not raised on: DRF would re-raise it (a 500 page; in DEBUG hidden behind an
        # AttributeError on `accepted_renderer` when authentication was what failed).
        response = drf_exception_handler(DatabaseUnavailable(), context)
        if response is not None:
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if isinstance(exc, ConfirmationRequiredError):
        return Response(
            {"detail": f"{exc.summary} Send ?cascade=true to delete them with it.", "cascade": exc.rows},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_error_detail(exc))
    elif isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, list):
        # A refusal tied to no field (a `search` with a null character, say) takes the shape of every
        # other 400: field → messages.
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.detail})
    elif isinstance(exc, StaleVersionError):
        response = drf_exception_handler(PreconditionFailed(), context)
        if response is not None:
            response.data["current_version"] = exc.current
        return response
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 page (`handler400`), except under /api/: a request Django refuses to read (more
    fields than DATA_UPLOAD_MAX_NUMBER_FIELDS, say) answers the API's own 400, in JSON."""
    if request.path.startswith("/api/"):
        detail = "This request could not be read."
        if isinstance(exception, RequestDataTooBig):
            detail = f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes."
        return JsonResponse({"detail": detail}, status=400)
    return defaults.bad_request(request, exception)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 page (`handler404`), except under /api/: a URL the API does not route (a row id
    that is not a number, say) answers the API's own 404, in JSON, as the schema documents."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
