"""The staffing sums kept between recomputes: counted again only after a write that can change them
(`staffing_marks`), or for a new D, H or K.

A million-task organization holds a hundred thousand allocations or more, and summing them is the
largest part of a recompute; yet most changes (a task edited, a check-in, a blocker) leave them as
they are. `staffing_kept_refresh` (before a recompute's read, in a transaction of its own) takes the
organization's marks and, where there were any or the kept staffing is for other parameters, counts
the staffing again (`fetch_staffing.staffing_fetch`) and keeps it. `staffing_kept_fetch` (inside the
recompute's consistent read) returns the kept staffing where that read sees it for its parameters
and no mark left, and counts it there otherwise: the same `Staffing` as `staffing_fetch` whatever
landed in between, since a mark commits with the write that makes it and is taken only by a refresh
that counts after taking it. `staffing_kept_differences` checks the kept staffing against a count (the
`kept_staffing` command), `staffing_kept_rebuild` counts it again, and `staffing_kept_repair` (every
night) checks it, logs any difference and counts it again.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction

from scoring.engine.inputs import Parameters, PersonLoad, Staffing
from scoring.fetch_staffing import staffing_fetch
from scoring.kept_repair import kept_repaired
from scoring.models import StaffingKept, StaffingMark
from scoring.packed import columns_packed, columns_unpacked


def staffing_key(parameters: Parameters) -> str:
    """What the staffing depends on besides the rows: D, H and K."""
    return (
        f"{parameters.as_of.isoformat()} {parameters.planning_horizon_days}"
        f" {parameters.spread_thin_allocations}"
    )


# The packed staffing (`scoring.packed`): per initiative its id, supply and factored hours, per person
# their id, load, capacity, allocations and f_p.
INITIATIVE_COLUMNS = "qdd"
PEOPLE_COLUMNS = "qddqd"


def staffing_packed(staffing: Staffing) -> bytes:
    initiatives = [
        (initiative_id, supply, staffing.factored_hours[initiative_id])
        for initiative_id, supply in staffing.supply.items()
    ]
    people = [
        (person.person_id, person.load, person.capacity, person.allocations, person.factor)
        for person in staffing.loaded
    ]
    return columns_packed(
        [
            (INITIATIVE_COLUMNS, [[row[at] for row in initiatives] for at in range(len(INITIATIVE_COLUMNS))]),
            (PEOPLE_COLUMNS, [[row[at] for row in people] for at in range(len(PEOPLE_COLUMNS))]),
        ]
    )


def staffing_unpacked(packed: bytes) -> Staffing:
    ids, supply, hours, people_ids, loads, capacities, allocations, factors = columns_unpacked(
        packed, [INITIATIVE_COLUMNS, PEOPLE_COLUMNS]
    )
    return Staffing(
        supply=dict(zip(ids, supply, strict=True)),
        factored_hours=dict(zip(ids, hours, strict=True)),
        loaded=tuple(map(PersonLoad, people_ids, loads, capacities, allocations, factors)),
    )


def _marks_take(organization_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {StaffingMark._meta.db_table} WHERE organization_id = %s",  # noqa: S608
            [organization_id],
        )
        return int(cursor.rowcount)


def staffing_kept_refresh(*, organization_id: int, parameters: Parameters) -> bool:
    """Bring the organization's kept staffing up to date for `parameters`: count it again when a write
    marked it since it was kept, or it was kept for other parameters. Returns whether it counted."""
    key = staffing_key(parameters)
    with transaction.atomic():
        # The kept row's lock orders two refreshes of one organization: the marks one takes, it counts.
        kept, _ = (
            StaffingKept.objects.select_for_update()
            .only("key")
            .get_or_create(
                organization_id=organization_id,
                defaults={"key": "", "as_of": parameters.as_of, "staffing": b""},
            )
        )
        if not _marks_take(organization_id) and kept.key == key:
            return False
        kept.key, kept.as_of = key, parameters.as_of
        counted = staffing_fetch(organization_id=organization_id, parameters=parameters)
        kept.staffing = staffing_packed(counted)
        kept.save(update_fields=["key", "as_of", "staffing"])
        return True


def staffing_kept_fetch(*, organization_id: int, parameters: Parameters) -> Staffing:
    """What `staffing_fetch` counts: the kept staffing where it is for these parameters and no write
    marked it since (as this transaction reads them), else counted now."""
    kept = (
        StaffingKept.objects.for_org(organization_id)
        .filter(key=staffing_key(parameters))
        .values_list("staffing", flat=True)
        .first()
    )
    if kept is None or StaffingMark.objects.for_org(organization_id).exists():
        return staffing_fetch(organization_id=organization_id, parameters=parameters)
    return staffing_unpacked(bytes(kept))


def _supply_shown(staffing: Staffing, initiative_id: int) -> str:
    if initiative_id not in staffing.supply:
        return "no supply"
    return f"supply {staffing.supply[initiative_id]} h ({staffing.factored_hours[initiative_id]} h/week)"


def _load_shown(person: PersonLoad | None) -> str:
    if person is None:
        return "not over capacity or spread thin"
    return (
        f"load {person.load} of {person.capacity} h/week in {person.allocations} allocations"
        f" (f_p {person.factor})"
    )


def staffing_kept_differences(*, organization_id: int, parameters: Parameters) -> list[str] | None:
    """Where the kept staffing (as a recompute would read it) differs from a count, one line per
    initiative or person, kept then counted; empty when they agree. None when nothing is kept for
    `parameters`."""
    if not StaffingKept.objects.for_org(organization_id).filter(key=staffing_key(parameters)).exists():
        return None
    kept = staffing_kept_fetch(organization_id=organization_id, parameters=parameters)
    counted = staffing_fetch(organization_id=organization_id, parameters=parameters)
    differences = [
        f"initiative {initiative_id}: kept {_supply_shown(kept, initiative_id)};"
        f" counted {_supply_shown(counted, initiative_id)}"
        for initiative_id in sorted(kept.supply.keys() | counted.supply.keys())
        if (kept.supply.get(initiative_id), kept.factored_hours.get(initiative_id))
        != (counted.supply.get(initiative_id), counted.factored_hours.get(initiative_id))
    ]
    kept_people = {person.person_id: person for person in kept.loaded}
    counted_people = {person.person_id: person for person in counted.loaded}
    differences.extend(
        f"person {person_id}: kept {_load_shown(kept_people.get(person_id))};"
        f" counted {_load_shown(counted_people.get(person_id))}"
        for person_id in sorted(kept_people.keys() | counted_people.keys())
        if kept_people.get(person_id) != counted_people.get(person_id)
    )
    return differences


def staffing_kept_rebuild(*, organization_id: int, parameters: Parameters) -> None:
    """Count the organization's staffing again, whatever was kept."""
    StaffingKept.objects.for_org(organization_id).update(key="")
    staffing_kept_refresh(organization_id=organization_id, parameters=parameters)


def staffing_kept_as_of(*, organization_id: int) -> date | None:
    """The D the organization's staffing was last kept for (None before its first recompute)."""
    return StaffingKept.objects.for_org(organization_id).values_list("as_of", flat=True).first()


def staffing_kept_repair(*, organization_id: int, parameters: Parameters) -> int:
    """Check the organization's kept staffing for `parameters` against a count; where anything differs,
    log it and count it again. Returns how many initiatives and people differed (0 also when nothing
    is kept for these parameters)."""
    return kept_repaired(
        "staffing",
        organization_id=organization_id,
        parameters=parameters,
        differences=staffing_kept_differences(organization_id=organization_id, parameters=parameters),
        rebuild=staffing_kept_rebuild,
    )
