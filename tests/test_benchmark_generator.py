"""The benchmark's generator makes a whole, consistent organization (tiny here; `bin/bench` makes big ones).

It writes through PostgreSQL's COPY where it can and through plain INSERTs elsewhere; both paths
must give an organization whose rows pass the database's constraints and the models' own validation.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection, models
from django.db.models import Max

from execgap.models import Organization
from execgap.tenancy import OrgOwnedModel
from objectives.models import Objective, Task
from resources.models import Allocation
from scoring.benchmark.bulk import links_outside
from scoring.benchmark.loader import MODELS, organization_generate
from scoring.benchmark.shape import Shape
from tests.factories import InitiativeFactory, OrganizationFactory, TaskFactory

TASKS = 400
VALIDATED_TASKS = 100
D = date(2027, 1, 1)

write_paths = [
    pytest.param(False, id="insert"),
    pytest.param(True, id="copy"),
]


def org_links(model: type[models.Model]) -> list[models.ForeignKey]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey)
        and isinstance(f.related_model, type)
        and issubclass(f.related_model, OrgOwnedModel)
    ]


def test_the_cascade_is_in_proportion_to_the_tasks() -> None:
    # given / when the three benchmark sizes
    top, middle, small = Shape.for_tasks(1_000_000), Shape.for_tasks(100_000), Shape.for_tasks(10_000)
    # then the largest has the cascade of the brief, and the others a tenth and a hundredth of it
    assert (top.objectives, top.roots, top.initiatives) == (1_000, 10, 20_000)
    assert (top.people, top.teams, top.allocations) == (50_000, 200, 200_000)
    assert (middle.objectives, middle.initiatives, middle.people) == (100, 2_000, 5_000)
    assert middle.allocations == 20_000
    assert (small.objectives, small.initiatives, small.people, small.allocations) == (10, 200, 500, 2_000)
    assert small.roots >= 2  # priority fit compares at least two roots


@pytest.mark.django_db
@pytest.mark.parametrize("use_copy", write_paths)
def test_a_tiny_generated_organization_is_whole_and_consistent(use_copy: bool) -> None:
    if use_copy and connection.vendor != "postgresql":
        pytest.skip("COPY ... FROM STDIN is PostgreSQL's; this path runs under `make test` (PostgreSQL)")
    # given another organization that already has rows in the same tables
    other = OrganizationFactory()
    TaskFactory(organization=other, initiative=InitiativeFactory(organization=other))
    # when an organization of 400 tasks is generated around D (COPY also builds the indexes afterwards)
    generated = organization_generate(
        tasks=TASKS, as_of=D, use_copy=use_copy, rebuild_indexes=use_copy, seed=7
    )
    # then each table got the rows its shape asks for, all in the new organization
    organization = Organization.objects.get(pk=generated.organization_id)
    shape = Shape.for_tasks(TASKS)
    expected = {
        "team": shape.teams, "person": shape.people, "objective": shape.objectives,
        "key_result": shape.key_results, "initiative": shape.initiatives, "task": shape.tasks,
        "allocation": shape.allocations, "check_in": shape.check_ins, "feedback": shape.feedback,
    }  # fmt: skip
    assert generated.rows == expected
    for table, model in MODELS.items():
        assert model.objects.for_org(organization).count() == expected[table], table  # type: ignore[attr-defined]
    # and every link points at a row of the same organization
    for model in MODELS.values():
        for link in org_links(model):
            strays = (
                model.objects.for_org(organization)  # type: ignore[attr-defined]
                .filter(**{f"{link.name}__isnull": False})
                .exclude(**{f"{link.name}__organization_id": organization.pk})
            )
            assert not strays.exists(), f"{model.__name__}.{link.name} leaves the organization"
    # and the database's constraints hold (foreign keys are deferred to commit: check them now)
    connection.check_constraints()
    # and the rows pass the models' own validation (dates in order, no cycles, unique keys, ...): every
    # row but the tasks, of which a hundred (the database checked all of them as they were written)
    for model in MODELS.values():
        rows = model.objects.for_org(organization).order_by("pk")  # type: ignore[attr-defined]
        for row in rows[:VALIDATED_TASKS] if model is Task else rows:
            row.full_clean()
    # and the objectives form a forest with the shape's roots
    objectives = Objective.objects.for_org(organization)
    assert objectives.filter(parent__isnull=True).count() == shape.roots
    # and the sequences moved past the given ids: the next row made the usual way gets a fresh one
    last = Task.objects.aggregate(last=Max("pk"))["last"]
    assert TaskFactory(organization=organization).pk > last


@pytest.mark.django_db
def test_the_link_check_finds_a_link_into_another_organization() -> None:
    # given a generated organization whose links all stay inside it
    generated = organization_generate(tasks=50, as_of=D)
    assert links_outside(list(MODELS.values()), organization_id=generated.organization_id) == {}
    # when one of its tasks is pointed at another organization's initiative, behind the services' back
    foreign = InitiativeFactory(organization=OrganizationFactory())
    Task.objects.for_org(generated.organization_id).filter(
        pk=Task.objects.for_org(generated.organization_id).order_by("pk").values("pk")[:1]
    ).update(initiative=foreign, objective=None)
    # then the check names that link
    assert links_outside(list(MODELS.values()), organization_id=generated.organization_id) == {
        "Task.initiative": 1
    }


@pytest.mark.django_db
def test_the_generated_work_is_a_realistic_mix() -> None:
    # given / when a tiny organization
    generated = organization_generate(tasks=TASKS, as_of=D, seed=7)
    tasks = Task.objects.for_org(generated.organization_id)
    # then there are tasks of every status, done ones within and before the 28-day window
    assert set(Counter(tasks.values_list("status", flat=True))) == {
        "todo", "in_progress", "blocked", "done", "cancelled"
    }  # fmt: skip
    window_start = D - timedelta(days=27)
    done = tasks.filter(status="done")
    assert done.filter(completed_at__date__gte=window_start).exists()
    assert done.filter(completed_at__date__lt=window_start).exists()
    # and tasks in an initiative, straight on an objective, orphan, and without an estimate
    assert tasks.filter(initiative__isnull=False).exists()
    assert tasks.filter(objective__isnull=False).exists()
    assert tasks.filter(initiative__isnull=True, objective__isnull=True).exists()
    assert tasks.filter(effort_hours__isnull=True).exists()
    # and allocations both open-ended and dated
    allocations = Allocation.objects.for_org(generated.organization_id)
    assert allocations.filter(end_date__isnull=True).exists()
    assert allocations.filter(end_date__isnull=False).exists()


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_organization() -> None:
    # given two organizations generated with one seed
    first = organization_generate(tasks=50, as_of=D, seed=3, slug="first")
    second = organization_generate(tasks=50, as_of=D, seed=3, slug="second")

    # when their tasks are read without ids
    def work(organization_id: int) -> list[tuple[object, ...]]:
        return list(
            Task.objects.for_org(organization_id)
            .order_by("pk")
            .values_list("title", "status", "effort_hours", "completed_at", "due_date")
        )

    # then they are the same
    assert work(first.organization_id) == work(second.organization_id)
