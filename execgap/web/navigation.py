"""What the header of every page offers: the organization's pages, its switcher and the scores' state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from execgap.web.pages import OrgContext, memberships_of
from execgap.web.scores import scores_status_context


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


# (label, URL name): the pages of an organization, in the order of the main navigation.
ORG_PAGES = (
    ("Health", "health"),
    ("Strategy map", "strategy_map"),
    ("Alignment", "alignment"),
    ("Resources", "resources"),
    ("Scenarios", "scenarios"),
    ("Teams", "teams"),
    ("My work", "my_work"),
    ("Feedback", "feedback_list"),
    ("Alerts", "alert_list"),
    ("Plan history", "plan_history"),
    ("Settings", "settings"),
)

# The pages of the signed-in user, whatever the organization.
ACCOUNT_PAGES = (
    ("API tokens", "token_list"),
    ("Change password", "password_change"),
    ("New organization", "organization_create"),
)


def _items(request: HttpRequest, pages: tuple[tuple[str, str], ...], **kwargs: str) -> list[NavItem]:
    current = request.resolver_match.url_name if request.resolver_match else None
    return [
        NavItem(label, reverse(name, kwargs=kwargs or None), _within(current, name)) for label, name in pages
    ]


def _within(current: str | None, name: str) -> bool:
    """Is the page `current` the page `name` or one of its section (`settings_team_edit` is in settings)?"""
    return current is not None and (current == name or current.startswith(f"{name}_"))


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context of every page: `org`, `nav`, `memberships` and, on organization pages,
    `scores_status` (see `execgap.web.scores`)."""
    if not request.user.is_authenticated:
        return {}
    account = {"account_nav": _items(request, ACCOUNT_PAGES)}
    org: OrgContext | None = getattr(request, "org", None)
    if org is None:
        return account
    return account | {
        "org": org,
        "nav": _items(request, ORG_PAGES, org_slug=org.organization.slug),
        "memberships": memberships_of(request.user),
        "scores_status": _scores_status(request, org),
    }


def _scores_status(request: HttpRequest, org: OrgContext) -> dict[str, Any]:
    """The status of the snapshot the page read first (`page_scores_stamp`), else of the newest."""
    if not hasattr(request, "scores_stamp"):
        return scores_status_context(org.organization)
    stamp = request.scores_stamp
    return scores_status_context(
        org.organization, stamp=stamp, seen=stamp[0] if stamp else None, latest=False
    )
