"""A page whose URL is reserved but not yet built (answers 501). Removed once every page exists."""

from typing import Any

from django.http import HttpRequest, HttpResponse


def not_built(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("Not built yet.", status=501)
