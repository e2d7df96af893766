"""The charts over time of the pages that read scores: each score, the effort mix, an objective's
progress and coverage, a team's alignment, with the days on which the plan or the scoring settings
changed marked on them.

Every trend covers at most TREND_DAYS days up to the latest snapshot (one point a day, the latest
snapshot computed for it: `snapshot_history`), so a chart costs the same few queries however long
the organization has been scored; the markers come from one query over the plan history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, IntegerField, QuerySet, Value
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from execgap.models import Organization
from execgap.web.charts import Marker, Series, trend_chart
from feedback.selectors import PLAN_HISTORY_MODELS, history_of_organization
from resources.models import Team
from scoring.models import ObjectiveScore, ScoreSnapshot, TeamScore
from scoring.selectors import snapshot_history, snapshot_latest

TREND_DAYS = 42  # six weeks of daily snapshots

# What a change of each kind of history record is called in a marker ("2 initiatives").
_NOUNS: Mapping[str, tuple[str, str]] = {
    "objective": ("objective", "objectives"),
    "key_result": ("key result", "key results"),
    "initiative": ("initiative", "initiatives"),
    "allocation": ("allocation", "allocations"),
    "settings": ("scoring settings change", "scoring settings changes"),
}


def trend_window(as_of: date) -> tuple[date, date]:
    """The first and last day of the trends that end on `as_of`."""
    return as_of - timedelta(days=TREND_DAYS - 1), as_of


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def _noun(kind: str, count: int) -> str:
    singular, plural = _NOUNS.get(
        kind, (f"{kind.replace('_', ' ')} change", f"{kind.replace('_', ' ')} changes")
    )
    return f"{count} {singular if count == 1 else plural}"


def plan_change_markers(*, organization: Organization, date_from: date, date_to: date) -> list[Marker]:
    """A marker for each day in [date_from, date_to] (whole days in the site's time zone) on which the
    plan history records a change of any of its kinds (the plan's rows, and the scoring settings
    where the history keeps them): how many changes and of what, linking to the plan history of that
    day. One query: a count per day and kind of each history table, as one UNION."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date_from, time.min), zone)
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min), zone)
    kinds = list(PLAN_HISTORY_MODELS)
    counts: list[QuerySet[Any]] = [
        PLAN_HISTORY_MODELS[kind]
        .history.model.objects.filter(  # type: ignore[attr-defined]
            history_of_organization(kind, organization.pk), history_date__gte=start, history_date__lt=end
        )
        .order_by()
        .annotate(day=TruncDate("history_date", tzinfo=zone))
        .values("day")
        .annotate(kind=Value(rank, output_field=IntegerField()), changes=Count("history_id"))
        .values_list("day", "kind", "changes")
        for rank, kind in enumerate(kinds)
    ]
    by_day: dict[date, dict[str, int]] = defaultdict(dict)
    for day, rank, changes in counts[0].union(*counts[1:], all=True):
        by_day[day][kinds[rank]] = by_day[day].get(kinds[rank], 0) + changes
    history = reverse("plan_history", kwargs={"org_slug": organization.slug})
    markers = []
    for day in sorted(by_day):
        total = sum(by_day[day].values())
        what = ", ".join(_noun(kind, by_day[day][kind]) for kind in kinds if kind in by_day[day])
        markers.append(
            Marker(
                day=day,
                label=f"{total} plan change{'s' if total != 1 else ''} ({what})",
                url=f"{history}?{urlencode({'since': day.isoformat(), 'until': day.isoformat()})}",
            )
        )
    return markers


def snapshot_days(
    *, organization: Organization, snapshot: ScoreSnapshot, fields: Sequence[str]
) -> tuple[list[date], dict[date, dict[str, Any]]]:
    """`fields` of the snapshot of each day of the trend window that ends on `snapshot`'s day, from
    the first day with one (one query); the days run on without gaps (a day without a snapshot is
    not in the rows)."""
    first, last = trend_window(snapshot.as_of)
    rows = {
        row["as_of"]: row
        for row in snapshot_history(organization=organization, date_from=first, date_to=last).values(
            "as_of", *fields
        )
    }
    if snapshot.as_of not in rows:
        rows[snapshot.as_of] = {field: _field_of(snapshot, field) for field in fields}
    return days_between(min(rows), last), rows


def _field_of(snapshot: ScoreSnapshot, field: str) -> Any:
    value: Any = snapshot
    for step in field.split("__"):
        value = value.get(step) if isinstance(value, dict) else getattr(value, step, None)
    return value


def series_of(
    name: str, days: Iterable[date], rows: Mapping[date, Mapping[str, Any]], field: str, *, css: str,
    scale: float = 1.0,
) -> Series:  # fmt: skip
    """A field of the rows, day by day (None where no row or no value), times `scale`."""
    values: list[float | None] = []
    for day in days:
        value = rows.get(day, {}).get(field)
        values.append(None if value is None else float(value) * scale)
    return Series(name=name, values=values, css=css)


def _node_rows(
    scores: QuerySet[Any], snapshots: QuerySet[ScoreSnapshot], fields: Sequence[str]
) -> dict[date, dict[str, Any]]:
    return {
        row["snapshot__as_of"]: row
        for row in scores.filter(snapshot__in=snapshots.values("pk")).values("snapshot__as_of", *fields)
    }


def objective_trend(
    *, organization: Organization, snapshot: ScoreSnapshot, objective_id: int, title: str
) -> SafeString:
    """The objective's progress and coverage, day by day over the trend window (one query for the
    scores, one for the markers)."""
    first, last = trend_window(snapshot.as_of)
    snapshots = snapshot_history(organization=organization, date_from=first, date_to=last)
    rows = _node_rows(
        ObjectiveScore.objects.for_org(organization).filter(objective_id=objective_id),
        snapshots,
        ("progress", "coverage"),
    )
    if not rows:
        return trend_chart(key="objective-trend", title=f"{title} over time", days=[], series=[])
    days = days_between(min(rows), last)
    return trend_chart(
        key="objective-trend",
        title=f"Progress and coverage of {title}, day by day",
        days=days,
        series=[
            series_of("Progress", days, rows, "progress", css="series-1", scale=100),
            series_of("Coverage", days, rows, "coverage", css="series-2", scale=100),
        ],
        markers=plan_change_markers(organization=organization, date_from=days[0], date_to=last),
        unit="%",
        decimals=0,
        min_span=20,
    )


def team_trend(*, organization: Organization, snapshot: ScoreSnapshot, team_id: int, name: str) -> SafeString:
    """The team's alignment score (its work and its sub-teams'), day by day over the trend window."""
    first, last = trend_window(snapshot.as_of)
    snapshots = snapshot_history(organization=organization, date_from=first, date_to=last)
    rows = _node_rows(TeamScore.objects.for_org(organization).filter(team_id=team_id), snapshots, ("score",))
    title = f"Alignment of {name}, day by day"
    if not rows:
        return trend_chart(key="team-trend", title=title, days=[], series=[])
    days = days_between(min(rows), last)
    return trend_chart(
        key="team-trend",
        title=title,
        days=days,
        series=[series_of("Alignment", days, rows, "score", css="series-1")],
        markers=plan_change_markers(organization=organization, date_from=days[0], date_to=last),
    )


def team_alignment_trend(*, team: Team) -> SafeString | None:
    """The team's alignment trend up to the latest snapshot (None before the first one)."""
    snapshot = snapshot_latest(organization=team.organization_id)
    if snapshot is None:
        return None
    return team_trend(organization=team.organization, snapshot=snapshot, team_id=team.pk, name=team.name)
