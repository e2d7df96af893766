"""Where a signed-in user lands: their organization's health page, or the way to a first one."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from execgap.models import Membership
from execgap.web.pages import CURRENT_ORG_SESSION_KEY, AuthenticatedRequest, memberships_of


def current_membership(request: AuthenticatedRequest, memberships: list[Membership]) -> Membership | None:
    """The membership whose organization the user is looking at.

    `?org=<slug>` chooses; else the one remembered in the session; else the first. Only
    organizations where the user has a membership can be chosen: an unknown slug or one of another
    organization falls back as if it were absent.
    """
    by_slug = {membership.organization.slug: membership for membership in memberships}
    for slug in (request.GET.get("org"), request.session.get(CURRENT_ORG_SESSION_KEY)):
        if slug in by_slug:
            return by_slug[slug]
    return memberships[0] if memberships else None


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """Open the current organization's health page; with no organization, the welcome page."""
    membership = current_membership(request, memberships_of(request.user))
    if membership is None:
        return render(request, "welcome.html")
    return redirect("health", org_slug=membership.organization.slug)


@login_required
def org_switch(request: AuthenticatedRequest) -> HttpResponse:
    """The organization switcher (`?org=<slug>`): the same as opening home with that choice."""
    return home(request)


def signup_rate(group: str, request: HttpRequest) -> str:
    """The sign-up rate per client address (setting `EXECGAP_SIGNUP_RATE`), read at each request."""
    return str(settings.EXECGAP_SIGNUP_RATE)


def password_reset_rate(group: str, request: HttpRequest) -> str:
    """The password-reset rate per client address (setting `EXECGAP_PASSWORD_RESET_RATE`)."""
    return str(settings.EXECGAP_PASSWORD_RESET_RATE)


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """What a client over one of the rates above sees (django-ratelimit's `RATELIMIT_VIEW`): 429."""
    return render(request, "rate_limited.html", status=429)
