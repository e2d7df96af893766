"""The Jira import in the team's web form: Jira's default statuses map by themselves; the dry run's
mapping step names every status and epic the import cannot place, the lead maps them (a task status
for each status, a goal for each epic), the commit imports, and the team's next upload starts from
the choices remembered. A choice that cannot be read is refused beside its field, nothing imported.
A Jira site address is read as a lead pastes it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from execgap.jobs import job_succeed
from execgap.models import Job, JobKind, Membership, Organization, Role
from objectives.imports.options import site_url
from objectives.imports.services import ASYNC_ROWS
from objectives.models import Task, TaskImportMapping, TaskStatus
from tests.imports.conftest import Plan
from tests.imports.jira import Issue, jira_export
from tests.web.teams.test_import import again, dry_run, mapping_fields, report_of

pytestmark = pytest.mark.django_db


def export(*issues: Issue) -> SimpleUploadedFile:
    return SimpleUploadedFile("export.csv", jira_export(issues).encode(), content_type="text/csv")


def checkout_epic(*statuses: str) -> list[Issue]:
    """An epic no goal is titled like, and a story under it in each of `statuses`."""
    stories = [
        Issue(f"PLAT-{n}", f"Story {n}", status, parent="900") for n, status in enumerate(statuses, start=2)
    ]
    return [Issue("PLAT-1", "Card payments", "To Do", "Epic", issue_id="900"), *stories]


def field_of(fields: dict[str, str], status: str) -> str:
    """The name of the select that maps `status` on the mapping step."""
    name = next(key for key, value in fields.items() if key.startswith("status_name_") and value == status)
    return "status_" + name.removeprefix("status_name_")


@pytest.fixture
def lead(client: Client, importer: Callable[[Role], Membership]) -> Membership:
    """The lead of Growth, signed in."""
    membership = importer(Role.LEAD)
    client.force_login(membership.user)
    return membership


def test_jira_default_workflow_statuses_import_without_any_mapping(
    client: Client, org: Organization, plan: Plan, lead: Membership
) -> None:
    # given an export whose statuses are those of Jira's default workflows
    statuses = {
        "Selected for Development": TaskStatus.TODO, "Backlog": TaskStatus.TODO,
        "In Review": TaskStatus.IN_PROGRESS, "Code Review": TaskStatus.IN_PROGRESS,
        "Blocked": TaskStatus.BLOCKED, "Done": TaskStatus.DONE, "Won't Do": TaskStatus.CANCELLED,
        "Won't Fix": TaskStatus.CANCELLED,
    }  # fmt: skip
    issues = [Issue(f"PLAT-{n}", f"Work {n}", status) for n, status in enumerate(statuses, start=1)]
    # when the lead uploads it
    page = dry_run(client, org, plan.growth, export(*issues)).content.decode()
    # then no row is in error, and the commit gives each task its status
    assert "Error</strong>" not in page
    assert again(client, org, plan.growth, page).status_code == 302
    imported = dict(Task.objects.for_org(org).values_list("external_key", "status"))
    assert imported == {f"PLAT-{n}": status for n, status in enumerate(statuses.values(), start=1)}


def test_the_mapping_step_names_what_is_unknown_and_the_next_upload_remembers_the_choices(
    client: Client, org: Organization, plan: Plan, lead: Membership
) -> None:
    # given an export with two statuses no workflow default knows and an epic no goal is titled like
    upload = export(*checkout_epic("Awaiting design", "Parked", "Parked"))
    # when the lead uploads it for a dry run
    response = dry_run(client, org, plan.growth, upload)
    page = response.content.decode()
    # then the mapping step names each unknown status (first, not mapped) and the epic (no goal yet)
    assert response.status_code == 200
    assert page.index("“Awaiting design” (1 row)") < page.index("“To Do” (1 row)")
    assert "“Parked” (2 rows)" in page
    assert "PLAT-1 · Card payments (Epic) (3 rows)" in page
    fields = mapping_fields(page)
    assert fields[field_of(fields, "Awaiting design")] == ""
    assert fields[field_of(fields, "Parked")] == ""
    assert fields["goal_0"] == ""
    # when they map the statuses and the epic to the Checkout initiative, and commit
    statuses = {
        field_of(fields, "Awaiting design"): TaskStatus.TODO,
        field_of(fields, "Parked"): TaskStatus.BLOCKED,
    }
    response = again(client, org, plan.growth, page, **statuses, goal_0=f"initiative:{plan.checkout.pk}")
    # then every story is imported with its mapped status, under the initiative
    assert response.status_code == 302
    imported = {task.external_key: (task.status, task.initiative_id) for task in Task.objects.for_org(org)}
    assert imported == {
        "PLAT-2": (TaskStatus.TODO, plan.checkout.pk),
        "PLAT-3": (TaskStatus.BLOCKED, plan.checkout.pk),
        "PLAT-4": (TaskStatus.BLOCKED, plan.checkout.pk),
    }
    # and Growth remembers the choices (status names whatever their case and spacing)
    remembered = TaskImportMapping.objects.for_org(org).get(team=plan.growth)
    assert remembered.status_map == {"awaiting design": TaskStatus.TODO, "parked": TaskStatus.BLOCKED}
    assert remembered.link_map["PLAT-1"] == {"initiative": plan.checkout.pk}
    # when the lead uploads Growth's next export, with the same statuses under the same epic
    later = dry_run(client, org, plan.growth, export(*checkout_epic("Parked", "Awaiting design")))
    # then the mapping step starts from the remembered choices, and no row is in error
    later_page = later.content.decode()
    later_fields = mapping_fields(later_page)
    assert later_fields[field_of(later_fields, "Parked")] == TaskStatus.BLOCKED
    assert later_fields[field_of(later_fields, "Awaiting design")] == TaskStatus.TODO
    assert later_fields["goal_0"] == f"initiative:{plan.checkout.pk}"
    assert "Error</strong>" not in later_page


def test_another_team_does_not_inherit_the_mapping(
    client: Client, org: Organization, plan: Plan, lead: Membership
) -> None:
    # given Growth's remembered mapping of "Parked"
    page = dry_run(client, org, plan.growth, export(Issue("PLAT-1", "Work", "Parked"))).content.decode()
    fields = mapping_fields(page)
    again(client, org, plan.growth, page, **{field_of(fields, "Parked"): TaskStatus.BLOCKED})
    # when the same status comes in an upload for Platform
    other = dry_run(client, org, plan.platform, export(Issue("OPS-1", "Work", "Parked"))).content.decode()
    # then Platform's mapping step has it not mapped
    other_fields = mapping_fields(other)
    assert other_fields[field_of(other_fields, "Parked")] == ""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "finished"}, "Choose one of the task statuses for “Parked”"),
        ({"goal_0": "initiative:{foreign}"}, "Choose a goal of this organization"),
        ({"goal_0": "initiative:not-a-number"}, "Choose a goal of this organization"),
    ],
)
def test_a_mapping_choice_that_cannot_be_read_is_refused_and_nothing_is_imported(
    client: Client, org: Organization, plan: Plan, lead: Membership, changes: dict[str, str], message: str
) -> None:
    # given a dry run with a status to map and an epic
    page = dry_run(client, org, plan.growth, export(*checkout_epic("Parked"))).content.decode()
    fields = mapping_fields(page)
    foreign = plan.foreign_initiative.pk
    sent = {
        field_of(fields, "Parked") if name == "status" else name: value.format(foreign=foreign)
        for name, value in changes.items()
    }
    # when the lead commits with a choice no page offers (a status that is none, another
    # organization's goal, a goal that is no id)
    response = again(client, org, plan.growth, page, **sent)
    # then it is refused with its reason beside the field, the mapping still shown, and nothing changes
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert "Nothing was imported" in body
    assert 'class="stacked teams-import-mapping"' in body
    assert not Task.objects.for_org(org).exists()
    assert not TaskImportMapping.objects.for_org(org).exists()


@pytest.mark.parametrize(
    "site",
    [
        "https://acme.atlassian.net/browse/",
        "https://acme.atlassian.net//",
        "  https://acme.atlassian.net/browse  ",
        "https://acme.atlassian.net/browse/PLAT-902",
        "https://acme.atlassian.net/browse/browse/",
    ],
)
def test_a_site_address_is_read_as_the_site(site: str) -> None:
    assert site_url(site) == "https://acme.atlassian.net"


def test_a_site_with_a_path_and_a_pattern_keep_theirs() -> None:
    assert site_url("https://jira.acme.test/jira/browse/") == "https://jira.acme.test/jira"
    assert site_url("https://tracker.acme.test/issue/{key}") == "https://tracker.acme.test/issue/{key}"


def test_a_site_pasted_with_browse_links_each_task_once(
    client: Client, org: Organization, plan: Plan, lead: Membership
) -> None:
    # given an upload whose Jira site was pasted with its /browse/ path
    upload = export(Issue("PLAT-902", "Card form"))
    page = dry_run(client, org, plan.growth, upload, base_url="https://acme.atlassian.net/browse/")
    # when it is committed
    again(client, org, plan.growth, page.content.decode())
    # then the task links to its issue, with one /browse/
    assert Task.objects.for_org(org).get().external_url == "https://acme.atlassian.net/browse/PLAT-902"


def test_the_mapping_step_runs_as_many_queries_for_three_times_the_statuses_and_rows(
    client: Client, org: Organization, plan: Plan, lead: Membership
) -> None:
    # given dry runs of a file with 3 unknown statuses, and of one with 9 and three times the rows
    def remap_queries(statuses: int) -> int:
        names = [f"Stage {n}" for n in range(statuses)]
        page = dry_run(client, org, plan.growth, export(*checkout_epic(*names))).content.decode()
        fields = mapping_fields(page)
        chosen = {field_of(fields, name): TaskStatus.TODO for name in names}
        # when the lead runs it again with a status for each
        with CaptureQueriesContext(connection) as queries:
            response = again(client, org, plan.growth, page, "remap", **chosen)
        assert response.status_code == 200
        return len(queries)

    # then the mapping step's queries do not grow with them
    assert remap_queries(3) == remap_queries(9)


def test_a_large_imports_mapping_that_cannot_be_read_says_why_and_queues_nothing(
    client: Client, org: Organization, plan: Plan, lead: Membership
) -> None:
    # given a large file's dry run, done as a job
    issues = [Issue(f"BIG-{n}", f"Task {n}", "Parked") for n in range(ASYNC_ROWS + 1)]
    job_page = dry_run(client, org, plan.growth, export(*issues))["Location"]
    job = Job.objects.get(organization=org, kind=JobKind.TASK_IMPORT)
    job_succeed(job_id=job.pk, result=report_of(1))
    # when the lead commits it with a status that is none
    response = client.post(
        job_page, {"action": "commit", "status_name_0": "Parked", "status_0": "finished"}, follow=True
    )
    # then the job's page says what was refused, and no commit is queued
    assert "Nothing was imported. “Parked”: Choose one of the task statuses for “Parked”" in (
        response.content.decode()
    )
    assert Job.objects.filter(organization=org, kind=JobKind.TASK_IMPORT).count() == 1
