"""scenarios/: draft, change, evaluate, apply (with conflicts and rebase), discard and rebalance over
REST, on the plan of `tests.scenarios.conftest.plan` (R needs 90 h and has nobody, X serves no
objective and has Pat's 10 h a week, S needs 20 h and has Quinn's 10 h a week). Evaluations run
in-process (Celery eager), at today's D."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from execgap.celery import app as celery_app
from execgap.models import Job, JobState, Membership, Role
from resources.models import Allocation
from resources.services import allocation_update
from scenarios.models import Scenario, ScenarioStatus

pytestmark = pytest.mark.django_db
WRITERS = (Role.LEAD, Role.EXECUTIVE, Role.ADMIN)
READERS = (Role.VIEWER, Role.MEMBER)


@pytest.fixture(autouse=True)
def _in_process(settings) -> Iterator[None]:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    cache.clear()
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def client_as(member_of: Callable[..., Membership]) -> Callable[..., APIClient]:
    def make(role: Role, organization=None) -> APIClient:
        client = APIClient()
        client.force_authenticate(member_of(role, organization, person=False).user)
        return client

    return make


def url(org, path: str = "") -> str:
    return f"/api/v1/orgs/{org.slug}/scenarios/{path}"


def move(plan, hours: str = "7") -> dict:
    return {
        "kind": "hours_move",
        "target_id": plan.off.pk,
        "values": {"initiative": plan.r.pk, "hours_per_week": hours},
    }


def drafted(client: APIClient, org, plan) -> dict:
    scenario = client.post(url(org), {"name": "Staff R", "description": "R has nobody"}, format="json").json()
    answer = client.post(url(org, f"{scenario['id']}/changes/"), move(plan), format="json")
    assert answer.status_code == 201, answer.json()
    return scenario


def test_an_executive_drafts_evaluates_and_applies_a_scenario(
    org, plan, client_as, django_capture_on_commit_callbacks
):
    client = client_as(Role.EXECUTIVE)
    # Given a drafted scenario moving 7 of Pat's off-strategy hours to R
    scenario = drafted(client, org, plan)
    listed = client.get(url(org)).json()["results"]
    assert [(row["name"], row["changes"], row["status"]) for row in listed] == [("Staff R", 1, "draft")]
    change = client.get(url(org, f"{scenario['id']}/changes/")).json()["results"][0]
    assert (change["kind_label"], change["base_versions"]) == (
        "Move hours to another initiative",
        {f"allocation:{plan.off.pk}": 1},
    )

    # When it is evaluated (a job) and the evaluation read
    assert client.get(url(org, f"{scenario['id']}/evaluation/")).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        job = client.post(url(org, f"{scenario['id']}/evaluation/")).json()
    assert Job.objects.get(pk=job["id"]).state == JobState.SUCCEEDED
    evaluation = client.get(url(org, f"{scenario['id']}/evaluation/")).json()

    # Then resources go from 20/110 (A: covered 20 of R's 90 + S's 20 h) to 100, said in words
    assert evaluation["current"] is True
    assert evaluation["scores"]["resources"]["baseline"] == pytest.approx(100 * 20 / 110)
    assert evaluation["scores"]["resources"]["scenario"] == pytest.approx(100.0)
    assert "Resources rises 81.8 points, from 18.2 to 100.0." in evaluation["explanation"]
    r_row = next(row for row in evaluation["initiatives"] if row["id"] == plan.r.pk)
    assert r_row["coverage"] == {"baseline": 0.0, "scenario": 1.0, "difference": 1.0}

    # And applied with a reason, the plan changes and the scenario stays readable as applied
    applied = client.post(url(org, f"{scenario['id']}/apply/"), {"reason": "Staff R now"}, format="json")
    assert applied.status_code == 200
    assert (applied.json()["status"], applied.json()["applied_reason"]) == ("applied", "Staff R now")
    assert Allocation.objects.get(pk=plan.off.pk).hours_per_week == Decimal(3)
    assert client.get(url(org, f"{scenario['id']}/evaluation/")).json()["current"] is False


def test_a_conflicting_apply_answers_409_naming_each_conflict_and_rebase_clears_it(
    org, plan, client_as, admin
):
    client = client_as(Role.EXECUTIVE)
    scenario = drafted(client, org, plan)
    allocation_update(actor=admin, allocation=plan.off, data={"hours_per_week": Decimal(12)})

    refused = client.post(url(org, f"{scenario['id']}/apply/"), {"reason": "Go"}, format="json")

    assert refused.status_code == 409
    (conflict,) = refused.json()["conflicts"]
    assert (conflict["row"], conflict["drafted_version"], conflict["current_version"]) == (
        f"allocation:{plan.off.pk}",
        1,
        2,
    )
    assert Allocation.objects.get(pk=plan.off.pk).hours_per_week == Decimal(12)
    rebased = client.post(url(org, f"{scenario['id']}/rebase/")).json()
    assert rebased["dropped"] == []
    assert (
        client.post(url(org, f"{scenario['id']}/apply/"), {"reason": "Go"}, format="json").status_code == 200
    )
    assert Allocation.objects.get(pk=plan.off.pk).hours_per_week == Decimal(5)


def test_a_bad_change_is_400_with_its_reason_and_nothing_is_kept(org, plan, client_as):
    client = client_as(Role.LEAD)
    scenario = client.post(url(org), {"name": "Bad"}, format="json").json()
    answer = client.post(url(org, f"{scenario['id']}/changes/"), move(plan, "11"), format="json")
    assert answer.status_code == 400
    assert answer.json() == {
        "values": ["Change 1: The allocation has 10.00 h a week: move at most that many."]
    }
    assert client.get(url(org, f"{scenario['id']}/changes/")).json()["results"] == []
    assert client.post(url(org, f"{scenario['id']}/apply/"), {}, format="json").json() == {
        "reason": ["This field is required."]
    }


@pytest.mark.parametrize("role", READERS)
def test_members_and_viewers_read_but_cannot_draft_apply_or_rebalance(org, plan, client_as, role):
    scenario = drafted(client_as(Role.LEAD), org, plan)
    client = client_as(role)
    assert client.get(url(org)).status_code == 200
    assert client.get(url(org, f"{scenario['id']}/changes/")).status_code == 200
    assert client.post(url(org), {"name": "Mine"}, format="json").status_code == 403
    assert client.post(url(org, f"{scenario['id']}/changes/"), move(plan), format="json").status_code == 403
    assert (
        client.post(url(org, f"{scenario['id']}/apply/"), {"reason": "x"}, format="json").status_code == 403
    )
    assert client.post(url(org, "rebalance/")).status_code == 403
    assert client.post(url(org, f"{scenario['id']}/evaluation/")).status_code == 403
    assert client.delete(url(org, f"{scenario['id']}/")).status_code == 403
    assert not Job.objects.filter(organization=org).exists()
    assert Scenario.objects.get(pk=scenario["id"]).status == ScenarioStatus.DRAFT


@pytest.mark.parametrize("role", WRITERS)
def test_leads_executives_and_admins_draft_and_rebalance(org, plan, client_as, role):
    client = client_as(role)
    answer = client.post(url(org, "rebalance/"))
    assert answer.status_code == 201
    assert answer.json()["changes"] == 1
    assert answer.json()["evaluated"] is True


def test_a_change_is_removed_and_a_scenario_discarded_or_deleted(org, plan, client_as):
    client = client_as(Role.EXECUTIVE)
    scenario = drafted(client, org, plan)
    change = client.get(url(org, f"{scenario['id']}/changes/")).json()["results"][0]
    assert client.delete(f"/api/v1/orgs/{org.slug}/scenario-changes/{change['id']}/").status_code == 204
    assert client.post(url(org, f"{scenario['id']}/discard/")).json()["status"] == "discarded"
    assert client.post(url(org, f"{scenario['id']}/changes/"), move(plan), format="json").status_code == 400
    assert client.delete(url(org, f"{scenario['id']}/")).status_code == 204


def test_another_organizations_scenarios_are_not_found(org, other_org, plan, client_as):
    scenario = drafted(client_as(Role.EXECUTIVE), org, plan)
    outsider = client_as(Role.ADMIN, other_org)
    for path in ("", "changes/", "evaluation/"):
        assert outsider.get(url(other_org, f"{scenario['id']}/{path}")).status_code == 404
    assert (
        outsider.post(url(other_org, f"{scenario['id']}/apply/"), {"reason": "x"}, format="json").status_code
        == 404
    )
    assert outsider.get(url(other_org)).json()["results"] == []


def test_the_list_costs_the_same_queries_whatever_the_number_of_scenarios(org, plan, client_as):
    client = client_as(Role.VIEWER)
    writer = client_as(Role.EXECUTIVE)
    drafted(writer, org, plan)
    with CaptureQueriesContext(connection) as one:
        client.get(url(org))
    for _ in range(5):
        drafted(writer, org, plan)
    with CaptureQueriesContext(connection) as six:
        assert len(client.get(url(org)).json()["results"]) == 6
    assert len(six.captured_queries) == len(one.captured_queries) <= 6
