"""Organization pages: `/o/<slug>/...`, resolved once per request into `request.org`.

Every page of an organization is a function view decorated with `org_page`: it requires a signed-in
user with a membership of that organization (anyone else gets a 404, the same answer as for an
organization that does not exist), checks the role rule the page needs, and hands the view an
`OrgRequest` whose `org` holds the membership. Queries then go through `Model.objects.for_org(...)`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from execgap import roles
from execgap.models import Membership, Organization, Role
from execgap.roles import Action, Resource
from resources.models import Person

CURRENT_ORG_SESSION_KEY = "execgap_org"

P = ParamSpec("P")


@dataclass(frozen=True)
class OrgContext:
    """The member looking at a page and the organization it is about."""

    membership: Membership

    @property
    def organization(self) -> Organization:
        return self.membership.organization

    @property
    def role(self) -> Role:
        return Role(self.membership.role)

    @functools.cached_property
    def person(self) -> Person | None:
        return roles.person_of(self.membership)

    def can(self, resource: Resource, action: Action, obj: object = None) -> bool:
        return roles.is_allowed(self.membership, resource, action, obj)

    def require(self, resource: Resource, action: Action, obj: object = None) -> None:
        roles.require(self.membership, resource, action, obj)


class AuthenticatedRequest(HttpRequest):
    """A request that `login_required` let through: `user` is a signed-in user."""

    user: User
    htmx: HtmxDetails


class OrgRequest(AuthenticatedRequest):
    """A request to an organization page: `org` is resolved by `org_page`; on a page rendered whole,
    `scores_stamp` is the newest snapshot (id, computed_at) as it started (see `execgap.web.scores`)."""

    org: OrgContext
    scores_stamp: tuple[int, datetime] | None


OrgView = Callable[Concatenate[OrgRequest, P], HttpResponse]


def org_page(
    resource: Resource = Resource.ORGANIZATION, action: Action = Action.VIEW, *, fragment: bool = False
) -> Callable[[OrgView[P]], Callable[..., HttpResponse]]:
    """Decorate a view of `/o/<org_slug>/...`: sign-in, membership and the role rule for the page.

    `resource`/`action` is the rule the page as a whole needs (without a row: row rules are checked
    by the services, or by the view with `request.org.require(...)`). A refused rule is a 403 that
    names the role and what was refused. A view that only ever answers a piece of a page (a search's
    matches, a level of the map, the scores status) says `fragment`: it shows no scores status.
    """

    def decorate(view: OrgView[P]) -> Callable[..., HttpResponse]:
        @login_required
        @functools.wraps(view)
        def wrapped(
            request: AuthenticatedRequest, org_slug: str, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            membership = (
                Membership.objects.select_related("organization", "user")
                .filter(user=request.user, organization__slug=org_slug)
                .first()
            )
            if membership is None:
                raise Http404("No such organization.")
            org_request: OrgRequest = request  # type: ignore[assignment]
            org_request.org = OrgContext(membership)
            if request.session.get(CURRENT_ORG_SESSION_KEY) != org_slug:
                request.session[CURRENT_ORG_SESSION_KEY] = org_slug
            if not org_request.org.can(resource, action):
                raise roles.RoleRefusedError(
                    f"Your role ({membership.get_role_display().lower()}) may not "
                    f"{action.value} {roles.noun(resource, plural=True)} here.",
                    resource=resource,
                    action=action,
                )
            if not fragment and request.method == "GET" and not request.htmx:
                # A page rendered whole: which snapshot it shows is read before anything else.
                from execgap.web.scores import page_scores_stamp  # scores decorates its views with this

                page_scores_stamp(org_request)
            return view(org_request, *args, **kwargs)

        return wrapped

    return decorate


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships, by organization name: what the organization switcher offers."""
    return list(
        Membership.objects.filter(user_id=user.pk)
        .select_related("organization")
        .order_by("organization__name", "organization_id")
    )


def safe_next(request: HttpRequest) -> str | None:
    """Where to go back to: `next` (posted, or in the query) when it is a URL of this site, else None."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
