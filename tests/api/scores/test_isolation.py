"""Two organizations: each reads only its own snapshots and jobs; the other's are 404, never shown."""

from datetime import date
from decimal import Decimal

import pytest

from execgap.jobs import job_create
from execgap.models import JobKind, Role
from tests.api.scores.conftest import jobs_url, snapshot_of, url
from tests.factories import ObjectiveFactory, TaskFactory, TeamFactory

pytestmark = pytest.mark.django_db

D = date(2027, 1, 1)


@pytest.fixture
def two_organizations(org, other_org, member_of):
    """acme: everything aligned (alignment 100); globex: everything orphan (alignment 0)."""
    root = ObjectiveFactory(organization=org, title="acme root")
    TeamFactory(organization=org, name="acme team")
    TaskFactory(organization=org, objective=root, effort_hours=Decimal(5))
    ObjectiveFactory(organization=other_org, title="globex root")
    TeamFactory(organization=other_org, name="globex team")
    TaskFactory(organization=other_org, effort_hours=Decimal(5))
    return {
        "acme": snapshot_of(org, D),
        "globex": snapshot_of(other_org, D),
        "acme_job": job_create(actor=member_of(Role.LEAD, org, person=False), kind=JobKind.RECOMPUTE),
        "globex_job": job_create(actor=member_of(Role.LEAD, other_org, person=False), kind=JobKind.RECOMPUTE),
    }


def test_each_organization_reads_its_own_scores(org, other_org, client_as, two_organizations):
    acme, globex = client_as(Role.VIEWER, org), client_as(Role.VIEWER, other_org)
    assert acme.get(url(org)).json()["alignment"]["score"] == 100
    assert globex.get(url(other_org)).json()["alignment"]["score"] == 0
    assert acme.get(url(org)).json()["snapshot"] == two_organizations["acme"].pk


@pytest.mark.parametrize(("path", "key"), [("objectives/", "title"), ("teams/", "name")])
def test_node_lists_hold_only_the_organizations_rows(org, client_as, two_organizations, path, key):
    rows = client_as(Role.VIEWER, org).get(url(org, path)).json()["results"]
    assert [row[key] for row in rows] == [f"acme {'root' if key == 'title' else 'team'}"]


@pytest.mark.parametrize("path", ["", "objectives/", "initiatives/", "teams/", "drivers/"])
def test_another_organizations_snapshot_is_404(org, other_org, client_as, two_organizations, path):
    # given globex has read its scores (so what they say is cached)
    globex = two_organizations["globex"]
    assert client_as(Role.VIEWER, other_org).get(url(other_org), {"snapshot": globex.pk}).status_code == 200
    # when acme names globex's snapshot
    response = client_as(Role.VIEWER, org).get(url(org, path), {"snapshot": two_organizations["globex"].pk})
    # then it is not found, as an unknown id is
    assert response.status_code == 404
    assert response.json() == {"detail": "No such snapshot."}
    unknown = client_as(Role.VIEWER, org).get(url(org, path), {"snapshot": 10**9})
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "No such snapshot."})


def test_history_holds_only_the_organizations_snapshots(org, client_as, two_organizations):
    rows = client_as(Role.VIEWER, org).get(url(org, "history/")).json()
    assert [row["snapshot"] for row in rows] == [two_organizations["acme"].pk]


def test_another_organizations_job_is_404_and_absent_from_the_list(org, client_as, two_organizations):
    client = client_as(Role.ADMIN, org)
    response = client.get(jobs_url(org, two_organizations["globex_job"].pk))
    assert response.status_code == 404
    listed = [job["id"] for job in client.get(jobs_url(org)).json()["results"]]
    assert listed == [two_organizations["acme_job"].pk]


@pytest.mark.parametrize("path", ["", "history/", "recompute/"])
def test_a_non_member_gets_404_for_the_organization(org, other_org, client_as, two_organizations, path):
    # given an admin of globex only
    client = client_as(Role.ADMIN, other_org)
    # when they read or recompute acme's scores, or read its job, then acme does not exist for them
    method = client.post if path == "recompute/" else client.get
    assert method(url(org, path)).status_code == 404
    assert client.get(jobs_url(org, two_organizations["acme_job"].pk)).status_code == 404
    assert client.get(jobs_url(org)).status_code == 404


def test_signals_come_from_the_organizations_own_snapshot(org, other_org, client_as, two_organizations):
    signals = f"/api/v1/orgs/{org.slug}/signals/"
    # acme reads its own snapshot's signals; naming globex's snapshot is not found
    mine = client_as(Role.VIEWER, org).get(signals)
    assert (mine.status_code, mine.json()["snapshot"]) == (200, two_organizations["acme"].pk)
    theirs = client_as(Role.VIEWER, org).get(signals, {"snapshot": two_organizations["globex"].pk})
    assert (theirs.status_code, theirs.json()) == (404, {"detail": "No such snapshot."})
