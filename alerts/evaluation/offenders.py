"""The subjects that break each enabled rule, on one snapshot's numbers: one query per rule kind.

Each finder takes the snapshot and that kind's enabled rules and returns `Offense` rows, a rule's
team (when set) keeping only the subjects of that team and the teams below. Scores, coverage and
shares are compared on a 0–100 scale (shares are stored as fractions, coverage as a fraction).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Max, Q, QuerySet, Subquery, Value
from django.utils import timezone

from alerts.models import AlertRule, RuleKind, ScoreChoice, SubjectKind
from feedback.models import FeedbackItem, FeedbackKind, FeedbackStatus
from objectives.models import Initiative, InitiativeStatus, Objective, ObjectiveStatus
from resources.models import Person
from scoring.fetch_staffing import loads_sql
from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot, TeamScore


@dataclass(frozen=True)
class Offense:
    rule: AlertRule
    subject_kind: str
    subject_id: int
    subject_title: str
    team_id: int | None
    value: float | None
    message: str

    @property
    def key(self) -> tuple[int, str, int]:
        return (self.rule.pk, self.subject_kind, self.subject_id)


Subtrees = dict[int, frozenset[int]]  # a rule's team → it and every team below
Finder = Callable[[ScoreSnapshot, Sequence[AlertRule], Subtrees], list[Offense]]


def snapshot_moment(snapshot: ScoreSnapshot) -> datetime:
    """The snapshot's time: when it was computed, or the end of its day D when computed later
    (a backfilled date reads the plan as of that day)."""
    end_of_day = timezone.make_aware(datetime.combine(snapshot.as_of, time.max))
    return min(snapshot.computed_at, end_of_day)


def _in_scope(rule: AlertRule, team_id: int | None, subtrees: Subtrees) -> bool:
    return rule.team_id is None or team_id in subtrees.get(rule.team_id, frozenset())


def _score_label(score: str) -> str:
    return str(ScoreChoice(score).label)


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def score_below(snapshot: ScoreSnapshot, rules: Sequence[AlertRule], subtrees: Subtrees) -> list[Offense]:
    """Organization scores from the snapshot row itself; a team's alignment from its TeamScore (one query)."""
    found: list[Offense] = []
    team_rules = [rule for rule in rules if rule.score == ScoreChoice.TEAM_ALIGNMENT]
    team_scores = {
        row["team_id"]: row
        for row in TeamScore.objects.filter(
            snapshot_id=snapshot.pk, team_id__in={rule.team_id for rule in team_rules}
        ).values("team_id", "name", "score")
    } if team_rules else {}  # fmt: skip
    for rule in rules:
        assert rule.threshold is not None  # validated for this kind
        if rule.score == ScoreChoice.TEAM_ALIGNMENT:
            row = team_scores.get(rule.team_id or 0)
            if row is None or row["score"] is None or row["score"] >= rule.threshold:
                continue
            subject = (
                SubjectKind.TEAM,
                int(row["team_id"]),
                str(row["name"]),
                rule.team_id,
                float(row["score"]),
            )
            label = f"{row['name']} alignment"
        else:
            value = getattr(snapshot, rule.score)
            if value is None or value >= rule.threshold or rule.team_id is not None:
                continue
            subject = (SubjectKind.ORGANIZATION, snapshot.organization_id, "Organization", None, float(value))
            label = _score_label(rule.score)
        kind, subject_id, title, team_id, value = subject
        message = f"{label} {_number(value)} is below {_number(rule.threshold)}"
        found.append(Offense(rule, kind, subject_id, title, team_id, value, message))
    return found


def score_drop(snapshot: ScoreSnapshot, rules: Sequence[AlertRule], subtrees: Subtrees) -> list[Offense]:
    """Against the latest snapshot on or before D − days (no such snapshot: no alert); one query,
    a subquery per (days, score) of the rules."""
    org_rules = [rule for rule in rules if rule.team_id is None]
    if not org_rules:
        return []
    earlier = ScoreSnapshot.objects.filter(organization_id=snapshot.organization_id)
    wanted = {(rule.days or 0, rule.score) for rule in org_rules}
    subqueries = {
        f"{score}_{days}": Subquery(
            earlier.filter(as_of__lte=snapshot.as_of - timedelta(days=days))
            .order_by("-as_of", "-computed_at")
            .values(score)[:1]
        )
        for days, score in wanted
    }
    then: dict[str, Any] = (
        ScoreSnapshot.objects.filter(pk=snapshot.pk).annotate(**subqueries).values(*subqueries).get()
    )
    found: list[Offense] = []
    for rule in org_rules:
        before, now = then[f"{rule.score}_{rule.days}"], getattr(snapshot, rule.score)
        if before is None or now is None:
            continue
        assert rule.points is not None
        drop = before - now
        if drop >= rule.points:
            message = (
                f"{_score_label(rule.score)} fell {_number(drop)} points in {rule.days} days "
                f"({_number(before)} → {_number(now)})"
            )
            found.append(
                Offense(
                    rule,
                    SubjectKind.ORGANIZATION,
                    snapshot.organization_id,
                    "Organization",
                    None,
                    now,
                    message,
                )
            )
    return found


def share_off(snapshot: ScoreSnapshot, rules: Sequence[AlertRule], subtrees: Subtrees) -> list[Offense]:
    """Live objectives whose actual share is off the intended one by more than the loosest rule's points."""
    loosest = min(rule.points for rule in rules if rule.points is not None) / 100
    rows = (
        ObjectiveScore.objects.filter(snapshot_id=snapshot.pk, live=True, objective__isnull=False)
        .filter(Q(share_gap__gt=loosest) | Q(share_gap__lt=-loosest))
        .values("objective_id", "title", "objective__team_id", "share_gap", "actual_share", "intended_share")
    )
    found: list[Offense] = []
    for row in rows:
        gap = (row["share_gap"] or 0.0) * 100
        for rule in rules:
            assert rule.points is not None
            if abs(gap) > rule.points and _in_scope(rule, row["objective__team_id"], subtrees):
                side = "above" if (row["actual_share"] or 0) > row["intended_share"] else "below"
                message = (
                    f"{row['title']} gets {_number((row['actual_share'] or 0) * 100)}% of the effort, "
                    f"{_number(abs(gap))} points {side} its intended {_number(row['intended_share'] * 100)}%"
                )
                found.append(
                    Offense(
                        rule,
                        SubjectKind.OBJECTIVE,
                        row["objective_id"],
                        row["title"],
                        row["objective__team_id"],
                        gap,
                        message,
                    )
                )
    return found


def understaffed_start(
    snapshot: ScoreSnapshot, rules: Sequence[AlertRule], subtrees: Subtrees
) -> list[Offense]:
    """Active initiatives starting within the loosest rule's days of D whose coverage is under the
    loosest threshold (unstaffed: no supply at all)."""
    widest = max(rule.days for rule in rules if rule.days is not None)
    highest = max(rule.threshold for rule in rules if rule.threshold is not None) / 100
    rows = (
        InitiativeScore.objects.filter(
            snapshot_id=snapshot.pk,
            initiative__status=InitiativeStatus.ACTIVE,
            initiative__start_date__isnull=False,
            initiative__start_date__lte=snapshot.as_of + timedelta(days=widest),
        )
        .filter(Q(supply=0) | Q(coverage__lt=highest))
        .values(
            "initiative_id", "title", "initiative__team_id", "initiative__start_date", "supply", "coverage"
        )
    )
    found: list[Offense] = []
    for row in rows:
        coverage = row["coverage"] * 100
        for rule in rules:
            assert rule.days is not None
            assert rule.threshold is not None
            start = row["initiative__start_date"]
            assert start is not None  # the query keeps dated initiatives only
            starts_soon = start <= snapshot.as_of + timedelta(days=rule.days)
            short = row["supply"] == 0 or coverage < rule.threshold
            if starts_soon and short and _in_scope(rule, row["initiative__team_id"], subtrees):
                what = "has nobody allocated" if row["supply"] == 0 else f"is {_number(coverage)}% covered"
                message = (
                    f"{row['title']} {what} (under {_number(rule.threshold)}%), starting {start.isoformat()}"
                )
                found.append(
                    Offense(
                        rule,
                        SubjectKind.INITIATIVE,
                        row["initiative_id"],
                        row["title"],
                        row["initiative__team_id"],
                        coverage,
                        message,
                    )
                )
    return found


def _initiative_flag(flag: str, describe: Callable[[Mapping[str, Any]], str]) -> Finder:
    def find(snapshot: ScoreSnapshot, rules: Sequence[AlertRule], subtrees: Subtrees) -> list[Offense]:
        rows = InitiativeScore.objects.filter(
            snapshot_id=snapshot.pk, initiative__isnull=False, **{flag: True}
        ).values("initiative_id", "title", "initiative__team_id", "forecast_finish", "end_date", "surplus")
        return [
            Offense(
                rule,
                SubjectKind.INITIATIVE,
                row["initiative_id"],
                row["title"],
                row["initiative__team_id"],
                None,
                describe(row),
            )
            for row in rows
            for rule in rules
            if _in_scope(rule, row["initiative__team_id"], subtrees)
        ]

    find.__doc__ = f"Initiatives whose snapshot row is {flag} (one query)."
    return find


def _late(row: Mapping[str, Any]) -> str:
    finish = row["forecast_finish"]
    if finish is None:
        return f"{row['title']} has no recent progress to finish by {row['end_date']}"
    return f"{row['title']} is forecast to finish {finish}, after its end date {row['end_date']}"


def _over_staffed(row: Mapping[str, Any]) -> str:
    surplus = row["surplus"]
    assert isinstance(surplus, float)
    return f"{row['title']} has {_number(surplus)} hours more staffed than its work needs"


def over_capacity(snapshot: ScoreSnapshot, rules: Sequence[AlertRule], subtrees: Subtrees) -> list[Offense]:
    """People whose counted load (the resources score's load_p at D) is over their capacity: one statement."""
    with_sql, params = loads_sql(snapshot.organization_id, snapshot.parameters)
    person_table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"{with_sql} SELECT p.id, p.name, p.team_id, l.load, l.capacity FROM loads l "  # noqa: S608 (parameters only)
            f"JOIN {person_table} p ON p.id = l.person_id WHERE l.load > l.capacity",
            params,
        )
        people = cursor.fetchall()
    found: list[Offense] = []
    for person_id, name, team_id, load, capacity in people:
        message = (
            f"{name} is allocated {_number(float(load))} hours a week, over their {_number(float(capacity))}"
        )
        found.extend(
            Offense(rule, SubjectKind.PERSON, person_id, name, team_id, float(load), message)
            for rule in rules
            if _in_scope(rule, team_id, subtrees)
        )
    return found


def blocker_unanswered(
    snapshot: ScoreSnapshot, rules: Sequence[AlertRule], subtrees: Subtrees
) -> list[Offense]:
    """Open blockers never acknowledged, raised at least the shortest rule's days before the snapshot."""
    shortest = min(rule.days for rule in rules if rule.days is not None)
    now = snapshot_moment(snapshot)
    rows = (
        FeedbackItem.objects.for_org(snapshot.organization_id)
        .filter(
            kind=FeedbackKind.BLOCKER,
            status=FeedbackStatus.OPEN,
            acknowledged_at__isnull=True,
            created_at__lte=now - timedelta(days=shortest),
        )
        .values("id", "text", "created_at", "objective__team_id", "initiative__team_id")
    )
    found: list[Offense] = []
    for row in rows:
        team_id = row["initiative__team_id"] or row["objective__team_id"]
        waited = (now - row["created_at"]).total_seconds() / 86400
        title = row["text"][:120]
        for rule in rules:
            assert rule.days is not None
            if waited >= rule.days and _in_scope(rule, team_id, subtrees):
                message = f"Blocker “{title[:60]}” has waited {int(waited)} days without an answer"
                found.append(Offense(rule, SubjectKind.FEEDBACK, row["id"], title, team_id, waited, message))
    return found


def check_in_overdue(
    snapshot: ScoreSnapshot, rules: Sequence[AlertRule], subtrees: Subtrees
) -> list[Offense]:
    """Active objectives and initiatives whose last check-in (else their creation) is older than the
    cadence plus the shortest rule's days at D (one query: objectives UNION initiatives)."""
    shortest = min(rule.days for rule in rules if rule.days is not None)
    cadence = snapshot.checkin_cadence_days
    cutoff = snapshot.as_of - timedelta(days=cadence + shortest)
    cutoff_moment = timezone.make_aware(datetime.combine(cutoff, time.max))

    def stale(model: type[Objective] | type[Initiative], active: str, kind: str) -> QuerySet[Any]:
        rows = model.objects.for_org(snapshot.organization_id).filter(status=active)
        rows = rows.annotate(last=Max("check_ins__date")).filter(
            Q(last__lte=cutoff) | Q(last__isnull=True, created_at__lte=cutoff_moment)
        )
        rows = rows.annotate(kind=Value(kind)).order_by()
        return rows.values_list("kind", "id", "title", "team_id", "last", "created_at")

    objectives = stale(Objective, ObjectiveStatus.ACTIVE, SubjectKind.OBJECTIVE)
    initiatives = stale(Initiative, InitiativeStatus.ACTIVE, SubjectKind.INITIATIVE)
    found: list[Offense] = []
    for kind, subject_id, title, team_id, last, created_at in objectives.union(initiatives, all=True):
        since = last if last is not None else timezone.localdate(created_at)
        late = (snapshot.as_of - since).days - cadence
        for rule in rules:
            assert rule.days is not None
            if late >= rule.days and _in_scope(rule, team_id, subtrees):
                seen = f"last checked in {last.isoformat()}" if last else "never checked in"
                message = f"{title}: {seen}, {late} days past its {cadence}-day check-in cadence"
                found.append(Offense(rule, kind, subject_id, title, team_id, float(late), message))
    return found


FINDERS: dict[str, Finder] = {
    RuleKind.SCORE_BELOW: score_below,
    RuleKind.SCORE_DROP: score_drop,
    RuleKind.SHARE_OFF: share_off,
    RuleKind.UNDERSTAFFED_START: understaffed_start,
    RuleKind.FORECAST_LATE: _initiative_flag("forecast_late", _late),
    RuleKind.OVER_STAFFED: _initiative_flag("over_staffed", _over_staffed),
    RuleKind.OVER_CAPACITY: over_capacity,
    RuleKind.BLOCKER_UNANSWERED: blocker_unanswered,
    RuleKind.CHECK_IN_OVERDUE: check_in_overdue,
}
