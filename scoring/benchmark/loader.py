"""Write a generated organization into the database, fast.

On PostgreSQL each table is one `COPY ... FROM STDIN` fed by a CSV stream made on the fly (psycopg2's
`copy_expert`); elsewhere, and wherever `use_copy=False`, plain batched INSERTs, which are fine for
the tiny organizations of the tests. Either way the rows bypass the ORM and the services: this is
a bulk load, so there is no revision history and no stale mark. Ids are taken above each table's
current largest and the sequences are moved past them afterwards, so use it on a database that
nobody else writes to at the same time (the benchmark's throwaway one, a test database).
"""

from __future__ import annotations

import time as clock
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from execgap.bulk import copy_rows, insert_rows
from execgap.models import Organization
from feedback.models import CheckIn, FeedbackItem
from objectives.models import AssigneeTally, Initiative, KeyResult, Objective, Task, TaskTally
from resources.models import Allocation, Person, Team
from scoring.benchmark.bulk import bulk_load
from scoring.benchmark.plan import Plan, Row
from scoring.benchmark.rows import COLUMNS, GENERATORS
from scoring.benchmark.shape import Shape

MODELS: dict[str, type[models.Model]] = {
    "team": Team,
    "person": Person,
    "objective": Objective,
    "key_result": KeyResult,
    "initiative": Initiative,
    "task": Task,
    "allocation": Allocation,
    "check_in": CheckIn,
    "feedback": FeedbackItem,
}
# From this size on, PostgreSQL builds the secondary indexes after the load rather than row by row.
REBUILD_INDEXES_FROM_TASKS = 50_000


@dataclass
class Generated:
    """One generated organization: its id, its shape, how many rows each table got and how long it took."""

    organization_id: int
    slug: str
    shape: Shape
    as_of: date
    method: str  # "copy" or "insert"
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0  # generating and writing the rows, committing, resetting the sequences
    analyze_seconds: float = 0.0


def check_columns() -> None:
    """Fail loudly when a model gained or lost a column that the generator does not know about."""
    for table, model in MODELS.items():
        expected = {str(f.column) for f in model._meta.concrete_fields}
        if set(COLUMNS[table]) != expected:
            missing, unknown = sorted(expected - set(COLUMNS[table])), sorted(set(COLUMNS[table]) - expected)
            raise RuntimeError(
                f"The benchmark generator is out of date for {model.__name__}: "
                f"missing columns {missing}, unknown columns {unknown} (update scoring/benchmark/rows.py)."
            )


def organization_generate(
    *,
    tasks: int,
    as_of: date | None = None,
    seed: int = 0,
    slug: str | None = None,
    use_copy: bool | None = None,
    rebuild_indexes: bool | None = None,
    analyze: bool = True,
) -> Generated:
    """Create an organization of `tasks` tasks with its whole cascade (see `Shape.for_tasks`).

    `as_of` is the date D the data is laid out around (default today, UTC). `use_copy` defaults to
    whether the database is PostgreSQL; `rebuild_indexes` (PostgreSQL) to whether there are 50,000
    tasks or more (see `bulk`). Everything is written in one transaction: all or nothing, and every
    link is checked to point at a row of the organization.
    With `analyze` (PostgreSQL only) the tables' statistics are refreshed afterwards.
    """
    check_columns()
    as_of = as_of or timezone.now().date()
    use_copy = connection.vendor == "postgresql" if use_copy is None else use_copy
    if use_copy and connection.vendor != "postgresql":
        raise ValueError("COPY needs PostgreSQL; use use_copy=False elsewhere.")
    shape = Shape.for_tasks(tasks)
    slug = slug or f"bench-{tasks}-{seed}"
    if rebuild_indexes is None:
        rebuild_indexes = tasks >= REBUILD_INDEXES_FROM_TASKS
    write = copy_rows if use_copy else insert_rows
    started = clock.perf_counter()
    with transaction.atomic():
        organization = Organization.objects.create(slug=slug, name=f"Benchmark {tasks:,} tasks")
        moment = min(timezone.now(), datetime.combine(as_of, time(12), tzinfo=UTC))
        plan = Plan(organization.pk, shape, as_of, moment, _first_ids(), seed)
        generated = Generated(organization.pk, slug, shape, as_of, "copy" if use_copy else "insert")
        with bulk_load(
            list(MODELS.values()), organization_id=organization.pk, rebuild_indexes=rebuild_indexes
        ):
            for table, rows_of in GENERATORS.items():
                counted = _Counted(rows_of(plan))
                write(MODELS[table], COLUMNS[table], counted)
                generated.rows[table] = counted.count
        _reset_sequences()
    generated.seconds = clock.perf_counter() - started
    if analyze and connection.vendor == "postgresql":
        # VACUUM as well (outside a transaction, where it can run): the visibility map autovacuum
        # soon writes for a table this size, without which no index-only scan skips the table.
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        started = clock.perf_counter()
        with connection.cursor() as cursor:
            # The tallies too: counted once after the load, they have no statistics until analyzed, and
            # the staffing drift's statement plans nested loops over them without (minutes at 1M).
            analyzed: tuple[type[models.Model], ...] = (*MODELS.values(), TaskTally, AssigneeTally)
            for model in analyzed:
                cursor.execute(f"{statement} {connection.ops.quote_name(model._meta.db_table)}")
        generated.analyze_seconds = clock.perf_counter() - started
    return generated


class _Counted:
    """Rows passed through, counted (so a table's row count comes from what was actually written)."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator[Row]:
        for row in self.rows:
            self.count += 1
            yield row


def _first_ids() -> dict[str, int]:
    first = {}
    with connection.cursor() as cursor:
        for table, model in MODELS.items():
            name = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {name}")  # noqa: S608  # a model's table
            first[table] = int(cursor.fetchone()[0])
    return first


def _reset_sequences() -> None:
    """Move each id sequence past the ids given here (PostgreSQL; SQLite follows its largest id)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(MODELS.values()))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
