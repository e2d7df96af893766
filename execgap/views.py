"""The first pages: the home page lists the cascade of the organization the user is looking at."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from execgap.models import Membership
from objectives.selectors import objective_tree

CURRENT_ORG_SESSION_KEY = "execgap_org"


class AuthenticatedRequest(HttpRequest):
    """A request that `login_required` let through: `user` is a signed-in user."""

    user: User


def current_membership(request: HttpRequest, memberships: list[Membership]) -> Membership | None:
    """The membership whose organization the user is looking at.

    `?org=<slug>` chooses (and is remembered in the session); else the remembered one; else the
    first. Only organizations where the user has a membership can be chosen: an unknown slug or
    one of another organization falls back as if it were absent.
    """
    by_slug = {membership.organization.slug: membership for membership in memberships}
    for slug in (request.GET.get("org"), request.session.get(CURRENT_ORG_SESSION_KEY)):
        if slug in by_slug:
            if request.session.get(CURRENT_ORG_SESSION_KEY) != slug:
                request.session[CURRENT_ORG_SESSION_KEY] = slug
            return by_slug[slug]
    return memberships[0] if memberships else None


@login_required(login_url="login")
def home(request: AuthenticatedRequest) -> HttpResponse:
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("organization")
        .order_by("organization__name", "organization_id")
    )
    membership = current_membership(request, memberships)
    context = {
        "memberships": memberships,
        "membership": membership,
        "organization": membership.organization if membership else None,
        "tree": objective_tree(organization=membership.organization) if membership else [],
    }
    return render(request, "home.html", context)
