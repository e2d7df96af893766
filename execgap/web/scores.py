"""Scores that refresh in place: the header says whether they are being recomputed.

A change marks the organization's scores stale (`Organization.scores_stale_since`) and a worker
computes a new snapshot. The status element in the header knows which snapshot the page shows
(`seen`); it polls while the scores are stale or the page is behind, and when a newer snapshot has
landed it answers with the `scores-updated` event: every fragment of the page that shows numbers
(`hx-trigger="scores-updated from:body"`) then fetches itself again. An htmx answer to a change
appends the element out of band (`with_scores_status`), so that the polling starts at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from django.http import HttpResponse
from django.template.loader import render_to_string
from django_htmx.http import trigger_client_event

from execgap.hooks import Hook
from execgap.models import Organization
from execgap.web.pages import OrgRequest, org_page

SCORES_UPDATED_EVENT = "scores-updated"

# The newest snapshot of an organization as (id, computed_at), or None before the first one. The scoring
# app provides it (`scoring.selectors.snapshot_latest_stamp`).
snapshot_latest_stamp: Hook[Callable[[Organization], tuple[int, datetime] | None]] = Hook(
    "snapshot_latest_stamp"
)


def latest_snapshot_id(organization: Organization) -> int | None:
    stamp = snapshot_latest_stamp.call(organization)
    return stamp[0] if stamp else None


def scores_status_context(
    organization: Organization,
    *,
    seen: int | None = None,
    latest: bool = True,
    stamp: tuple[int, datetime] | Literal["unread"] | None = "unread",
) -> dict[str, Any]:
    """What the status element shows. `seen` is the snapshot the page shows (with `latest`, the
    newest one: a page rendered now shows the newest numbers); `stamp`, the newest snapshot as read
    already (None: there was none), spares reading it again."""
    if stamp == "unread":
        stamp = snapshot_latest_stamp.call(organization)
    snapshot_id, computed_at = stamp or (None, None)
    return {
        "stale": organization.scores_stale_since is not None,
        "snapshot_id": snapshot_id,
        "computed_at": computed_at,
        "seen": snapshot_id if latest else seen,
        "oob": False,
    }


def page_scores_stamp(request: OrgRequest) -> None:
    """Read the newest snapshot before a page reads anything else (`org_page` calls this for a page
    rendered whole) and remember it as the one the page shows: a snapshot that lands while the page
    is read and rendered is then newer than the page says, and the page refreshes its numbers at
    once instead of passing the older ones off as current. It is the same one query the header's
    status would make, made earlier."""
    request.scores_stamp = snapshot_latest_stamp.call(request.org.organization)


def with_scores_status(request: OrgRequest, response: HttpResponse, *, seen: int | None) -> HttpResponse:
    """Append the status element (out of band) to an htmx answer to a change.

    `seen` is `latest_snapshot_id(...)` read before the change: the page polls until a newer
    snapshot than that one has landed, then refreshes its numbers.
    """
    organization = request.org.organization
    organization.refresh_from_db(fields=["scores_stale_since"])
    status = scores_status_context(organization, seen=seen, latest=False) | {"oob": True}
    response.write(
        render_to_string(
            "partials/scores_status.html", {"scores_status": status, "org": request.org}, request
        )
    )
    return response


def _status_html(request: OrgRequest, status: dict[str, Any]) -> str:
    # Without the request's context processors: the element needs none, and it is polled every 2 s.
    return render_to_string("partials/scores_status.html", {"scores_status": status, "org": request.org})


@org_page(fragment=True)
def scores_status(request: OrgRequest) -> HttpResponse:
    """The status element, polled with `?seen=<snapshot id>` (the snapshot the page shows)."""
    status = scores_status_context(request.org.organization)
    response = HttpResponse(_status_html(request, status))
    if status["snapshot_id"] is not None and request.GET.get("seen", "") != str(status["snapshot_id"]):
        trigger_client_event(response, SCORES_UPDATED_EVENT)
    return response
