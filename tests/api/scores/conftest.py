"""Fixtures of the score and job API tests.

Recomputes run in-process (eagerly) on a local cache, as in the embedded default, so a request's
job has run by the time its on-commit callbacks have. `worked_example` is SCORING.md's example,
row by row (shared with the scoring engine's tests).
"""

from collections.abc import Callable, Iterator
from datetime import date
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from execgap.celery import app as celery_app
from execgap.models import Job, Membership, Organization, Role
from scoring.models import ScoreSnapshot
from scoring.services import scores_recompute
from tests.scoring.conftest import WORKED_EXAMPLE_DATE, worked_example  # noqa: F401  (a fixture)

ROLES = (Role.VIEWER, Role.MEMBER, Role.LEAD, Role.EXECUTIVE, Role.ADMIN)


@pytest.fixture(autouse=True)
def _in_process(settings) -> Iterator[None]:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    cache.clear()
    yield
    cache.clear()
    celery_app.conf.task_always_eager = saved


def client_for(membership: Membership) -> APIClient:
    client = APIClient()
    client.force_authenticate(membership.user)
    return client


def url(organization: Organization, path: str = "") -> str:
    """`/api/v1/orgs/<slug>/scores/<path>`."""
    return f"/api/v1/orgs/{organization.slug}/scores/{path}"


def jobs_url(organization: Organization, job_id: int | None = None) -> str:
    return f"/api/v1/orgs/{organization.slug}/jobs/" + (f"{job_id}/" if job_id is not None else "")


@pytest.fixture
def client_as(member_of: Callable[..., Membership]) -> Callable[..., APIClient]:
    """client_as(role, organization=org): a client signed in as a new member with that role (no
    person record, so the organization's scores are as its own rows make them)."""
    return lambda role, organization=None: client_for(member_of(role, organization, person=False))


@pytest.fixture
def recompute_through_api(django_capture_on_commit_callbacks) -> Callable[..., Job]:
    """recompute_through_api(client, organization, as_of): POST scores/recompute/, run what the request
    left for after its commit (the job, in-process), and return the job as it ended."""

    def run(client: APIClient, organization: Organization, as_of: date) -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url(organization, f"recompute/?as_of={as_of.isoformat()}"))
        assert response.status_code == 202, response.data
        return Job.objects.get(pk=response.data["job"])

    return run


@pytest.fixture
def example(worked_example, client_as, recompute_through_api) -> SimpleNamespace:  # noqa: F811
    """The worked example, recomputed for 2027-01-01 through the API by a lead; `example.client`
    reads as a viewer."""
    job = recompute_through_api(client_as(Role.LEAD), worked_example.org, WORKED_EXAMPLE_DATE)
    assert job.state == "succeeded", job.error
    worked_example.job = job
    worked_example.client = client_as(Role.VIEWER)
    return worked_example


def snapshot_of(organization: Organization, as_of: date) -> ScoreSnapshot:
    return scores_recompute(organization_id=organization.pk, as_of=as_of)
