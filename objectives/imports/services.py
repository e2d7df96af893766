"""`tasks_import`: the one way in for importing tasks (the API, its background job and scripts call it).

It does what `task_create` and `task_update` would do row by row, for thousands of rows at once:
the role check (importing is for leads and up; each row is also checked as a task the actor may
create, or change as it is and as it would be), the model's validation, a unique external key per
organization, `version` and `updated_at` on every changed task, and one stale mark for the scores.
Tasks keep no plan history, so there is no revision to record. A commit is one transaction that
writes every good row and reports the bad ones; with `all_or_nothing` a bad row stops it and
nothing is written. An import never deletes a task: a task the file does not name stays as it is.

An import into a team reads the team's remembered mapping (statuses and parents its lead mapped
before) beneath the client's, and a commit remembers what the client mapped.

The rows are judged before the transaction opens (so a job can report its progress while it does);
inside it, the tasks to change are locked and checked against what was judged. When another
writer got there first the rows are judged again under the lock.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from execgap.models import Membership
from execgap.roles import Action, Resource, require
from execgap.services import organization_mark_scores_stale
from objectives.imports.github import github_row_input
from objectives.imports.links import Mappable
from objectives.imports.lookups import CHUNK, Goal, Lookups, lookups_load
from objectives.imports.mapping import JiraColumns, RowInput, jira_row_input, json_row_input
from objectives.imports.memory import import_mapping_read, import_mapping_remember
from objectives.imports.options import ImportOptions
from objectives.imports.planning import Progress, RowPlan, missing_message, rows_plan
from objectives.imports.report import (
    ImportReport,
    report_parents,
    report_rows,
    report_statuses,
)
from objectives.imports.rows import ImportRows
from objectives.models import Initiative, Objective, Task
from resources.models import Team

BATCH = 500
FEW_VALUES = 50  # a field changed to at most this many distinct values is written one value at a time

# More rows than this are imported as a background job by the pages and the API (a request stays short).
ASYNC_ROWS = 500


def tasks_import(
    *,
    actor: Membership,
    rows: ImportRows,
    dry_run: bool = True,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import `rows` into the actor's organization, or with `dry_run` only say what it would do.

    `progress(done)` hears how many rows are judged so far, and all of them once the report is ready.
    Raises PermissionDenied for a role that may not import, ValidationError for options naming rows
    the organization does not have; a row's problems are in the report.
    """
    require(actor, Resource.TASK_IMPORT, Action.CREATE)
    options = with_team_mapping(actor.organization_id, options or ImportOptions())
    ignored = JiraColumns(rows).ignored if rows.kind == "jira_csv" else ()
    judged = _judge(actor, rows, options, progress=progress, lock=False)
    report = ImportReport(
        source=rows.kind, dry_run=dry_run, committed=False, all_or_nothing=options.all_or_nothing,
        ignored_columns=ignored,
    )  # fmt: skip
    if not dry_run and not _blocked(judged.plans, options):
        judged, report.committed = _commit(actor, rows, options, judged)
    report.rows = report_rows(judged.plans, judged.lookups)
    report.statuses = report_statuses(judged.inputs, options)
    report.parents = report_parents(judged.mappables, judged.lookups)
    if progress is not None:
        progress(len(rows))
    return report


def with_team_mapping(organization_id: int, options: ImportOptions) -> ImportOptions:
    """`options` over the remembered mapping of their team (as they are when they name none)."""
    if options.team_id is None:
        return options
    statuses, links = import_mapping_read(organization_id=organization_id, team_id=options.team_id)
    return options.remembering(statuses=statuses, links=links)


@dataclass
class _Judged:
    inputs: list[RowInput]
    plans: list[RowPlan]
    lookups: Lookups
    mappables: list[Mappable]


def _commit(
    actor: Membership, rows: ImportRows, options: ImportOptions, judged: _Judged
) -> tuple[_Judged, bool]:
    """Write what was judged, in one transaction; returns the plans written and whether anything was."""
    try:
        with transaction.atomic():
            if _changed_since(actor.organization_id, judged.plans):
                judged = _judge(actor, rows, options, progress=None, lock=True)
                if _blocked(judged.plans, options):
                    return judged, False
            _write(actor, judged.plans)
            if options.team_id is not None:
                import_mapping_remember(
                    organization_id=actor.organization_id, team_id=options.team_id,
                    statuses=options.given_statuses, links=options.link_map,
                )  # fmt: skip
    except IntegrityError as error:  # a task with one of these keys was created at the same moment
        raise ValidationError(
            {NON_FIELD_ERRORS: "Tasks changed while this import ran, and nothing was written: run it again."}
        ) from error
    return judged, True


def _judge(
    actor: Membership, rows: ImportRows, options: ImportOptions, *, progress: Progress | None, lock: bool
) -> _Judged:
    inputs = _inputs(rows, options)
    keys = [given.external_key for given in inputs]
    parent_refs = {ref for given in inputs for _, ref in given.parent_ids}
    lookups = lookups_load(
        organization_id=actor.organization_id, keys=keys, parent_refs=parent_refs, lock=lock
    )
    _check_options(
        options,
        team_ids=lookups.team_ids,
        goals={("initiative", pk) for pk in lookups.initiatives}
        | {("objective", pk) for pk in lookups.objectives},
    )
    plans, mappables = rows_plan(
        actor=actor, inputs=inputs, lookups=lookups, options=options, progress=progress
    )
    return _Judged(inputs=inputs, plans=plans, lookups=lookups, mappables=mappables)


def _check_options(options: ImportOptions, *, team_ids: Collection[int], goals: Collection[Goal]) -> None:
    """The options' ids must be rows of the organization (another organization's read as missing):
    `team_ids` and `goals` are those of the organization (at least those the options name)."""
    errors: dict[str, str] = {}
    if options.team_id is not None and options.team_id not in team_ids:
        errors["team"] = missing_message("team", options.team_id)
    for reference, goal in options.link_map.items():
        if goal not in goals:
            errors["link_map"] = f"{reference!r}: {missing_message(goal[0], goal[1])}"
            break
    if errors:
        raise ValidationError(errors)


def import_options_check(*, organization_id: int, options: ImportOptions) -> None:
    """Refuse (ValidationError) options whose ids are not rows of the organization; called before a
    job is queued, so that the client hears it at once."""
    team_ids: set[int] = set()
    if options.team_id is not None:
        team_ids = set(
            Team.objects.for_org(organization_id).filter(pk=options.team_id).values_list("id", flat=True)
        )
    named = set(options.link_map.values())
    initiatives = Initiative.objects.for_org(organization_id).filter(
        pk__in=[pk for k, pk in named if k == "initiative"]
    )
    objectives = Objective.objects.for_org(organization_id).filter(
        pk__in=[pk for k, pk in named if k == "objective"]
    )
    goals: set[Goal] = (
        {("initiative", pk) for pk in initiatives.values_list("id", flat=True)} if named else set()
    )
    goals |= {("objective", pk) for pk in objectives.values_list("id", flat=True)} if named else set()
    _check_options(options, team_ids=team_ids, goals=goals)


def _inputs(rows: ImportRows, options: ImportOptions) -> list[RowInput]:
    if rows.kind == "json":
        return [json_row_input(row, options=options) for row in rows.rows]
    if rows.kind == "github_json":
        return [github_row_input(row, options=options) for row in rows.rows]
    columns = JiraColumns(rows)
    return [jira_row_input(row, columns=columns, options=options) for row in rows.rows]


def _blocked(plans: Sequence[RowPlan], options: ImportOptions) -> bool:
    return not options.skip_errors and any(plan.action == "error" for plan in plans)


def _changed_since(organization_id: int, plans: Sequence[RowPlan]) -> bool:
    """Lock the tasks the rows name and say whether any changed (or appeared) since they were judged."""
    judged = {
        plan.task.pk: plan.task.version
        for plan in plans
        if plan.action in ("updated", "unchanged") and plan.task is not None
    }
    tasks = Task.objects.for_org(organization_id)
    ids = sorted(judged)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        current = dict(tasks.filter(pk__in=chunk).select_for_update().values_list("pk", "version"))
        if any(current.get(pk) != judged[pk] for pk in chunk):
            return True
    new_keys = sorted(plan.external_key for plan in plans if plan.action == "created")
    keyed = tasks.exclude(external_key="")  # the unique (organization, external_key) index's condition
    return any(
        keyed.filter(external_key__in=new_keys[start : start + CHUNK]).exists()
        for start in range(0, len(new_keys), CHUNK)
    )


def _update(organization_id: int, plans: Sequence[RowPlan]) -> None:
    """Write the changed fields only. A field most rows change to one of a few values (a status, a
    goal, an assignee) takes one UPDATE per value; one with many values (titles) a bulk update."""
    tasks = Task.objects.for_org(organization_id)
    by_field: dict[str, list[Task]] = {}
    for plan in plans:
        for name in plan.changes:
            by_field.setdefault(name, []).append(cast(Task, plan.task))  # an updated row has its task
    for name, changed in by_field.items():
        attname = cast("models.Field[Any, Any]", Task._meta.get_field(name)).attname
        by_value: dict[object, list[int]] = {}
        for task in changed:
            by_value.setdefault(getattr(task, attname), []).append(task.pk)
        if len(by_value) > FEW_VALUES:
            Task.objects.bulk_update(changed, [name], batch_size=BATCH)
            continue
        for value, ids in by_value.items():
            for start in range(0, len(ids), CHUNK):
                tasks.filter(pk__in=ids[start : start + CHUNK]).update(**{attname: value})
    # Every changed task: a new version, and now as its last change (as `task_update` records them).
    now = timezone.now()
    ids = [plan.task.pk for plan in plans if plan.task is not None]
    for start in range(0, len(ids), CHUNK):
        tasks.filter(pk__in=ids[start : start + CHUNK]).update(version=F("version") + 1, updated_at=now)
    for plan in plans:
        if plan.task is not None:
            plan.task.version += 1
            plan.task.updated_at = now


def _write(actor: Membership, plans: Sequence[RowPlan]) -> None:
    """Write the judged rows in bulk (call inside the transaction)."""
    created = [plan.task for plan in plans if plan.action == "created" and plan.task is not None]
    updated = [plan.task for plan in plans if plan.action == "updated" and plan.task is not None]
    if created:
        Task.objects.bulk_create(created, batch_size=BATCH)
    if updated:
        _update(actor.organization_id, [plan for plan in plans if plan.action == "updated"])
    if created or updated:
        organization_mark_scores_stale(organization_id=actor.organization_id)
