"""What the settings views share: running a service from a form, and where to go afterwards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from execgap.roles import Action, Resource
from execgap.web.pages import OrgRequest, safe_next


def submitted(form: Any, call: Callable[[], object]) -> bool:
    """Validate `form` (an `OrgForm` or `OrgModelForm`) and, when valid, run the service `call`
    through it: True when the change was made; False with the reasons on the form (its input kept,
    nothing changed)."""
    if not form.is_valid():
        return False
    submit: Callable[[Callable[[], object]], object] = form.submit
    submit(call)
    return not form.errors


def redirect_next(request: HttpRequest, default: str) -> HttpResponse:
    """Back to `next` when it is a local URL, else to `default`."""
    return redirect(safe_next(request) or default)


def next_url(request: HttpRequest) -> str:
    """The `next` to carry through a form (empty unless it is a local URL)."""
    return safe_next(request) or ""


def posted(request: HttpRequest) -> Any:
    """The posted data to bind a form to, or None on a GET (an empty POST still binds: it is a submit)."""
    return request.POST if request.method == "POST" else None


def section(request: OrgRequest, name: str) -> dict[str, Any]:
    """The settings navigation's context: which section is open and which sections the member sees."""
    return {"section": name, "can_view_members": request.org.can(Resource.MEMBERSHIP, Action.VIEW)}
