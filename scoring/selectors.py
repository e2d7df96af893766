"""Reads of the stored snapshots (the scores API and pages read these, never recompute)."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import NullIf

from execgap.models import Organization
from objectives.models import Objective
from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot, TeamScore


def _org_id(organization: Organization | int) -> int:
    return organization if isinstance(organization, int) else organization.pk


def snapshot_latest(*, organization: Organization | int) -> ScoreSnapshot | None:
    """The newest computed snapshot of the organization (None before the first recompute)."""
    return ScoreSnapshot.objects.for_org(_org_id(organization)).order_by("-computed_at", "-id").first()


def snapshot_latest_stamp(*, organization: Organization | int) -> tuple[int, datetime] | None:
    """The newest snapshot's id and `computed_at`, without its parts and drivers (a polled read)."""
    return (
        ScoreSnapshot.objects.for_org(_org_id(organization))
        .order_by("-computed_at", "-id")
        .values_list("id", "computed_at")
        .first()
    )


def snapshot_history(
    *, organization: Organization | int, date_from: date | None = None, date_to: date | None = None
) -> QuerySet[ScoreSnapshot]:
    """One snapshot per as_of date in [date_from, date_to] (either end open): the latest computed for
    that date, oldest date first."""
    org_id = _org_id(organization)
    snapshots = ScoreSnapshot.objects.for_org(org_id)
    if date_from is not None:
        snapshots = snapshots.filter(as_of__gte=date_from)
    if date_to is not None:
        snapshots = snapshots.filter(as_of__lte=date_to)
    newer = ScoreSnapshot.objects.for_org(org_id).filter(
        Q(computed_at__gt=OuterRef("computed_at"))
        | Q(computed_at=OuterRef("computed_at"), id__gt=OuterRef("id")),
        as_of=OuterRef("as_of"),
    )
    return snapshots.filter(~Exists(newer)).order_by("as_of")


def objective_scores_of(*, snapshot: ScoreSnapshot) -> QuerySet[ObjectiveScore]:
    return ObjectiveScore.objects.for_org(snapshot.organization_id).filter(snapshot=snapshot)


def initiative_scores_of(*, snapshot: ScoreSnapshot) -> QuerySet[InitiativeScore]:
    return InitiativeScore.objects.for_org(snapshot.organization_id).filter(snapshot=snapshot)


def team_scores_of(*, snapshot: ScoreSnapshot) -> QuerySet[TeamScore]:
    return TeamScore.objects.for_org(snapshot.organization_id).filter(snapshot=snapshot)


def objectives_with_progress(
    objectives: QuerySet[Objective], organization: Organization
) -> QuerySet[Objective]:
    """The objectives with `latest_progress` and `latest_progress_status` from the organization's
    latest score snapshot (None when it has no row for the objective, or no snapshot yet).

    Two subqueries in the list's own query, so a page costs one query whatever its size. The latest
    snapshot is the newest computed, as `snapshot_latest` says. An empty status (an objective
    without a progress status) reads as None.
    """
    latest = ScoreSnapshot.objects.for_org(organization).order_by("-computed_at", "-id").values("pk")[:1]
    scores = ObjectiveScore.objects.for_org(organization).filter(
        snapshot_id=Subquery(latest), objective_id=OuterRef("pk")
    )
    return objectives.annotate(
        latest_progress=Subquery(scores.values("progress")[:1]),
        latest_progress_status=NullIf(Subquery(scores.values("progress_status")[:1]), Value("")),
    )
