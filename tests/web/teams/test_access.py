"""Every team page: an anonymous visitor is sent to log in; a member of another organization finds
nothing there (404), whatever their role."""

from __future__ import annotations

import pytest

from execgap.models import Job, JobKind, Role
from tests.factories import AllocationFactory
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db

PAGES = (
    "teams", "team_workspace", "task_import", "task_import_job", "allocation_create", "allocation_edit",
    "allocation_delete",
)  # fmt: skip


@pytest.fixture
def urls(org, team_setup):
    """The URL of each team page, for rows of `org`."""
    setup = team_setup(tasks=1)
    allocation = AllocationFactory(organization=org, initiative=setup.initiative, person=setup.member_person)
    job = Job.objects.create(
        organization=org,
        kind=JobKind.TASK_IMPORT,
        parameters={"dry_run": True, "options": {"team": setup.team.pk}},
    )
    team = {"pk": setup.team.pk}
    return {
        "teams": org_url("teams", org),
        "team_workspace": org_url("team_workspace", org, **team),
        "task_import": org_url("task_import", org, **team),
        "task_import_job": org_url("task_import_job", org, job_pk=job.pk, **team),
        "allocation_create": org_url("allocation_create", org),
        "allocation_edit": org_url("allocation_edit", org, pk=allocation.pk),
        "allocation_delete": org_url("allocation_delete", org, pk=allocation.pk),
        "tasks_bulk_link": org_url("tasks_bulk_link", org, **team),
    }


@pytest.mark.parametrize("name", PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, urls, name):
    response = client.get(urls[name])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_anonymous_post_to_bulk_linking_is_sent_to_log_in(client, urls):
    response = client.post(urls["tasks_bulk_link"], {})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", PAGES)
def test_an_admin_of_another_organization_finds_nothing(client, signed_in, other_org, urls, name):
    # given an admin of the other organization only
    signed_in(Role.ADMIN, other_org)
    # when they open a page of this organization
    # then it does not exist for them
    assert client.get(urls[name]).status_code == 404
