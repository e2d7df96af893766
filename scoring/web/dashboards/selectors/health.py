"""The execution-health page: the latest snapshot's scores, their trends, their parts in words, the gaps.

Everything comes from stored snapshots (and, for the unanswered blockers, one capped query): the page
runs the same queries for an organization of ten tasks or of a million.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from execgap.models import Organization
from execgap.roles import Action, Resource
from execgap.web.charts import BarPair, Marker, Series, mix_chart, paired_bars, trend_chart
from execgap.when import time_ago
from objectives.models import Objective
from resources.models import Team
from scoring.models import ScoreSnapshot
from scoring.selectors import objective_scores_of, snapshot_latest
from scoring.web.dashboards import parts
from scoring.web.dashboards.selectors.gaps import (
    GapSection,
    Link,
    blockers_section,
    over_investment_section,
    people_section,
    share_section,
    staffing_section,
    stale_section,
    surplus_section,
)
from scoring.web.dashboards.selectors.settings_change import settings_change_link
from scoring.web.dashboards.words import Verdict, verdict_of
from scoring.web.trends import plan_change_markers, series_of, snapshot_days

SCORE_NAMES = ("alignment", "resources", "adaptability", "people")
TREND_NAMES = ("execution_health", *SCORE_NAMES)
SCORE_LABELS = {
    "execution_health": "Execution health",
    "alignment": "Alignment",
    "resources": "Resources",
    "adaptability": "Adaptability",
    "people": "People",
}
SHARE_ROWS = 8  # boardroom objectives in the intended-against-actual chart, the largest intent first
EFFORT_PARTS = (
    ("Aligned", "aligned"),
    ("Misaligned", "misaligned"),
    ("Orphan", "orphan"),
)


@dataclass(frozen=True)
class ScoreCard:
    key: str  # "execution_health" or one of SCORE_NAMES
    label: str
    value: float | None
    verdict: Verdict
    trend: list[tuple[date, float | None]]
    parts: list[str]
    links: list[Link]
    # The scoring settings changed between the first day of the trend and the latest: the move is
    # not the work's alone. The link names the day and opens that change in the plan history.
    settings_change: Link | None = None
    chart: SafeString | None = None  # the trend drawn, with its axes, dates and plan-change markers

    @property
    def change(self) -> str:
        """The trend in words: how far the score moved since the first day of the trend (the
        template follows it with `settings_change`, when there is one, after a dash)."""
        known = [(day, value) for day, value in self.trend if value is not None]
        if len(known) < 2 or self.value is None:
            return "No earlier day to compare with yet."
        (first_day, first), (_, last) = known[0], known[-1]
        difference = last - first
        end = "" if self.settings_change else "."
        if abs(difference) < 0.05:
            return f"Unchanged since {first_day:%-d %b}{end}"
        direction = "Up" if difference > 0 else "Down"
        return f"{direction} {abs(difference):.1f} points since {first_day:%-d %b} (then {first:.1f}){end}"


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
    effort_mix: SafeString | None = None  # aligned, misaligned and orphan hours, day by day
    shares: SafeString | None = None  # the boardroom objectives' intended against actual share


def health_page(*, organization: Organization, can: Callable[..., bool]) -> HealthPage:
    """What the health page shows. `can(resource, action)` says what the reader may do (the guide
    offers only the steps they may take)."""
    slug = organization.slug

    def url(name: str, **kwargs: Any) -> str:
        return reverse(name, kwargs={"org_slug": slug, **kwargs})

    if not Objective.objects.for_org(organization).exists():
        return HealthPage(has_objectives=False, guide=_guide(organization, url, can))
    snapshot = snapshot_latest(organization=organization)
    blockers = blockers_section(organization, url)
    if snapshot is None:
        return HealthPage(has_objectives=True, gaps=[blockers])
    days, rows = snapshot_days(
        organization=organization,
        snapshot=snapshot,
        fields=(*TREND_NAMES, *(f"parts__alignment__{css}_effort" for _, css in EFFORT_PARTS)),
    )
    rows[snapshot.as_of].update({name: getattr(snapshot, name) for name in TREND_NAMES})  # the page's own
    trends = {
        name: list(zip(days, series_of(name, days, rows, name, css="").values, strict=True))
        for name in TREND_NAMES
    }
    markers = plan_change_markers(organization=organization, date_from=days[0], date_to=days[-1])
    charts = {name: _score_chart(name, days, trends[name], markers) for name in TREND_NAMES}
    settings_change = settings_change_link(organization, snapshot, trends["execution_health"], url)
    root_rows = list(
        objective_scores_of(snapshot=snapshot)
        .filter(parent_objective_id__isnull=True)
        .values("objective_id", "title", "intended_share", "actual_share", "status")
    )
    roots = {row["objective_id"]: row["title"] for row in root_rows}
    return HealthPage(
        has_objectives=True,
        snapshot=snapshot,
        computed_ago=time_ago(snapshot.computed_at, timezone.now()),
        headline=ScoreCard(
            key="execution_health",
            label="Execution health",
            value=snapshot.execution_health,
            verdict=verdict_of(snapshot.execution_health),
            trend=trends["execution_health"],
            parts=parts.health_parts(snapshot),
            links=[],
            settings_change=settings_change,
            chart=charts["execution_health"],
        ),
        cards=[
            _card(
                "alignment",
                "Alignment",
                snapshot,
                trends,
                charts,
                parts.alignment_parts(snapshot),
                [Link("See the unaligned work", url("alignment"))],
                settings_change,
            ),
            _card(
                "resources",
                "Resources",
                snapshot,
                trends,
                charts,
                parts.resources_parts(snapshot, roots),
                [Link("See coverage and load", url("resources"))],
                settings_change,
            ),
            _card(
                "adaptability",
                "Adaptability",
                snapshot,
                trends,
                charts,
                parts.adaptability_parts(snapshot),
                [
                    Link("See the plan history", url("plan_history")),
                    Link("See the feedback", url("feedback_list")),
                ],
                settings_change,
            ),
            _card(
                "people",
                "People",
                snapshot,
                trends,
                charts,
                parts.people_parts(snapshot),
                [Link("See the teams", url("teams")), Link("See my work", url("my_work"))],
                settings_change,
            ),
        ],
        gaps=[
            share_section(snapshot, url),
            over_investment_section(snapshot, url),
            staffing_section(snapshot, url),
            surplus_section(snapshot, url),
            people_section(snapshot, url),
            stale_section(organization, snapshot, url),
            blockers,
        ],
        effort_mix=mix_chart(
            key="trend-effort-mix",
            title="Effort by class, day by day (hours of open work and work finished in the window)",
            days=days,
            series=[
                series_of(name, days, rows, f"parts__alignment__{css}_effort", css=css)
                for name, css in EFFORT_PARTS
            ],
            markers=markers,
        ),
        shares=_shares_chart(root_rows, url),
    )


def _card(
    key: str,
    label: str,
    snapshot: ScoreSnapshot,
    trends: dict[str, list[tuple[date, float | None]]],
    charts: dict[str, SafeString],
    lines: list[str],
    links: list[Link],
    settings_change: Link | None,
) -> ScoreCard:
    value = getattr(snapshot, key)
    return ScoreCard(
        key, label, value, verdict_of(value), trends[key], lines, links, settings_change, charts[key]
    )


def _score_chart(
    key: str, days: list[date], trend: list[tuple[date, float | None]], markers: list[Marker]
) -> SafeString:
    label = SCORE_LABELS[key]
    return trend_chart(
        key=f"trend-{key}",
        title=f"{label}, day by day (0 to 100)",
        days=days,
        series=[Series(label, [value for _, value in trend])],
        markers=markers,
    )


def _shares_chart(root_rows: Sequence[Mapping[str, Any]], url: Callable[..., str]) -> SafeString | None:
    """The active boardroom objectives' share of the aligned effort against the share the plan
    intends for them, the largest intent first (at most SHARE_ROWS)."""
    active = [row for row in root_rows if row["status"] == "active"]
    if not active:
        return None
    shown = sorted(active, key=lambda row: (-row["intended_share"], row["title"].casefold()))[:SHARE_ROWS]
    more = len(active) - len(shown)
    return paired_bars(
        key="boardroom-shares",
        title="Effort share of each active boardroom objective: intended against actual",
        rows=[
            BarPair(
                label=row["title"],
                url=url("objective_detail", pk=row["objective_id"]) if row["objective_id"] else "",
                first=row["intended_share"],
                second=row["actual_share"],
            )
            for row in shown
        ],
        names=("Intended", "Actual"),
        note=f"{more} more on the strategy map." if more else "",
    )


def _guide(organization: Organization, url: Callable[..., str], can: Callable[..., bool]) -> list[GuideStep]:
    """The first steps of a new organization: its first objective, its teams, its first import."""
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
