"""jobs/ and jobs/{id}/: what a client polls; newest first, filtered by kind and state."""

import pytest

from execgap.jobs import job_create, job_fail, job_start, job_succeed
from execgap.models import JobKind, Role
from tests.api.scores.conftest import jobs_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs(org, member_of):
    lead = member_of(Role.LEAD, person=False)
    queued = job_create(actor=lead, kind=JobKind.RECOMPUTE, parameters={"as_of": "2027-01-01"})
    succeeded = job_create(actor=lead, kind=JobKind.RECOMPUTE)
    job_start(job_id=succeeded.pk, total=1)
    job_succeed(job_id=succeeded.pk, result={"snapshot": 7})
    failed = job_create(actor=lead, kind=JobKind.TASK_IMPORT)
    job_start(job_id=failed.pk, total=100)
    job_fail(job_id=failed.pk, error="Row 3: no such status.")
    return {"queued": queued, "succeeded": succeeded, "failed": failed}


def test_a_job_reads_as_its_kind_state_progress_result_and_times(org, client_as, jobs):
    # when a viewer polls a queued job
    response = client_as(Role.VIEWER).get(jobs_url(org, jobs["queued"].pk))
    # then it is queued, not started, with nothing done
    assert response.status_code == 200
    data = response.json()
    assert data == {
        "id": jobs["queued"].pk, "kind": "recompute", "state": "queued",
        "parameters": {"as_of": "2027-01-01"}, "done": 0, "total": None, "result": None, "error": "",
        "created_at": data["created_at"], "started_at": None, "finished_at": None,
    }  # fmt: skip
    assert data["created_at"] is not None
    # and a finished one says how it ended
    failed = client_as(Role.VIEWER).get(jobs_url(org, jobs["failed"].pk)).json()
    assert (failed["state"], failed["total"], failed["error"]) == ("failed", 100, "Row 3: no such status.")
    assert failed["started_at"] is not None
    assert failed["finished_at"] is not None
    succeeded = client_as(Role.VIEWER).get(jobs_url(org, jobs["succeeded"].pk)).json()
    assert (succeeded["state"], succeeded["result"]) == ("succeeded", {"snapshot": 7})


def test_the_list_is_newest_first(org, client_as, jobs):
    rows = client_as(Role.MEMBER).get(jobs_url(org)).json()["results"]
    assert [row["id"] for row in rows] == [jobs["failed"].pk, jobs["succeeded"].pk, jobs["queued"].pk]


def test_the_list_pages_by_keyset(org, client_as, jobs):
    client = client_as(Role.MEMBER)
    first = client.get(jobs_url(org), {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    assert [row["id"] for row in first["results"] + second["results"]] == [
        jobs["failed"].pk, jobs["succeeded"].pk, jobs["queued"].pk,
    ]  # fmt: skip
    assert second["next"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "failed"}, ["failed"]),
        ({"kind": "recompute"}, ["succeeded", "queued"]),
        ({"kind": "recompute", "state": "queued"}, ["queued"]),
    ],
)
def test_the_list_filters_by_kind_and_state(org, client_as, jobs, query, expected):
    rows = client_as(Role.VIEWER).get(jobs_url(org), query).json()["results"]
    assert [row["id"] for row in rows] == [jobs[name].pk for name in expected]


def test_an_unknown_state_is_400(org, client_as, jobs):
    response = client_as(Role.VIEWER).get(jobs_url(org), {"state": "exploded"})
    assert response.status_code == 400
    assert list(response.json()) == ["state"]


def test_an_unknown_job_is_404(org, client_as, jobs):
    assert client_as(Role.VIEWER).get(jobs_url(org, 10**9)).status_code == 404
