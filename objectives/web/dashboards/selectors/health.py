"""The execution-health page: the latest snapshot's scores, their trends, their parts in words, the gaps.

Everything comes from stored snapshots (and, for the unanswered blockers, one capped query): the page
runs the same queries for an organization of ten tasks or of a million.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from execgap.models import Organization
from feedback.models import FeedbackItem, FeedbackKind, FeedbackStatus
from objectives.models import Initiative, Objective
from objectives.scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot
from objectives.scoring.selectors import (
    initiative_scores_of,
    objective_scores_of,
    snapshot_history,
    snapshot_latest,
)
from objectives.web.dashboards import parts
from objectives.web.dashboards.words import Verdict, hours, percent, plural, ratio, verdict_of
from resources.models import Team

TREND_DAYS = 42  # six weeks of daily snapshots
GAP_LIMIT = 5  # rows shown per kind of gap; the count says how many there are in all
# An objective's effort share is a gap when it is at least this far below its intended share (0–1):
# smaller differences are the noise of a week's work.
SHARE_GAP_FROM = 0.02

SCORE_NAMES = ("alignment", "resources", "adaptability", "people")


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class ScoreCard:
    key: str  # "execution_health" or one of SCORE_NAMES
    label: str
    value: float | None
    verdict: Verdict
    trend: list[tuple[date, float | None]]
    parts: list[str]
    links: list[Link]

    @property
    def change(self) -> str:
        """The trend in words: how far the score moved since the first day of the trend."""
        known = [(day, value) for day, value in self.trend if value is not None]
        if len(known) < 2 or self.value is None:
            return "No earlier day to compare with yet."
        (first_day, first), (_, last) = known[0], known[-1]
        difference = last - first
        if abs(difference) < 0.05:
            return f"Unchanged since {first_day:%-d %b}."
        direction = "Up" if difference > 0 else "Down"
        return f"{direction} {abs(difference):.1f} points since {first_day:%-d %b} (then {first:.1f})."


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


@dataclass(frozen=True)
class GuideStep:
    title: str
    text: str
    link: Link | None


@dataclass
class HealthPage:
    has_objectives: bool
    snapshot: ScoreSnapshot | None = None
    headline: ScoreCard | None = None
    cards: list[ScoreCard] = field(default_factory=list)
    gaps: list[GapSection] = field(default_factory=list)
    guide: list[GuideStep] = field(default_factory=list)
    computed_ago: str = ""


def health_page(*, organization: Organization, can: Callable[..., bool]) -> HealthPage:
    """What the health page shows. `can(resource, action)` says what the reader may do (the guide
    offers only the steps they may take)."""
    slug = organization.slug

    def url(name: str, **kwargs: Any) -> str:
        return reverse(name, kwargs={"org_slug": slug, **kwargs})

    if not Objective.objects.for_org(organization).exists():
        return HealthPage(has_objectives=False, guide=_guide(organization, url, can))
    snapshot = snapshot_latest(organization=organization)
    blockers = _blockers_section(organization, url)
    if snapshot is None:
        return HealthPage(has_objectives=True, gaps=[blockers])
    trends = _trends(organization, snapshot)
    roots = dict(
        objective_scores_of(snapshot=snapshot)
        .filter(parent_objective_id__isnull=True)
        .values_list("objective_id", "title")
    )
    return HealthPage(
        has_objectives=True,
        snapshot=snapshot,
        computed_ago=timesince(snapshot.computed_at, timezone.now()),
        headline=ScoreCard(
            key="execution_health",
            label="Execution health",
            value=snapshot.execution_health,
            verdict=verdict_of(snapshot.execution_health),
            trend=trends["execution_health"],
            parts=parts.health_parts(snapshot),
            links=[],
        ),
        cards=[
            _card(
                "alignment",
                "Alignment",
                snapshot,
                trends,
                parts.alignment_parts(snapshot),
                [Link("See the unaligned work", url("alignment"))],
            ),
            _card(
                "resources",
                "Resources",
                snapshot,
                trends,
                parts.resources_parts(snapshot, roots),
                [Link("See coverage and load", url("resources"))],
            ),
            _card(
                "adaptability",
                "Adaptability",
                snapshot,
                trends,
                parts.adaptability_parts(snapshot),
                [
                    Link("See the plan history", url("plan_history")),
                    Link("See the feedback", url("feedback_list")),
                ],
            ),
            _card(
                "people",
                "People",
                snapshot,
                trends,
                parts.people_parts(snapshot),
                [Link("See the teams", url("teams")), Link("See my work", url("my_work"))],
            ),
        ],
        gaps=[
            _share_section(snapshot, url),
            _staffing_section(snapshot, url),
            _people_section(snapshot, url),
            _stale_section(organization, snapshot, url),
            blockers,
        ],
    )


def _card(
    key: str,
    label: str,
    snapshot: ScoreSnapshot,
    trends: dict[str, list[tuple[date, float | None]]],
    lines: list[str],
    links: list[Link],
) -> ScoreCard:
    value = getattr(snapshot, key)
    return ScoreCard(key, label, value, verdict_of(value), trends[key], lines, links)


def _trends(
    organization: Organization, snapshot: ScoreSnapshot
) -> dict[str, list[tuple[date, float | None]]]:
    """Each score per day over the six weeks up to the snapshot's date; a day without a snapshot is a
    gap (None) in the line."""
    first = snapshot.as_of - timedelta(days=TREND_DAYS - 1)
    names = ("execution_health", *SCORE_NAMES)
    rows = {
        row["as_of"]: row
        for row in snapshot_history(
            organization=organization, date_from=first, date_to=snapshot.as_of
        ).values("as_of", *names)
    }
    rows[snapshot.as_of] = {name: getattr(snapshot, name) for name in names}  # the page's own numbers
    start = min(rows)
    days = [start + timedelta(days=offset) for offset in range((snapshot.as_of - start).days + 1)]
    return {name: [(day, rows[day][name] if day in rows else None) for day in days] for name in names}


def _capped(rows: QuerySet[Any]) -> tuple[list[Any], int]:
    """The first GAP_LIMIT rows, and how many there are in all (the count only when there are more)."""
    first = list(rows[: GAP_LIMIT + 1])
    total = len(first) if len(first) <= GAP_LIMIT else rows.count()
    return first[:GAP_LIMIT], total


def _share_section(snapshot: ScoreSnapshot, url: Callable[..., str]) -> GapSection:
    rows, total = _capped(
        objective_scores_of(snapshot=snapshot)
        .filter(share_gap__lte=-SHARE_GAP_FROM)
        .order_by("share_gap", "objective_id", "id")
    )
    return GapSection(
        key="shares",
        heading="Objectives getting less effort than intended",
        explanation="Their share of the aligned effort against the share the plan intends, "
        "furthest below first.",
        items=[
            GapItem(
                title=row.title,
                detail=f"{percent(row.actual_share)} of the aligned effort against "
                f"{percent(row.intended_share)} intended: {abs(row.share_gap) * 100:.0f} points below.",
                url=url("objective_detail", pk=row.objective_id) if row.objective_id else None,
            )
            for row in rows
        ],
        total=total,
        empty="Every objective gets about the share of the effort the plan intends.",
    )


def _staffing_section(snapshot: ScoreSnapshot, url: Callable[..., str]) -> GapSection:
    initiatives: list[InitiativeScore]
    initiatives, initiative_total = _capped(
        initiative_scores_of(snapshot=snapshot)
        .filter(coverage__lt=1)
        .order_by("coverage", "initiative_id", "id")
    )
    unplanned: list[ObjectiveScore]
    unplanned, unplanned_total = _capped(
        objective_scores_of(snapshot=snapshot)
        .filter(live=True, active_initiatives=0, intended_share__gt=0)
        .order_by("-intended_share", "objective_id", "id")
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
        empty="Every active initiative is staffed for the work it needs.",
        more=Link("See coverage on the resources page", url("resources")),
    )


def _people_section(snapshot: ScoreSnapshot, url: Callable[..., str]) -> GapSection:
    over = snapshot.drivers.get("people_over_capacity", [])
    total = (snapshot.parts.get("resources") or {}).get("people_over_capacity", len(over))
    return GapSection(
        key="people",
        heading="People over capacity",
        explanation="Allocated more hours a week than they have, most over first.",
        items=[
            GapItem(
                title=person["name"],
                detail=f"{hours(person['load'])} hours a week allocated against a capacity of "
                f"{hours(person['capacity'])} ({percent(ratio(person['load'], person['capacity']))} of it), "
                f"on {plural(person['allocations'], 'initiative')}.",
                url=url("resources"),
            )
            for person in over[:GAP_LIMIT]
        ],
        total=total,
        empty="Nobody is allocated beyond their capacity.",
        more=Link("See the load of everyone", url("resources")),
    )


def _stale_section(
    organization: Organization, snapshot: ScoreSnapshot, url: Callable[..., str]
) -> GapSection:
    stale = snapshot.drivers.get("stale_items", [])[:GAP_LIMIT]
    adaptability = snapshot.parts.get("adaptability") or {}
    total = adaptability.get("tracked_items", 0) - adaptability.get("fresh_items", 0)
    exists = {
        "objective": set(
            Objective.objects.for_org(organization)
            .filter(pk__in=[item["id"] for item in stale if item["kind"] == "objective"])
            .values_list("pk", flat=True)
        ),
        "initiative": set(
            Initiative.objects.for_org(organization)
            .filter(pk__in=[item["id"] for item in stale if item["kind"] == "initiative"])
            .values_list("pk", flat=True)
        ),
    }
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
                if item["id"] in exists[item["kind"]]
                else None,
            )
            for item in stale
        ],
        total=total,
        empty="Every active objective and initiative has a recent check-in.",
    )


def _blockers_section(organization: Organization, url: Callable[..., str]) -> GapSection:
    """Read live (a blocker raised a minute ago is a gap already), capped."""
    rows: list[FeedbackItem]
    rows, total = _capped(
        FeedbackItem.objects.for_org(organization)
        .filter(kind=FeedbackKind.BLOCKER, status=FeedbackStatus.OPEN)
        .select_related("author")
        .order_by("created_at", "id")
    )
    now = timezone.now()
    return GapSection(
        key="blockers",
        heading="Unanswered blockers",
        explanation="Blockers nobody has acknowledged yet, the oldest first.",
        items=[
            GapItem(
                title=row.text if len(row.text) <= 120 else f"{row.text[:119]}…",
                detail=f"Raised {timesince(row.created_at, now)} ago"
                + (f" by {row.author.name}." if row.author else "."),
                url=url("feedback_detail", pk=row.pk),
            )
            for row in rows
        ],
        total=total,
        empty="No blocker is waiting for an answer.",
        more=Link("See all feedback", url("feedback_list")),
    )


def _guide(organization: Organization, url: Callable[..., str], can: Callable[..., bool]) -> list[GuideStep]:
    """The first steps of a new organization: its first objective, its teams, its first import."""
    from execgap.roles import Action, Resource

    team = Team.objects.for_org(organization).order_by("name", "id").first()
    import_link = (
        Link(f"Import tasks for {team.name}", url("task_import", pk=team.pk))
        if team is not None
        else Link("Open the teams", url("teams"))
    )
    return [
        GuideStep(
            "Write your first objective",
            "Start at the top: a boardroom objective the organization is working towards this year. "
            "Key results and initiatives hang below it.",
            Link("Create an objective", url("objective_create"))
            if can(Resource.OBJECTIVE, Action.CREATE)
            else None,
        ),
        GuideStep(
            "Set up your first team",
            "Teams own objectives and initiatives, and their people are the capacity the plan uses.",
            Link("Add teams and people in the settings", url("settings"))
            if can(Resource.TEAM, Action.CREATE)
            else None,
        ),
        GuideStep(
            "Import your team's tasks",
            "Bring the daily work in from a CSV export of your tracker, then link it to the goals it serves.",
            import_link if can(Resource.TASK_IMPORT, Action.CREATE) else None,
        ),
    ]
