"""The 403 answer (`handler403`): why the action was refused, what role it needs and where to go.

A page shows it in the site's layout; an htmx request gets the same words as a fragment that htmx
puts at the top of the page's main content (static/js/alerts.js); under /api/ the answer is the API's
JSON error (the API's own views answer theirs through DRF before this is reached).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from execgap.models import Membership, Role
from execgap.roles import RoleRefusedError
from execgap.web.pages import OrgContext

# The message of a refusal that carries none (Django's CSRF failure, say).
GENERIC = "You are not allowed to do this."
ROLE_PHRASES = {
    Role.VIEWER: "any member",
    Role.MEMBER: "members, team leads, executives and admins",
    Role.LEAD: "team leads, executives and admins",
    Role.EXECUTIVE: "executives and admins",
    Role.ADMIN: "admins only",
}
ADMINS_SHOWN = 3


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 403 answer to a PermissionDenied: see the module's docstring."""
    message = str(exception) or GENERIC
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=403)
    org: OrgContext | None = getattr(request, "org", None)
    needed = exception.needed if isinstance(exception, RoleRefusedError) else None
    context = {
        "message": message,
        "needed": ROLE_PHRASES.get(needed) if needed is not None else None,
        "admins": _admins(org) if org is not None else [],
        "back": _back(request),
        "home": reverse("health", kwargs={"org_slug": org.organization.slug}) if org else reverse("home"),
    }
    if getattr(request, "htmx", False):
        response = render(request, "partials/forbidden.html", context, status=403)
        # Shown at the top of the page's content, whatever part of it the request meant to swap.
        response["HX-Retarget"] = "#main"
        response["HX-Reswap"] = "afterbegin"
        response["HX-Reselect"] = "#forbidden-notice"
        return response
    return render(request, "403.html", context, status=403)


def _admins(org: OrgContext) -> list[str]:
    """The usernames of a few of the organization's admins: whom to ask for another role."""
    admins = Membership.objects.filter(organization_id=org.organization.pk, role=Role.ADMIN)
    return list(admins.order_by("user__username").values_list("user__username", flat=True)[:ADMINS_SHOWN])


def _back(request: HttpRequest) -> str | None:
    """The page the member came from, when it is one of this site's (and not this one)."""
    referer = request.headers.get("Referer", "")
    if not referer or referer == request.build_absolute_uri():
        return None
    allowed = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if allowed else None
