"""The plan's nodes and check-in facts a worker keeps between recomputes (`scoring.nodes_kept`): every
write that changes what a recompute reads of them marks the organization in its own transaction
(`scoring.node_marks`), whatever makes it; a recompute reads them again exactly when the marks it sees
differ from the ones it saw; and what it uses always equals a read from scratch.

The marks and the keeping need PostgreSQL (a sequence's ids, REPEATABLE READ): on SQLite only the
rules that hold everywhere run (a read inside a caller's transaction keeps nothing; the cycle
collector's pause).
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from execgap.models import Organization
from feedback.models import CheckIn
from objectives.models import Initiative, KeyResult, Objective, Task
from resources.models import Person, Team
from scoring import fetch, nodes_kept, task_sums_kept
from scoring.collector import cycle_collector_paused
from scoring.drift_kept import kept_of_deleted_organizations_remove
from scoring.fetch import (
    InputSource,
    consistent_read,
    parameters_at,
    plan_nodes_fetch,
    scoring_inputs_fetch,
)
from scoring.models import InitiativeScore, NodeMark, ObjectiveScore
from scoring.nodes_kept import KEPT_VALUES, kept_or_read, kept_per_piece, node_marks_fold, node_marks_seen
from scoring.services import scores_recompute
from tests.factories import (
    CheckInFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    OrganizationFactory,
    PersonFactory,
    TaskFactory,
    TeamFactory,
)

D = date(2027, 1, 1)

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the node marks are PostgreSQL's triggers"
)


@pytest.fixture(autouse=True)
def _nothing_kept():
    """Each test starts with a worker that keeps nothing, and leaves nothing kept."""
    nodes_kept._kept.clear()
    yield
    nodes_kept._kept.clear()


@dataclass
class Plan:
    org: Organization
    team: Team
    person: Person
    objective: Objective
    key_result: KeyResult
    initiative: Initiative
    check_in: CheckIn


@pytest.fixture
def plan(db):
    org = OrganizationFactory()
    team = TeamFactory(organization=org, name="Platform")
    person = PersonFactory(organization=org, team=team, name="Ann", weekly_capacity_hours=Decimal(40))
    objective = ObjectiveFactory(organization=org, title="Grow")
    key_result = KeyResultFactory(organization=org, objective=objective)
    initiative = InitiativeFactory(organization=org, objective=objective, title="Launch")
    check_in = CheckInFactory(organization=org, key_result=key_result, author=person, date=date(2026, 12, 20))
    return Plan(org, team, person, objective, key_result, initiative, check_in)


def marks(org: Organization, kind: str = NodeMark.Kind.NODES) -> int:
    return NodeMark.objects.for_org(org).filter(kind=kind).count()


def node_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The organizations whose nodes `scoring_inputs_fetch` reads from the database, from now on."""
    reads: list[int] = []
    read = fetch.plan_nodes_fetch

    def counted(*, organization_id: int) -> fetch.PlanNodes:
        reads.append(organization_id)
        return read(organization_id=organization_id)

    monkeypatch.setattr(fetch, "plan_nodes_fetch", counted)
    return reads


# The marks: what marks, and what does not.

# Per watched model: an instance of the plan, a read column's new value, and a column no read uses.
WRITES = {
    "objective": ("objective", {"title": "Grow faster"}, {"description": "Why"}),
    "key_result": ("key_result", {"current_value": Decimal(7)}, {"unit": "points"}),
    "initiative": ("initiative", {"estimate_hours": Decimal(80)}, {"description": "How"}),
    "team": ("team", {"name": "Core"}, {"lead": None}),
    "person": ("person", {"active": False}, {"email": "ann@example.com"}),
}


@needs_postgresql
@pytest.mark.parametrize("name", WRITES)
def test_a_node_column_a_recompute_reads_marks_when_written_and_another_does_not(plan, name):
    attribute, read_column, other_column = WRITES[name]
    instance = getattr(plan, attribute)
    model = type(instance)
    before = marks(plan.org)
    # when a column no recompute reads is updated, then nothing is marked
    model.objects.filter(pk=instance.pk).update(**other_column)
    assert marks(plan.org) == before
    # when a column a recompute reads is updated (behind the services' back), then the organization is marked
    model.objects.filter(pk=instance.pk).update(**read_column)
    assert marks(plan.org) == before + 1
    # and the check-ins are not
    assert marks(plan.org, NodeMark.Kind.CHECK_INS) == 1


@needs_postgresql
def test_inserting_and_deleting_nodes_mark_once_per_statement(plan):
    before = marks(plan.org)
    # when two people are inserted in one statement, then the organization is marked once
    Person.objects.bulk_create([Person(organization=plan.org, name=name) for name in ("Bo", "Cy")])
    assert marks(plan.org) == before + 1
    # when they are deleted, once more
    Person.objects.for_org(plan.org).filter(name__in=["Bo", "Cy"]).delete()
    assert marks(plan.org) == before + 2


@needs_postgresql
def test_check_ins_mark_their_own_kind_and_tasks_mark_nothing(plan):
    nodes, check_ins = marks(plan.org), marks(plan.org, NodeMark.Kind.CHECK_INS)
    # when a task is made and a check-in's note is edited, then nothing is marked
    TaskFactory(organization=plan.org, initiative=plan.initiative)
    CheckIn.objects.filter(pk=plan.check_in.pk).update(note="Steady")
    assert (marks(plan.org), marks(plan.org, NodeMark.Kind.CHECK_INS)) == (nodes, check_ins)
    # when a check-in's date moves and another is made, then the check-ins are marked twice, the nodes not
    CheckIn.objects.filter(pk=plan.check_in.pk).update(date=date(2026, 12, 21))
    CheckInFactory(organization=plan.org, initiative=plan.initiative, date=D)
    assert marks(plan.org, NodeMark.Kind.CHECK_INS) == check_ins + 2
    assert marks(plan.org) == nodes


@needs_postgresql
def test_a_fold_leaves_one_new_mark_and_a_single_mark_alone(plan):
    seen = set(
        NodeMark.objects.for_org(plan.org).filter(kind=NodeMark.Kind.NODES).values_list("id", flat=True)
    )
    assert len(seen) > 1  # every node of the plan was inserted by its own statement
    # when the marks are folded
    node_marks_fold(organization_id=plan.org.pk)
    # then one mark of each kind is left, none of them one seen before
    folded = set(NodeMark.objects.for_org(plan.org).values_list("id", flat=True))
    assert marks(plan.org) == 1
    assert marks(plan.org, NodeMark.Kind.CHECK_INS) == 1
    assert not folded & seen
    # when they are folded again, then they are left as they are
    node_marks_fold(organization_id=plan.org.pk)
    assert set(NodeMark.objects.for_org(plan.org).values_list("id", flat=True)) == folded


@needs_postgresql
def test_the_marks_of_deleted_organizations_are_dropped(db):
    # given an organization with a team and a person, deleted
    org = OrganizationFactory()
    PersonFactory(organization=org, team=TeamFactory(organization=org))
    org_id = org.pk
    org.delete()
    # when the deleted organizations' rows are removed, then none of its marks are left
    assert NodeMark.objects.filter(organization_id=org_id).exists()
    kept_of_deleted_organizations_remove()
    assert not NodeMark.objects.filter(organization_id=org_id).exists()


# Keeping: when the kept nodes are used, and that they are always the ones a read would give.


def test_a_read_inside_a_callers_transaction_keeps_nothing(plan):
    # given a caller's transaction, when the scoring inputs are read inside it
    with transaction.atomic(), consistent_read():
        # then the read is not one snapshot of its own: the marks are not even looked at
        assert node_marks_seen(organization_id=plan.org.pk, one_snapshot=fetch._one_snapshot.get()) is None
        scoring_inputs_fetch(
            organization_id=plan.org.pk, parameters=parameters_at(organization=plan.org, as_of=D)
        )
    assert not nodes_kept._kept


def test_a_worker_keeps_the_values_of_the_organizations_it_computed_last():
    reads: list[int] = []

    def read(organization_id: int) -> str:
        reads.append(organization_id)
        return f"nodes of {organization_id}"

    def kept(organization_id: int) -> str:
        return kept_or_read(
            organization_id=organization_id,
            kind="nodes",
            key=frozenset({1}),
            read=lambda: read(organization_id),
        )

    # given one more organization computed than a worker keeps, each once
    for organization_id in range(KEPT_VALUES + 1):
        assert kept(organization_id) == f"nodes of {organization_id}"
    # when the last and then the first are computed again, then the last is kept and the first read again
    assert kept(KEPT_VALUES) == f"nodes of {KEPT_VALUES}"
    assert kept(0) == "nodes of 0"
    assert reads == [*range(KEPT_VALUES + 1), 0]
    # and a key of other marks reads again
    assert kept_or_read(organization_id=0, kind="nodes", key=frozenset({2}), read=lambda: "new") == "new"


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_task_edit_reads_no_node_again_and_a_node_edit_reads_them_once(plan, monkeypatch):
    reads = node_reads(monkeypatch)
    # given the scores recomputed once
    scores_recompute(organization_id=plan.org.pk, as_of=D)
    assert reads == [plan.org.pk]
    # when a task is made and the scores recomputed, then the nodes are not read again
    TaskFactory(organization=plan.org, initiative=plan.initiative)
    scores_recompute(organization_id=plan.org.pk, as_of=D)
    assert reads == [plan.org.pk]
    # when an initiative is renamed behind the services' back, then the next recompute reads the nodes
    # once and shows the new title, and the one after it reads nothing
    Initiative.objects.filter(pk=plan.initiative.pk).update(title="Launch v2")
    snapshot = scores_recompute(organization_id=plan.org.pk, as_of=D)
    assert InitiativeScore.objects.get(snapshot=snapshot, initiative=plan.initiative).title == "Launch v2"
    scores_recompute(organization_id=plan.org.pk, as_of=D)
    assert reads == [plan.org.pk, plan.org.pk]


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_check_in_counts_at_the_next_recompute_without_reading_the_nodes(plan, monkeypatch):
    reads = node_reads(monkeypatch)
    scores_recompute(organization_id=plan.org.pk, as_of=D)
    # when the objective is checked in on D (directly, not through its key result), then the next
    # recompute sees its latest check-in on D, with the nodes kept
    CheckInFactory(organization=plan.org, objective=plan.objective, date=D)
    with consistent_read():
        parameters = parameters_at(organization=plan.org, as_of=D)
        inputs = scoring_inputs_fetch(organization_id=plan.org.pk, parameters=parameters)
    assert inputs.check_ins.objective_last[plan.objective.pk] == D
    assert inputs.check_ins.author_last[plan.person.pk] == date(2026, 12, 20)
    assert reads == [plan.org.pk]


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_change_committed_after_a_later_one_is_still_read(plan, monkeypatch):
    """A mark's id is handed out when the write runs, not when it commits: a write that commits late
    has a smaller id than one committed before it. The kept nodes must still be read again."""
    reads = node_reads(monkeypatch)
    started, release = threading.Event(), threading.Event()

    def slow_rename() -> None:
        try:
            with transaction.atomic():
                Person.objects.filter(pk=plan.person.pk).update(name="Ann Lee")  # its mark's id: n
                started.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    # given the scores recomputed at D (the tally window rolled to D: a roll waits for writes in flight)
    scores_recompute(organization_id=plan.org.pk, as_of=D)
    # and a person renamed in a transaction that has not committed yet
    writer = threading.Thread(target=slow_rename)
    writer.start()
    assert started.wait(timeout=30)
    # and an objective renamed and committed after it (its mark's id: more than n), then the scores
    # recomputed: the nodes read again and kept, without the rename
    Objective.objects.filter(pk=plan.objective.pk).update(title="Grow more")
    snapshot = scores_recompute(organization_id=plan.org.pk, as_of=D)
    assert ObjectiveScore.objects.get(snapshot=snapshot, objective=plan.objective).title == "Grow more"
    assert InitiativeScore.objects.get(snapshot=snapshot).initiative_id == plan.initiative.pk
    assert len(reads) == 2
    # when the rename commits and the inputs are read again
    release.set()
    writer.join(timeout=30)
    with consistent_read():
        inputs = scoring_inputs_fetch(
            organization_id=plan.org.pk, parameters=parameters_at(organization=plan.org, as_of=D)
        )
    # then the nodes are read again, with the rename
    assert [person.name for person in inputs.people] == ["Ann Lee"]
    assert len(reads) == 3


def test_a_piece_is_derived_again_only_when_its_bytes_or_the_key_differ():
    derived: list[bytes] = []

    def derive(piece: bytes) -> str:
        derived.append(piece)
        return piece.decode()

    def kept(key: object, *pieces: bytes) -> list[str]:
        return kept_per_piece(organization_id=1, kind="task_sums", key=key, pieces=pieces, derive=derive)

    # given three pieces derived under a key
    assert kept("k", b"a", b"b", b"c") == ["a", "b", "c"]
    # when the second one changes, then only it is derived again
    assert kept("k", b"a", b"B", b"c") == ["a", "B", "c"]
    assert derived == [b"a", b"b", b"c", b"B"]
    # when the key changes, then every piece is derived again; without a key, each time
    assert kept("other", b"a", b"B", b"c") == ["a", "B", "c"]
    assert kept(None, b"a") == ["a"]
    assert derived == [b"a", b"b", b"c", b"B", b"a", b"B", b"c", b"a"]


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_task_edit_derives_again_only_the_piece_of_its_link(plan, monkeypatch):
    # given tasks on several links, their sums kept by a recompute (every piece derived once)
    objectives = [ObjectiveFactory(organization=plan.org) for _ in range(6)]
    for objective in objectives:
        TaskFactory(organization=plan.org, objective=objective, effort_hours=Decimal(2))
    scores_recompute(organization_id=plan.org.pk, as_of=D)
    derived: list[int] = []
    derive = task_sums_kept.piece_sums

    def counted(kept, **kwargs):
        derived.append(len(kept.links))
        return derive(kept, **kwargs)

    monkeypatch.setattr(task_sums_kept, "piece_sums", counted)
    # when one task is edited and the scores recomputed
    Task.objects.filter(objective=objectives[3]).update(effort_hours=Decimal(5))
    snapshot = scores_recompute(organization_id=plan.org.pk, as_of=D)
    # then one piece is derived again, and the snapshot shows the new effort
    assert len(derived) == 1
    assert ObjectiveScore.objects.get(snapshot=snapshot, objective=objectives[3]).total_effort == 5


# Random writes through every path, against a read from scratch.

WRITE_KINDS = st.sampled_from(
    [
        "rename_person",
        "capacity",
        "deactivate",
        "new_person",
        "delete_person",
        "initiative_status",
        "objective_weight",
        "key_result_value",
        "team_parent",
        "task",
        "task_done",
        "check_in",
        "fold",
        "recompute",
    ]
)


def _write(org: Organization, kind: str, number: int) -> None:
    """One write of `kind`; `number` picks the row and the value."""
    people = list(Person.objects.for_org(org).order_by("id"))
    if kind == "rename_person" and people:
        Person.objects.filter(pk=people[number % len(people)].pk).update(name=f"Person {number}")
    elif kind == "capacity" and people:
        Person.objects.filter(pk=people[number % len(people)].pk).update(
            weekly_capacity_hours=Decimal(number % 41)
        )
    elif kind == "deactivate" and people:
        person = people[number % len(people)]
        Person.objects.filter(pk=person.pk).update(active=not person.active)
    elif kind == "new_person":
        Person.objects.bulk_create([Person(organization=org, name=f"New {number}")])
    elif kind == "delete_person" and len(people) > 1:
        with connection.cursor() as cursor:  # raw SQL: no service, no signal
            cursor.execute("DELETE FROM resources_person WHERE id = %s", [people[number % len(people)].pk])
    elif kind == "initiative_status":
        Initiative.objects.for_org(org).update(status="done" if number % 2 else "active")
    elif kind == "objective_weight":
        Objective.objects.for_org(org).update(priority_weight=Decimal(number % 5 + 1))
    elif kind == "key_result_value":
        KeyResult.objects.for_org(org).update(current_value=Decimal(number))
    elif kind == "team_parent":
        teams = list(Team.objects.for_org(org).order_by("id"))
        Team.objects.filter(pk=teams[-1].pk).update(parent=teams[0] if number % 2 else None)
    elif kind == "task":
        TaskFactory(organization=org, initiative=Initiative.objects.for_org(org).first())
    elif kind == "task_done":
        Task.objects.for_org(org).filter(pk__in=Task.objects.for_org(org).order_by("-pk")[:1]).update(
            status="done", completed_at=datetime(2026, 12, 30, tzinfo=UTC), effort_hours=Decimal(number % 9)
        )
    elif kind == "recompute":  # the kept task sums refreshed, the marks folded
        scores_recompute(organization_id=org.pk, as_of=D)
    elif kind == "check_in":
        CheckInFactory(organization=org, objective=Objective.objects.for_org(org).first(), date=D)
    elif kind == "fold":
        node_marks_fold(organization_id=org.pk)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(WRITE_KINDS, st.integers(min_value=0, max_value=40)), min_size=1, max_size=12))
def test_the_nodes_a_recompute_uses_always_equal_a_read_from_scratch(writes):
    # given an organization, its nodes kept by a first read
    org = OrganizationFactory()
    TeamFactory(organization=org), TeamFactory(organization=org)
    PersonFactory(organization=org)
    objective = ObjectiveFactory(organization=org)
    KeyResultFactory(organization=org, objective=objective)
    InitiativeFactory(organization=org, objective=objective)
    parameters = parameters_at(organization=org, as_of=D)
    with consistent_read():
        scoring_inputs_fetch(organization_id=org.pk, parameters=parameters)
    for kind, number in writes:
        # when a write of any kind commits, through any path
        _write(org, kind, number)
        # then the inputs read (kept or not) hold the nodes, check-ins and task sums of a read from scratch
        with consistent_read():
            inputs = scoring_inputs_fetch(organization_id=org.pk, parameters=parameters)
            fresh = plan_nodes_fetch(organization_id=org.pk)
            reference = scoring_inputs_fetch(
                organization_id=org.pk, parameters=parameters, source=InputSource.ROWS
            )
        assert (inputs.objectives, inputs.key_results, inputs.initiatives, inputs.teams, inputs.people) == (
            fresh.objectives,
            fresh.key_results,
            fresh.initiatives,
            fresh.teams,
            fresh.people,
        )
        assert inputs.check_ins == reference.check_ins
        assert (inputs.task_groups, inputs.team_efforts) == (reference.task_groups, reference.team_efforts)


# The cycle collector.


def test_a_recompute_pauses_the_cycle_collector_and_resumes_it_even_when_it_fails(plan, monkeypatch):
    seen: list[bool] = []

    def failing(inputs):
        seen.append(gc.isenabled())
        raise RuntimeError("calculation failed")

    monkeypatch.setattr("scoring.services.scores_calculate", failing)
    assert gc.isenabled()
    # when a recompute fails in its calculation
    with pytest.raises(RuntimeError, match="calculation failed"):
        scores_recompute(organization_id=plan.org.pk, as_of=D)
    # then the collector was paused while it ran, and runs again after
    assert seen == [False]
    assert gc.isenabled()


def test_a_pause_inside_a_pause_leaves_the_collector_paused():
    with cycle_collector_paused():
        with cycle_collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
