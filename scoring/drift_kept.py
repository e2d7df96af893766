"""The staffing drift kept between recomputes: counted whole once per D (and after a change of W, H or
E), then recounted only for the initiatives a write marked since (`drift_marks`).

`drift_counts_refresh` (before a recompute's read, in a transaction of its own) takes the marks and
recounts those initiatives into `DriftCount`, or recounts every initiative when the counts were made
for other parameters or too many are marked. `drift_kept_fetch` (inside the recompute's consistent
read) returns the kept counts with the initiatives still marked in that read recounted: the same
`DriftFacts` as `drift_fetch` whatever landed in between, since the marks and the counts change in the
same transactions as the rows they follow. (Whichever days the tally window holds: a count reads
D's window from the `scope` rows or, elsewhere, from the day rows, and a roll of the window marks the
initiatives whose `scope` rows it changes.) `drift_kept_differences` checks the kept counts against a
recount (the `kept_drift` command), `drift_kept_rebuild` starts them over, and `drift_kept_repair`
(every night) checks the counts last kept against a count, logs any difference and counts them again.
"""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

from django.db import connection, transaction

from scoring.engine.inputs import DriftFacts, InitiativeDrift, Parameters
from scoring.fetch_drift import drift_counts_fetch, drift_fetch
from scoring.models import (
    DriftCount,
    DriftCountKey,
    DriftMark,
    NodeMark,
    StaffingKept,
    StaffingMark,
    TaskSumMark,
    TaskSumsKept,
    TaskSumsPiece,
)
from scoring.sql import rows_of

logger = logging.getLogger(__name__)

# More marked initiatives than this and the whole organization is recounted at once: one statement
# over every pair costs less than a list of ids that long.
MARKED_AT_MOST = 2000

COUNTED_FIELDS = ("unallocated_people", "unplanned_effort", "idle_people", "idle_allocations", "idle_hours")


def count_key(parameters: Parameters) -> str:
    """What the counts depend on besides the rows: D, the activity window's first day, the horizon's
    last day and E."""
    return (
        f"{parameters.as_of.isoformat()} {parameters.activity_start.isoformat()}"
        f" {parameters.horizon_end.isoformat()} {parameters.default_task_effort_hours!r}"
    )


def _marks_take(organization_id: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM scoring_driftmark WHERE organization_id = %s RETURNING initiative_id",
            [organization_id],
        )
        return [initiative_id for (initiative_id,) in cursor.fetchall()]


def _counts_write(organization_id: int, counts: dict[int, InitiativeDrift]) -> None:
    DriftCount.objects.bulk_create(
        [
            DriftCount(
                organization_id=organization_id,
                initiative_id=initiative_id,
                unallocated_people=drift.unallocated_people,
                unplanned_effort=Decimal(repr(drift.unplanned_effort)),
                idle_people=drift.idle_people,
                idle_allocations=drift.idle_allocations,
                idle_hours=Decimal(repr(drift.idle_hours)),
            )
            for initiative_id, drift in sorted(counts.items())
        ],
        batch_size=2000,
    )


def drift_counts_refresh(*, organization_id: int, parameters: Parameters) -> int | None:
    """Bring the organization's kept drift counts up to date for `parameters`: recount the marked
    initiatives, or every one when the counts were made for other parameters or more than
    MARKED_AT_MOST are marked. Returns how many initiatives were recounted (None for all)."""
    key = count_key(parameters)
    with transaction.atomic():
        kept, _ = DriftCountKey.objects.select_for_update().get_or_create(
            organization_id=organization_id, defaults={"key": ""}
        )
        marked = _marks_take(organization_id)
        if kept.key == key and len(marked) <= MARKED_AT_MOST:
            if marked:
                DriftCount.objects.for_org(organization_id).filter(initiative_id__in=marked).delete()
                _counts_write(
                    organization_id,
                    drift_counts_fetch(
                        organization_id=organization_id, parameters=parameters, initiative_ids=marked
                    ),
                )
            return len(marked)
        DriftCount.objects.for_org(organization_id).delete()
        _counts_write(
            organization_id, drift_counts_fetch(organization_id=organization_id, parameters=parameters)
        )
        kept.key, kept.as_of = key, parameters.as_of
        kept.save(update_fields=["key", "as_of"])
        return None


def drift_kept_fetch(*, organization_id: int, parameters: Parameters) -> DriftFacts:
    """What `drift_fetch` counts, from the kept counts and a recount of the initiatives marked since
    (as this transaction reads them); counted whole where the counts were made for other parameters or
    too many are marked."""
    kept = DriftCountKey.objects.filter(organization_id=organization_id).values_list("key", flat=True).first()
    marked = set(DriftMark.objects.for_org(organization_id).values_list("initiative_id", flat=True))
    if kept != count_key(parameters) or len(marked) > MARKED_AT_MOST:
        return drift_fetch(organization_id=organization_id, parameters=parameters)
    counts = {
        initiative_id: InitiativeDrift(
            initiative_id=initiative_id,
            unallocated_people=int(unallocated),
            unplanned_effort=float(effort),
            idle_people=int(idle),
            idle_allocations=int(allocations),
            idle_hours=float(hours),
        )
        for initiative_id, unallocated, effort, idle, allocations, hours in rows_of(
            DriftCount.objects.for_org(organization_id)
            .order_by()
            .values_list("initiative_id", *COUNTED_FIELDS)
        )
        if initiative_id not in marked
    }
    if marked:
        counts |= drift_counts_fetch(
            organization_id=organization_id, parameters=parameters, initiative_ids=marked
        )
    return DriftFacts(initiatives={initiative_id: counts[initiative_id] for initiative_id in sorted(counts)})


def drift_kept_differences(
    *, organization_id: int, parameters: Parameters
) -> dict[int, tuple[InitiativeDrift | None, InitiativeDrift | None]] | None:
    """Per initiative whose kept count (the marked ones recounted) differs from a count from scratch:
    (kept, counted); empty when they agree. None when nothing is kept for these parameters."""
    if not DriftCountKey.objects.filter(organization_id=organization_id, key=count_key(parameters)).exists():
        return None
    kept = drift_kept_fetch(organization_id=organization_id, parameters=parameters).initiatives
    counted = drift_fetch(organization_id=organization_id, parameters=parameters).initiatives
    return {
        initiative_id: (kept.get(initiative_id), counted.get(initiative_id))
        for initiative_id in sorted(kept.keys() | counted.keys())
        if kept.get(initiative_id) != counted.get(initiative_id)
    }


def drift_kept_rebuild(*, organization_id: int, parameters: Parameters) -> None:
    """Count the organization's drift whole again, whatever was kept."""
    DriftCountKey.objects.filter(organization_id=organization_id).update(key="")
    drift_counts_refresh(organization_id=organization_id, parameters=parameters)


def drift_kept_as_of(*, organization_id: int) -> date | None:
    """The D the organization's drift counts were last kept for (None before its first recompute)."""
    return (
        DriftCountKey.objects.filter(organization_id=organization_id).values_list("as_of", flat=True).first()
    )


def drift_kept_repair(*, organization_id: int, parameters: Parameters) -> int:
    """Check the organization's kept drift counts for `parameters` against a count from scratch;
    where any initiative differs, log it and count them all again. Returns how many initiatives
    differed (0 also when nothing is kept for these parameters)."""
    differences = drift_kept_differences(organization_id=organization_id, parameters=parameters)
    if not differences:
        return 0
    logger.warning(
        "The kept staffing drift of organization %s at %s differed from a count in %d initiatives (%s);"
        " counted again.",
        organization_id,
        parameters.as_of.isoformat(),
        len(differences),
        ", ".join(str(initiative_id) for initiative_id in list(differences)[:10]),
    )
    drift_kept_rebuild(organization_id=organization_id, parameters=parameters)
    return len(differences)


def kept_of_deleted_organizations_remove() -> int:
    """Remove the marks and kept sums left by deleted organizations (the drift's, the staffing's, the
    task sums' and the plan nodes' marks: their rows hold plain ids, so that the triggers can mark what
    an organization's deletion removes); returns the rows removed."""
    removed = 0
    with connection.cursor() as cursor:
        models = (
            *(DriftMark, DriftCount, StaffingMark, StaffingKept),
            *(TaskSumMark, TaskSumsKept, TaskSumsPiece, NodeMark),
        )
        for model in models:
            cursor.execute(
                f"DELETE FROM {model._meta.db_table}"  # noqa: S608
                " WHERE organization_id NOT IN (SELECT id FROM execgap_organization)"
            )
            removed += cursor.rowcount
    return removed
