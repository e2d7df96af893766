"""Every score and job endpoint × every role: every member reads; leads, executives and admins
ask for a recompute; nobody writes a score or a job (405, whatever the role)."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from execgap.jobs import job_create
from execgap.models import Job, JobKind, Role
from tests.api.scores.conftest import jobs_url, snapshot_of, url

pytestmark = pytest.mark.django_db

READS = ("", "objectives/", "initiatives/", "teams/", "drivers/", "history/")

# Written out by hand: the rule table's `scores` and `job` rows as the API answers them.
RECOMPUTE = {Role.VIEWER: 403, Role.MEMBER: 403, Role.LEAD: 202, Role.EXECUTIVE: 202, Role.ADMIN: 202}
READ = {Role.VIEWER: 200, Role.MEMBER: 200, Role.LEAD: 200, Role.EXECUTIVE: 200, Role.ADMIN: 200}


@pytest.fixture
def a_job(org, member_of) -> Job:
    return job_create(actor=member_of(Role.LEAD, person=False), kind=JobKind.RECOMPUTE)


@pytest.mark.parametrize("role", list(READ))
@pytest.mark.parametrize("path", READS)
def test_every_member_reads_the_scores(org, client_as, role, path):
    # given a snapshot
    snapshot_of(org, date(2027, 1, 1))
    # when a member with this role reads, then
    assert client_as(role).get(url(org, path)).status_code == READ[role]


@pytest.mark.parametrize("role", list(READ))
def test_every_member_reads_the_jobs(org, client_as, a_job, role):
    client = client_as(role)
    assert client.get(jobs_url(org)).status_code == READ[role]
    assert client.get(jobs_url(org, a_job.pk)).status_code == READ[role]


@pytest.mark.parametrize("role", list(RECOMPUTE))
def test_leads_and_up_ask_for_a_recompute(org, client_as, role):
    # when a member with this role asks for a recompute
    response = client_as(role).post(url(org, "recompute/?as_of=2027-01-01"))
    # then leads and up get a queued job; viewers and members are refused, and no job is made
    assert response.status_code == RECOMPUTE[role]
    assert Job.objects.for_org(org).count() == (1 if RECOMPUTE[role] == 202 else 0)
    if response.status_code == 403:
        assert response.json() == {"detail": f"Your role ({role}) may not recompute the scores."}


@pytest.mark.parametrize("role", list(RECOMPUTE))
def test_every_member_may_ask_what_the_recompute_endpoint_allows(org, client_as, role):
    # when a member asks (OPTIONS), then the answer says whether they may POST
    response = client_as(role).options(url(org, "recompute/"))
    assert response.status_code == 200
    assert ("POST" in response.json().get("actions", {})) == (RECOMPUTE[role] == 202)


@pytest.mark.parametrize("role", list(READ))
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", ""), ("put", ""), ("patch", ""), ("delete", ""),
        ("post", "objectives/"), ("delete", "teams/"), ("post", "history/"), ("put", "drivers/"),
        ("get", "recompute/"), ("delete", "recompute/"),
    ],
)  # fmt: skip
def test_an_operation_the_score_endpoints_lack_is_405_for_every_role(org, client_as, role, method, path):
    assert getattr(client_as(role), method)(url(org, path)).status_code == 405


@pytest.mark.parametrize("role", list(READ))
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_jobs_are_read_only_for_every_role(org, client_as, a_job, role, method):
    client = client_as(role)
    assert getattr(client, method)(jobs_url(org)).status_code == 405
    assert getattr(client, method)(jobs_url(org, a_job.pk)).status_code == 405
    assert Job.objects.get(pk=a_job.pk).state == "queued"


@pytest.mark.parametrize("path", [*READS, "recompute/"])
def test_the_anonymous_are_refused(org, path):
    # given a client signed in as nobody
    client = APIClient()
    # when it reads or asks for a recompute, then it is asked for a token
    method = client.post if path == "recompute/" else client.get
    assert method(url(org, path)).status_code == 401
    assert client.get(jobs_url(org)).status_code == 401
    assert not Job.objects.exists()
