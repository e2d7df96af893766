"""The staffing sums of the fetch (SCORING.md "Resources"), computed in the database with set-based SQL.

An organization of fifty thousand people holds hundreds of thousands of allocations; none of them
comes back to Python. One statement groups the allocations counted at D by person (load_p, how many,
and f_p against the person's capacity), joins every allocation back to its person's f_p and its
initiative's window, and groups by initiative: supply_i and Σ hours_per_week × f_p. The same statement
returns the people over capacity or spread thin. Hours are summed as double precision, as the
engine's `staffing_calculate` sums them in Python from rows: the same terms in the same order of
operations, so the two agree to the last rounding of a sum.

The SQL is assembled from querysets built with `for_org` (every table is read within the
organization) and this module's constants; every value is a query parameter. It runs on PostgreSQL
and SQLite alike (dates become day numbers, the only difference).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Case, Q, QuerySet, Value, When

from execgap.models import Organization
from objectives.models import InitiativeStatus
from resources.models import Allocation
from scoring.engine.inputs import Parameters, PersonLoad, Staffing
from scoring.sql import hours_of, sql_of


def counted_allocations(
    *, organization: Organization | int, parameters: Parameters, team_ids: frozenset[int] | None = None
) -> QuerySet[Allocation]:
    """The allocations counted in load: to active initiatives, overlapping [D, D + H − 1] (an empty
    start started before D, an empty end is open-ended). With `team_ids`: of the people of those teams."""
    counted = (
        Allocation.objects.for_org(organization)
        .filter(initiative__status=InitiativeStatus.ACTIVE)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=parameters.horizon_end))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=parameters.as_of))
    )
    if team_ids is not None:
        counted = counted.filter(person__team_id__in=sorted(team_ids))
    return counted


def _day_number(column: str) -> str:
    """A date column as a whole number of days, on either database."""
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - julianday('1970-01-01') AS INTEGER)"


def _greater(a: str, b: str) -> str:
    return f"CASE WHEN {a} > {b} THEN {a} ELSE {b} END"


def _lesser(a: str, b: str) -> str:
    return f"CASE WHEN {a} < {b} THEN {a} ELSE {b} END"


def loads_sql(
    organization_id: int, parameters: Parameters, *, team_ids: frozenset[int] | None = None
) -> tuple[str, tuple[Any, ...]]:
    """`counted` (each counted allocation with its initiative's end date and its person's capacity and
    activity; of the people of `team_ids`, where given) and `loads` (per person: load_p, counted
    allocations, capacity and f_p) as the WITH clauses of a statement, and their parameters."""
    counted_sql, counted_params = sql_of(
        counted_allocations(
            organization=organization_id, parameters=parameters, team_ids=team_ids
        ).values_list(
            "id",
            "person_id",
            "initiative_id",
            hours_of("hours_per_week"),
            "start_date",
            "end_date",
            "initiative__end_date",
            hours_of("person__weekly_capacity_hours"),
            Case(When(person__active=True, then=Value(1)), default=Value(0)),
        )
    )
    sql = f"""
        WITH counted (id, person_id, initiative_id, hours, start_date, end_date, initiative_end, capacity,
            active) AS ({counted_sql}),
        sums AS (
            SELECT person_id, SUM(hours) AS load, COUNT(*) AS allocations,
                   MIN(capacity) AS capacity, MIN(active) AS active
            FROM counted GROUP BY person_id
        ),
        loads AS (
            SELECT person_id, load, allocations, capacity,
                   CASE WHEN active = 0 THEN 0.0
                        WHEN load <= capacity THEN 1.0
                        ELSE capacity / load END AS factor
            FROM sums
        )
    """  # noqa: S608 (the fragments are SQL that querysets built; every value is a parameter)
    return sql, counted_params


def staffing_fetch(*, organization_id: int, parameters: Parameters) -> Staffing:
    """The organization's `Staffing` at D: one statement, a row per staffed initiative and per
    person over capacity or spread thin."""
    with_sql, with_params = loads_sql(organization_id, parameters)
    as_of, horizon_days = _day_number("%s"), parameters.planning_horizon_days
    # end_i (its end date, else D + H − 1); days_left_i = max(7, days([D, end_i])); window_i =
    # min(days_left_i, H); the allocation counts over [max(start, D), min(end, D + window_i − 1)].
    initiative_end = f"COALESCE({_day_number('c.initiative_end')}, {as_of} + {horizon_days - 1})"
    days_left = _greater(f"{initiative_end} - {as_of} + 1", "7")
    window_end = f"{as_of} + {_lesser(days_left, str(horizon_days))} - 1"
    # (A comparison with an empty start or end is not true: the CASE then takes D, or the window's end.)
    start = _greater(_day_number("c.start_date"), as_of)
    end = _lesser(_day_number("c.end_date"), window_end)
    overlap = _greater(f"{end} - {start} + 1", "0")
    sql = f"""{with_sql},
        supplied AS (
            SELECT c.initiative_id, SUM(c.hours * l.factor * ({overlap}) / 7.0) AS supply,
                   SUM(c.hours * l.factor) AS hours
            FROM counted c JOIN loads l ON l.person_id = c.person_id
            GROUP BY c.initiative_id
        )
        SELECT initiative_id, supply, hours, NULL, NULL FROM supplied
        UNION ALL
        SELECT -person_id, load, capacity, allocations, factor FROM loads
        WHERE load > capacity OR allocations > %s
    """  # noqa: S608 (assembled from this module's expressions; every value is a parameter)
    # Each %s of the overlap is D: as many as the expression holds, in order. People come back with
    # their ids negated, to tell them from initiatives in the one result.
    params = (*with_params, *([parameters.as_of] * overlap.count("%s")), parameters.spread_thin_allocations)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    found.sort(key=lambda row: abs(row[0]))  # by id: the same order on every count
    supplied = [row for row in found if row[0] > 0]
    loaded = [row for row in found if row[0] < 0]
    return Staffing(
        supply={initiative_id: float(supply) for initiative_id, supply, _, _, _ in supplied},
        factored_hours={initiative_id: float(hours) for initiative_id, _, hours, _, _ in supplied},
        loaded=tuple(
            PersonLoad(
                person_id=-person_id,
                load=float(load),
                capacity=float(capacity),
                allocations=int(allocations),
                factor=float(factor),
            )
            for person_id, load, capacity, allocations, factor in loaded
        ),
    )
