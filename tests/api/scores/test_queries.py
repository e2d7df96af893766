"""The score endpoints read snapshots: the same few queries for 10 tasks as for 400."""

from datetime import date
from decimal import Decimal

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from execgap.models import Role
from scoring.api import views as score_views
from tests.api.scores.conftest import jobs_url, snapshot_of, url
from tests.factories import InitiativeFactory, ObjectiveFactory, TaskFactory, TeamFactory

pytestmark = pytest.mark.django_db

# The membership, then: the latest snapshot's id with the snapshots it compares with, and the snapshot
# with the titles of its active roots (scores/, read once: see the cache below); the snapshot and the
# page of rows (node lists); the snapshot's drivers; the history (one query each).
EXPECTED = {
    "": 3,
    "objectives/": 3,
    "initiatives/": 3,
    "teams/": 3,
    "drivers/": 2,
    "history/": 2,
}


def grow(organization, tasks: int) -> None:
    """A plan of 3 roots, 2 teams and 2 initiatives, and `tasks` tasks spread over it."""
    teams = [TeamFactory(organization=organization) for _ in range(2)]
    roots = [ObjectiveFactory(organization=organization) for _ in range(3)]
    initiatives = [InitiativeFactory(organization=organization, objective=root) for root in roots[:2]]
    for number in range(tasks):
        TaskFactory(
            organization=organization,
            team=teams[number % 2],
            effort_hours=Decimal(number % 7 + 1),
            **({"initiative": initiatives[number % 2]} if number % 3 else {"objective": roots[2]}),
        )


@pytest.mark.parametrize("tasks", [10, 400])
@pytest.mark.parametrize("path", list(EXPECTED))
def test_a_read_costs_the_same_few_queries_whatever_the_number_of_tasks(
    org, client_as, django_assert_num_queries, tasks, path
):
    # given an organization of `tasks` tasks, scored twice (history has two dates)
    grow(org, tasks)
    snapshot_of(org, date(2026, 12, 31))
    snapshot_of(org, date(2027, 1, 1))
    client = client_as(Role.VIEWER)
    # when an endpoint is read, then it costs a fixed number of queries
    with django_assert_num_queries(EXPECTED[path]):
        response = client.get(url(org, path))
    assert response.status_code == 200


@pytest.mark.parametrize("page_size", [5, 50])
def test_a_page_of_rows_costs_the_same_whatever_its_size(
    org, client_as, django_assert_num_queries, page_size
):
    # given 60 objectives scored
    for _ in range(60):
        ObjectiveFactory(organization=org)
    snapshot_of(org, date(2027, 1, 1))
    client = client_as(Role.VIEWER)
    with django_assert_num_queries(3):
        response = client.get(url(org, "objectives/"), {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


def test_a_read_of_a_named_snapshot_costs_the_same(org, client_as, django_assert_num_queries):
    grow(org, 10)
    snapshot = snapshot_of(org, date(2027, 1, 1))
    client = client_as(Role.VIEWER)
    # the membership, the snapshot with its roots, the snapshots it compares with
    with django_assert_num_queries(3):
        assert client.get(url(org), {"snapshot": snapshot.pk}).status_code == 200
    with django_assert_num_queries(2):  # the membership, the compared: the rest was cached
        assert client.get(url(org), {"snapshot": snapshot.pk}).json()["snapshot"] == snapshot.pk


@pytest.mark.parametrize("tasks", [10, 400])
def test_once_read_a_snapshots_scores_cost_one_query_more_than_the_membership(
    org, client_as, django_assert_num_queries, tasks
):
    # given scores read once
    grow(org, tasks)
    snapshot_of(org, date(2027, 1, 1))
    client = client_as(Role.VIEWER)
    first = client.get(url(org)).json()
    # when they are read again, then only the latest snapshot's id (with those it compares with) is asked
    # for, and the answer is the same
    with django_assert_num_queries(2):
        assert client.get(url(org)).json() == first


def test_without_an_active_root_the_snapshot_is_read_on_its_own(org, client_as, django_assert_num_queries):
    # given a snapshot of an organization whose only objective is a draft
    ObjectiveFactory(organization=org, status="draft")
    snapshot_of(org, date(2027, 1, 1))
    client = client_as(Role.VIEWER)
    # then: the membership, the latest id, the (empty) roots, the snapshot
    with django_assert_num_queries(4):
        assert client.get(url(org)).json()["computed_at"] is not None


@pytest.mark.parametrize("jobs", [1, 30])
def test_jobs_cost_two_queries(org, member_of, client_as, django_assert_num_queries, jobs):
    from execgap.jobs import job_create
    from execgap.models import JobKind

    lead = member_of(Role.LEAD, person=False)
    created = [job_create(actor=lead, kind=JobKind.RECOMPUTE) for _ in range(jobs)]
    client = client_as(Role.VIEWER)
    with django_assert_num_queries(2):
        assert client.get(jobs_url(org)).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(jobs_url(org, created[0].pk)).status_code == 200


def test_asking_for_a_recompute_costs_two_queries_before_the_job_runs(
    org, client_as, django_assert_num_queries
):
    client = client_as(Role.LEAD)
    # the membership, the job's row (the task is enqueued after commit)
    with django_assert_num_queries(2):
        assert client.post(url(org, "recompute/?as_of=2027-01-01")).status_code == 202


def test_with_the_cache_unreachable_the_scores_are_read_from_the_database(org, client_as, monkeypatch):
    # given a snapshot, and a shared cache that refuses every call
    grow(org, 10)
    snapshot = snapshot_of(org, date(2027, 1, 1))

    class Unreachable:
        def get(self, *args, **kwargs):
            raise RedisConnectionError("Connection refused")

        set = get

    monkeypatch.setattr(score_views, "cache", Unreachable())
    # when the scores are read, then they are answered all the same
    response = client_as(Role.VIEWER).get(url(org))
    assert response.status_code == 200
    assert response.json()["snapshot"] == snapshot.pk
