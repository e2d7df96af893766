"""The gaps of the health page, biggest first: objectives short of their intended effort share and
those above it, unstaffed and under-covered work and over-staffed work, people over capacity,
overdue check-ins and unanswered blockers.

All but the blockers come from a snapshot (its node rows and its drivers); each list is capped, with
the count of all its rows, so the queries do not grow with the organization.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Value
from django.utils import timezone

from execgap.models import Organization
from execgap.when import time_ago
from feedback.models import FeedbackItem, FeedbackKind, FeedbackStatus
from objectives.models import Initiative, Objective
from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot
from scoring.selectors import initiative_scores_of, objective_scores_of
from scoring.web.dashboards.selectors import capped
from scoring.web.dashboards.words import hours, percent, plural, ratio

GAP_LIMIT = 5  # rows shown per kind of gap; the count says how many there are in all
# An objective's effort share is a gap when it is at least this far below its intended share (0–1):
# smaller differences are the noise of a week's work.
SHARE_GAP_FROM = 0.02


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class GapItem:
    title: str
    detail: str
    url: str | None  # None: the row was deleted since the snapshot


@dataclass(frozen=True)
class GapSection:
    key: str
    heading: str
    explanation: str
    items: list[GapItem]
    total: int
    empty: str
    more: Link | None = None


# What an empty section says when there is nothing yet to measure (a claim about every row of none
# would be true and misleading), and what to do next.
NO_ALIGNED_EFFORT = (
    "No work traces to an active objective yet, so there is no share of the effort to compare: "
    "link the tasks to the goals they serve on the alignment page."
)
NO_ACTIVE_INITIATIVE = (
    "No initiative is active yet, so there is no staffing to measure: plan initiatives under the "
    "objectives and staff them from their pages."
)


def _aligned_effort(snapshot: ScoreSnapshot) -> float:
    return float((snapshot.parts.get("alignment") or {}).get("aligned_effort") or 0)


def _active_initiatives(snapshot: ScoreSnapshot) -> int:
    return int((snapshot.parts.get("resources") or {}).get("active_initiatives") or 0)


def _share_item(row: ObjectiveScore, url: Callable[..., str]) -> GapItem:
    """An objective whose share of the aligned effort is off its intended share, and by how much."""
    gap = row.share_gap or 0.0
    return GapItem(
        title=row.title,
        detail=f"{percent(row.actual_share)} of the aligned effort against {percent(row.intended_share)} "
        f"intended: {abs(gap) * 100:.0f} points {'above' if gap > 0 else 'below'}.",
        url=url("objective_detail", pk=row.objective_id) if row.objective_id else None,
    )


def share_section(snapshot: ScoreSnapshot, url: Callable[..., str]) -> GapSection:
    rows, total = capped(
        objective_scores_of(snapshot=snapshot)
        .filter(share_gap__lte=-SHARE_GAP_FROM)
        .order_by("share_gap", "objective_id", "id"),
        GAP_LIMIT,
    )
    return GapSection(
        key="shares",
        heading="Objectives getting less effort than intended",
        explanation="Their share of the aligned effort against the share the plan intends, "
        "furthest below first.",
        items=[_share_item(row, url) for row in rows],
        total=total,
        empty=(
            "Every objective gets about the share of the effort the plan intends."
            if _aligned_effort(snapshot)
            else NO_ALIGNED_EFFORT
        ),
        more=Link("See every objective on the strategy map", url("strategy_map")),
    )


def staffing_section(snapshot: ScoreSnapshot, url: Callable[..., str]) -> GapSection:
    initiatives: list[InitiativeScore]
    initiatives, initiative_total = capped(
        initiative_scores_of(snapshot=snapshot)
        .filter(coverage__lt=1)
        .order_by("coverage", "initiative_id", "id"),
        GAP_LIMIT,
    )
    unplanned: list[ObjectiveScore]
    unplanned, unplanned_total = capped(
        objective_scores_of(snapshot=snapshot)
        .filter(live=True, active_initiatives=0, intended_share__gt=0)
        .order_by("-intended_share", "objective_id", "id"),
        GAP_LIMIT,
    )
    items = [
        GapItem(
            title=row.title,
            detail=(
                f"Unstaffed: needs {hours(row.demand)} hours by {row.end_date:%-d %b %Y}, none allocated."
                if row.supply == 0
                else f"Under-covered: {percent(row.coverage)} covered, {hours(row.supply)} of the "
                f"{hours(row.demand)} hours it needs by {row.end_date:%-d %b %Y} are allocated."
            ),
            url=url("initiative_detail", pk=row.initiative_id) if row.initiative_id else None,
        )
        for row in initiatives
    ] + [
        GapItem(
            title=row.title,
            detail=f"No active initiative plans work for this objective ({percent(row.intended_share)} of "
            "the plan).",
            url=url("objective_detail", pk=row.objective_id) if row.objective_id else None,
        )
        for row in unplanned
    ]
    return GapSection(
        key="staffing",
        heading="Unstaffed and under-covered work",
        explanation="Active initiatives with fewer hours allocated than they need, least covered first; "
        "then live objectives nobody plans work for.",
        items=items,
        total=initiative_total + unplanned_total,
        empty=(
            "Every active initiative is staffed for the work it needs."
            if _active_initiatives(snapshot)
            else NO_ACTIVE_INITIATIVE
        ),
        more=Link("See coverage on the resources page", url("resources")),
    )


def over_investment_section(snapshot: ScoreSnapshot, url: Callable[..., str]) -> GapSection:
    """The counterpart of `share_section` (SCORING.md's over-invested objectives): effort that the
    objectives below their share could have had."""
    rows, total = capped(
        objective_scores_of(snapshot=snapshot)
        .filter(over_invested=True)
        .order_by("-share_gap", "objective_id", "id"),
        GAP_LIMIT,
    )
    return GapSection(
        key="over-invested",
        heading="Objectives getting more effort than intended",
        explanation="Live objectives whose share of the aligned effort is more than 5 points above the "
        "share the plan intends, furthest above first.",
        items=[_share_item(row, url) for row in rows],
        total=total,
        empty=(
            "No objective takes much more of the effort than the plan intends."
            if _aligned_effort(snapshot)
            else NO_ALIGNED_EFFORT
        ),
        more=Link("See every objective on the strategy map", url("strategy_map")),
    )


def surplus_section(snapshot: ScoreSnapshot, url: Callable[..., str]) -> GapSection:
    """SCORING.md's over-staffed initiatives: hours allocated beyond what the work needs, the capacity
    the under-covered work above could take."""
    rows, total = capped(
        initiative_scores_of(snapshot=snapshot)
        .filter(over_staffed=True)
        .order_by("-surplus", "initiative_id", "id"),
        GAP_LIMIT,
    )
    return GapSection(
        key="surplus",
        heading="Over-staffed work",
        explanation="Active initiatives with more hours allocated than they need by their end (8 hours "
        "or a quarter of the need at least), largest surplus first.",
        items=[
            GapItem(
                title=row.title,
                detail=f"{hours(row.surplus)} hours more than needed by {row.end_date:%-d %b %Y}: "
                f"{hours(row.supply)} allocated for {hours(row.demand)} hours of work.",
                url=url("initiative_detail", pk=row.initiative_id) if row.initiative_id else None,
            )
            for row in rows
        ],
        total=total,
        empty=(
            "No active initiative has many more hours allocated than it needs."
            if _active_initiatives(snapshot)
            else NO_ACTIVE_INITIATIVE
        ),
        more=Link("See coverage on the resources page", url("resources")),
    )


def people_section(snapshot: ScoreSnapshot, url: Callable[..., str]) -> GapSection:
    over = snapshot.drivers.get("people_over_capacity", [])
    total = (snapshot.parts.get("resources") or {}).get("people_over_capacity", len(over))
    return GapSection(
        key="people",
        heading="People over capacity",
        explanation="Allocated more hours a week than they have, most over first.",
        items=[
            GapItem(
                title=person["name"],
                detail=_overload(person),
                url=url("resources"),
            )
            for person in over[:GAP_LIMIT]
        ],
        total=total,
        empty="Nobody is allocated beyond their capacity.",
        more=Link("See the load of everyone", url("resources")),
    )


def _overload(person: dict[str, Any]) -> str:
    load, capacity = person["load"], person["capacity"]
    against = (
        f"a capacity of {hours(capacity)} ({percent(ratio(load, capacity))} of it)"
        if capacity
        else "no capacity at all"
    )
    return (
        f"{hours(load)} hours a week allocated against {against}, "
        f"on {plural(person['allocations'], 'initiative')}."
    )


def stale_section(organization: Organization, snapshot: ScoreSnapshot, url: Callable[..., str]) -> GapSection:
    stale = snapshot.drivers.get("stale_items", [])[:GAP_LIMIT]
    adaptability = snapshot.parts.get("adaptability") or {}
    total = adaptability.get("tracked_items", 0) - adaptability.get("fresh_items", 0)
    exists = _still_there(organization, stale)
    cadence = snapshot.checkin_cadence_days

    def detail(item: dict[str, Any]) -> str:
        kind = item["kind"].capitalize()
        if item["last_check_in"] is None:
            return f"{kind} with no check-in yet."
        last = date.fromisoformat(item["last_check_in"])
        return (
            f"{kind} last checked in on {last:%-d %b %Y}, {(snapshot.as_of - last).days} days before "
            f"{snapshot.as_of:%-d %b} (due every {cadence} days)."
        )

    return GapSection(
        key="stale",
        heading="Check-ins overdue",
        explanation=f"Active objectives and initiatives with no check-in in the last {cadence} days, "
        "the longest silent first.",
        items=[
            GapItem(
                title=item["title"],
                detail=detail(item),
                url=url(f"{item['kind']}_detail", pk=item["id"])
                if (item["kind"], item["id"]) in exists
                else None,
            )
            for item in stale
        ],
        total=total,
        empty=(
            "Every active objective and initiative has a recent check-in."
            if adaptability.get("tracked_items")
            else "No objective or initiative is active yet, so no check-in is due: an active goal's "
            "owner checks in on it."
        ),
        more=Link("See the check-ins due in each team", url("teams")),
    )


def _still_there(organization: Organization, items: list[dict[str, Any]]) -> set[tuple[str, int]]:
    """Which of the (kind, id) items still exist (a driver may name a row deleted since the snapshot):
    one query for both kinds, none when there is nothing to check."""
    ids = {
        kind: [item["id"] for item in items if item["kind"] == kind] for kind in ("objective", "initiative")
    }
    found = (
        Objective.objects.for_org(organization)
        .filter(pk__in=ids["objective"])
        .order_by()
        .values_list("pk", Value("objective"))
        .union(
            Initiative.objects.for_org(organization)
            .filter(pk__in=ids["initiative"])
            .order_by()
            .values_list("pk", Value("initiative"))
        )
    )
    return {(kind, pk) for pk, kind in found} if items else set()


def blockers_section(organization: Organization, url: Callable[..., str]) -> GapSection:
    """Read live (a blocker raised a minute ago is a gap already), capped."""
    rows: list[FeedbackItem]
    rows, total = capped(
        FeedbackItem.objects.for_org(organization)
        .filter(kind=FeedbackKind.BLOCKER, status=FeedbackStatus.OPEN)
        .select_related("author")
        .order_by("created_at", "id"),
        GAP_LIMIT,
    )
    now = timezone.now()
    return GapSection(
        key="blockers",
        heading="Unanswered blockers",
        explanation="Blockers nobody has acknowledged yet, the oldest first.",
        items=[
            GapItem(
                title=row.text if len(row.text) <= 120 else f"{row.text[:119]}…",
                detail=f"Raised {time_ago(row.created_at, now)}"
                + (f" by {row.author.name}." if row.author else "."),
                url=url("feedback_detail", pk=row.pk),
            )
            for row in rows
        ],
        total=total,
        empty="No blocker is waiting for an answer.",
        more=Link("See all feedback", url("feedback_list")),
    )
