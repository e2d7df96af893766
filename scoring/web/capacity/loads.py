"""People's loads and off-strategy capacity, read from the allocations with set-based SQL
(SCORING.md "Resources"), for the resources page.

The allocations counted at D are those to active initiatives that overlap [D, D + H − 1]. Every
person's load (their hours per week summed with GROUP BY) is computed in the database, the people
are ranked and cut to a page there, and only that page's people and allocations come back to
Python: the page costs the same at fifty people and at fifty thousand. The rules are the scoring
engine's: over capacity is load_p > capacity, spread thin is more than K counted allocations, and
f_p (the share of each allocated hour that counts) is 1 within capacity, capacity / load_p beyond
it, 0 for an inactive person; the page's own people go through the engine's `people_load` itself.

The SQL is assembled from querysets built with `for_org` (so every table is read within the
organization) and takes its parameters as parameters; it runs on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.safestring import SafeString

from execgap.models import Organization
from execgap.web.charts import load_bar
from objectives.models import Initiative
from resources.models import Allocation, Person
from scoring.engine.cascade import Cascade
from scoring.engine.inputs import AllocationRow, Parameters, PersonNode
from scoring.engine.resources import people_load
from scoring.fetch_staffing import counted_allocations, loads_sql
from scoring.sql import hours_of, sql_of

OVER_CAPACITY, SPREAD_THIN, UNALLOCATED, OTHERS = 0, 1, 2, 3


def _people(organization: Organization, team_ids: frozenset[int] | None) -> QuerySet[Person]:
    people = Person.objects.for_org(organization)
    return people.filter(team_id__in=sorted(team_ids)) if team_ids is not None else people


@dataclass(frozen=True)
class LoadCounts:
    """Of the people in view: how many there are, and how many are over capacity, spread thin (either
    may also be the other) and active without any counted allocation."""

    people: int = 0
    over_capacity: int = 0
    spread_thin: int = 0
    unallocated: int = 0


@dataclass(frozen=True)
class PersonLoadRow:
    """A person's counted allocations and load (hours per week) against their weekly capacity."""

    person: Person
    allocations: list[Allocation]
    load: float
    capacity: float
    factor: float  # f_p: the share of each allocated hour that counts as supply
    over_capacity: bool
    spread_thin: bool

    @property
    def unallocated(self) -> bool:
        return self.person.active and not self.allocations

    @property
    def load_percent(self) -> float | None:
        return 100.0 * self.load / self.capacity if self.capacity else None

    @property
    def bar(self) -> SafeString:
        return load_bar(self.load, self.capacity, self.person.name)

    @property
    def over_by(self) -> float:
        return max(0.0, self.load - self.capacity)

    @property
    def free(self) -> float:
        return max(0.0, self.capacity - self.load)


@dataclass(frozen=True)
class LoadPage:
    rows: list[PersonLoadRow]
    counts: LoadCounts


def people_ranked(
    *,
    organization: Organization,
    parameters: Parameters,
    team_ids: frozenset[int] | None = None,
    offset: int = 0,
    limit: int | None = 25,
) -> tuple[list[tuple[int, float, int]], LoadCounts]:
    """The people who matter first, `limit` of them (all with None) from `offset`: over capacity (the
    most over first), then spread thin (the most allocations first), then active people with no counted
    allocation, then everyone else; by name within each. Each as (person id, load_p in hours per
    week, counted allocations), with the counts of the whole set. One query."""
    loads_sql, loads_params = sql_of(
        counted_allocations(organization=organization, parameters=parameters, team_ids=team_ids)
        .values("person_id")
        .annotate(load=Sum(hours_of("hours_per_week")), allocations=Count("*"))
    )
    people_sql, people_params = sql_of(
        _people(organization, team_ids)
        .annotate(capacity=hours_of("weekly_capacity_hours"))
        .values("id", "name", "capacity", "active")
    )
    sql = f"""
        WITH loads (person_id, load, allocations) AS ({loads_sql}),
        people (id, name, capacity, active) AS ({people_sql}),
        loaded AS (
            SELECT p.id, p.name, p.capacity, p.active,
                   COALESCE(l.load, 0) AS load, COALESCE(l.allocations, 0) AS allocations
            FROM people p LEFT JOIN loads l ON l.person_id = p.id
        ),
        ranked AS (
            SELECT loaded.*,
                   CASE WHEN load > capacity THEN {OVER_CAPACITY}
                        WHEN allocations > %s THEN {SPREAD_THIN}
                        WHEN allocations = 0 AND active THEN {UNALLOCATED}
                        ELSE {OTHERS} END AS rank
            FROM loaded
        )
        SELECT id, load, allocations,
               COUNT(*) OVER (),
               SUM(CASE WHEN load > capacity THEN 1 ELSE 0 END) OVER (),
               SUM(CASE WHEN allocations > %s THEN 1 ELSE 0 END) OVER (),
               SUM(CASE WHEN rank = {UNALLOCATED} THEN 1 ELSE 0 END) OVER ()
        FROM ranked
        ORDER BY rank,
                 CASE WHEN rank = {OVER_CAPACITY} THEN capacity - load
                      WHEN rank = {SPREAD_THIN} THEN -allocations
                      ELSE 0 END,
                 LOWER(name), id
        {_PAGE if limit is not None else ""}
    """  # noqa: S608 (the fragments are SQL that querysets built; every value is a parameter)
    spread = parameters.spread_thin_allocations
    with connection.cursor() as cursor:
        cursor.execute(sql, (*loads_params, *people_params, spread, spread, *_page(limit, offset)))
        found = cursor.fetchall()
    if not found:
        return [], LoadCounts()
    first = found[0]
    counts = LoadCounts(
        people=int(first[3]),
        over_capacity=int(first[4]),
        spread_thin=int(first[5]),
        unallocated=int(first[6]),
    )
    return [(int(row[0]), float(row[1]), int(row[2])) for row in found], counts


def people_load_rows(
    *, organization: Organization, parameters: Parameters, ranked: list[tuple[int, float, int]]
) -> list[PersonLoadRow]:
    """The ranked people of a page with their counted allocations (largest first) and the engine's
    load, f_p, over capacity and spread thin. Two queries."""
    ids = [person_id for person_id, _, _ in ranked]
    people = {
        person.pk: person
        for person in Person.objects.for_org(organization).select_related("team").filter(pk__in=ids)
    }
    allocations = list(
        counted_allocations(organization=organization, parameters=parameters)
        .filter(person_id__in=ids)
        .select_related("initiative", "initiative__objective")
        .order_by("-hours_per_week", "id")
    )
    loads = people_load(
        people=[
            PersonNode(
                id=person.pk,
                team_id=person.team_id,
                weekly_capacity_hours=float(person.weekly_capacity_hours),
                active=person.active,
            )
            for person in people.values()
        ],
        current=[_row_of(allocation) for allocation in allocations],
    )
    by_person: dict[int, list[Allocation]] = {}
    for allocation in allocations:
        by_person.setdefault(allocation.person_id, []).append(allocation)
    rows = []
    for person_id in ids:
        if person_id not in people:
            continue  # deleted between the two reads
        load = loads[person_id]
        rows.append(
            PersonLoadRow(
                person=people[person_id],
                allocations=by_person.get(person_id, []),
                load=load.load,
                capacity=load.capacity,
                factor=load.factor,
                over_capacity=load.over_capacity,
                spread_thin=load.allocations > parameters.spread_thin_allocations,
            )
        )
    return rows


def _row_of(allocation: Allocation) -> AllocationRow:
    return AllocationRow(
        id=allocation.pk,
        person_id=allocation.person_id,
        initiative_id=allocation.initiative_id,
        hours_per_week=float(allocation.hours_per_week),
        start_date=allocation.start_date,
        end_date=allocation.end_date,
    )


@dataclass(frozen=True)
class OffStrategyRow:
    allocation: Allocation
    hours: float  # hours_per_week × f_p
    reason: str


@dataclass(frozen=True)
class OffStrategy:
    """The counted allocations whose initiative serves no live objective: a page of the largest, how
    many there are and their hours per week in all (each at hours_per_week × f_p)."""

    rows: list[OffStrategyRow]
    count: int
    hours: float


# A page of a ranking; without a limit, the whole ranking (a download reads it once, not per chunk).
_PAGE = "LIMIT %s OFFSET %s"


def _page(limit: int | None, offset: int) -> tuple[int, ...]:
    if limit is None:
        if offset:
            raise ValueError("An offset needs a limit.")
        return ()
    return (limit, offset)


def off_strategy_ranked(
    *,
    organization: Organization,
    parameters: Parameters,
    cascade: Cascade,
    team_ids: frozenset[int] | None = None,
    offset: int = 0,
    limit: int | None = 10,
) -> tuple[list[tuple[int, float]], int, float]:
    """SCORING.md's off-strategy capacity: the counted allocations whose initiative has no objective
    or a chain that is not live (of the people of `team_ids`, where given), each at hours_per_week ×
    f_p. The largest `limit` (all with None) from `offset` as (allocation id, hours per week), how many
    there are and their sum. One query."""
    with_sql, with_params = loads_sql(organization.pk, parameters, team_ids=team_ids)
    outside = Initiative.objects.for_org(organization).filter(
        Q(objective__isnull=True) | ~Q(objective_id__in=sorted(cascade.live))
    )
    outside_sql, outside_params = sql_of(outside.values("id"))
    sql = f"""{with_sql},
        off (id, hours) AS (
            SELECT c.id, c.hours * l.factor
            FROM counted c JOIN loads l ON l.person_id = c.person_id
            WHERE c.initiative_id IN ({outside_sql})
        )
        SELECT id, hours, COUNT(*) OVER (), SUM(hours) OVER ()
        FROM off
        ORDER BY hours DESC, id
        {_PAGE if limit is not None else ""}
    """  # noqa: S608 (the fragments are SQL that querysets built; every value is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*with_params, *outside_params, *_page(limit, offset)))
        found = cursor.fetchall()
    if not found:
        return [], 0, 0.0
    return [(int(row[0]), float(row[1])) for row in found], int(found[0][2]), float(found[0][3])


def off_strategy_rows(
    *, organization: Organization, ranked: tuple[list[tuple[int, float]], int, float]
) -> OffStrategy:
    """The page of `off_strategy_ranked` with its allocations (person, initiative, objective) and why
    each is off strategy. One query."""
    page, count, total = ranked
    allocations = {
        allocation.pk: allocation
        for allocation in Allocation.objects.for_org(organization)
        .select_related("person", "initiative", "initiative__objective")
        .filter(pk__in=[pk for pk, _ in page])
    }
    rows = [
        OffStrategyRow(allocation=allocations[pk], hours=hours, reason=_reason(allocations[pk]))
        for pk, hours in page
        if pk in allocations
    ]
    return OffStrategy(rows=rows, count=count, hours=total)


def _reason(allocation: Allocation) -> str:
    objective = allocation.initiative.objective
    if objective is None:
        return "Its initiative serves no objective."
    return f"Its objective “{objective.title}” or one above it is not active."
