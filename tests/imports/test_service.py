"""`tasks_import` on a realistic Jira export: what a dry run says, what a commit writes, and what a
re-import does (nothing). Row numbers are those a spreadsheet shows (the header is row 1)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from execgap.models import Organization, Role
from objectives.imports.options import import_options
from objectives.imports.rows import read_jira_csv, read_json_rows
from objectives.imports.services import tasks_import
from objectives.models import Task, TaskStatus
from tests.factories import TaskFactory
from tests.imports.jira import Issue, clean_issues, jira_export, realistic_issues

pytestmark = pytest.mark.django_db


def by_key(report):
    return {row["external_key"]: row for row in report.as_json()["rows"]}


def tasks_of(org: Organization) -> dict[str, Task]:
    return {task.external_key: task for task in Task.objects.for_org(org)}


def test_a_dry_run_reports_creates_updates_links_and_errors_and_writes_nothing(org, plan, importer):
    # given a lead, SHOP-1 already imported under an older title, and the realistic export
    actor = importer(Role.EXECUTIVE)
    TaskFactory(
        organization=org, external_key="SHOP-1", title="Checkout (old)", status=TaskStatus.IN_PROGRESS
    )
    rows = read_jira_csv(jira_export(realistic_issues()))
    # when it is imported as a dry run (the default)
    report = tasks_import(actor=actor, rows=rows)
    # then the report says what each row will do (the epic SHOP-1, titled like an initiative,
    # stands for it: its task, imported before, is linked to it)
    assert report.as_json()["summary"] == {
        "rows": 14, "created": 10, "updated": 1, "unchanged": 0, "goal": 0, "error": 3, "linked": 8,
        "warnings": 3,
    }  # fmt: skip
    rows_by_key = by_key(report)
    assert rows_by_key["SHOP-1"]["action"] == "updated"
    assert rows_by_key["SHOP-1"]["changes"] == ["title", "assignee", "initiative"]
    assert {key: row["action"] for key, row in rows_by_key.items() if key != "SHOP-1"} == {
        "SHOP-2": "created", "SHOP-3": "created", "SHOP-4": "created", "OPS-1": "created",
        "OPS-2": "created", "OPS-3": "error", "OPS-4": "error", "": "error", "OPS-5": "created",
        "OPS-6": "created", "OPS-7": "created", "OPS-8": "created", "OPS-9": "created",
    }  # fmt: skip
    # and what each links to: by the parent's id or key first (OPS-6's Epic Link, SHOP-3, is under
    # the objective: its Parent summary is not read), by the parent's title when no id is given,
    # and a sub-task where its story links
    links = {key: row["link"] for key, row in rows_by_key.items() if row["link"]}
    assert links == {
        "SHOP-1": {"kind": "initiative", "id": plan.checkout.pk, "title": "Checkout revamp"},
        "SHOP-2": {"kind": "initiative", "id": plan.checkout.pk, "title": "Checkout revamp"},
        "OPS-6": {"kind": "objective", "id": plan.grow_revenue.pk, "title": "Grow revenue"},
        "SHOP-3": {"kind": "objective", "id": plan.grow_revenue.pk, "title": "Grow revenue"},
        "SHOP-4": {"kind": "initiative", "id": plan.checkout.pk, "title": "Checkout revamp"},
        "OPS-1": {"kind": "initiative", "id": plan.faster_builds.pk, "title": "Faster builds"},
        "OPS-2": {"kind": "initiative", "id": plan.faster_builds.pk, "title": "Faster builds"},
        "OPS-8": {"kind": "initiative", "id": plan.faster_builds.pk, "title": "Faster builds"},
    }
    # and nothing is written
    assert list(tasks_of(org)) == ["SHOP-1"]
    assert Task.objects.for_org(org).get().title == "Checkout (old)"
    org.refresh_from_db()
    assert org.scores_stale_since is None


def test_each_bad_row_is_reported_with_its_row_and_column(org, plan, importer):
    # given the realistic export
    rows = read_jira_csv(jira_export(realistic_issues()))
    # when a lead dry-runs it
    report = tasks_import(actor=importer(Role.LEAD), rows=rows)
    # then every bad row names its row, its column and what is wrong
    errors = [error for row in report.as_json()["rows"] for error in row["errors"]]
    assert errors == [
        {
            "row": 8,
            "column": "Status",
            "message": "'QA Review' is not a status the status map knows: map it to a task status on the "
            "import page, or in status_map (todo, in_progress, blocked, done, cancelled).",
        },
        {"row": 9, "column": "Original Estimate", "message": "Must not be negative."},
        {"row": 10, "column": "Issue key", "message": "This field is required."},
    ]
    # and the warnings too: an unknown assignee is left as it is, a parent no goal is titled like
    # names what to map, a done task with no date counts as no recent work
    warnings = [warning for row in report.as_json()["rows"] for warning in row["warnings"]]
    assert warnings == [
        {
            "row": 6,
            "column": "Assignee",
            "message": "No person of the organization has the name or email 'Linus Unknown': the assignee "
            "is left as it is.",
        },
        {
            "row": 11,
            "column": "Parent summary",
            "message": "No goal is titled 'Payments platform': map it to a goal on the import page (or in "
            "link_map) and import again. Until then the import does not link this task.",
        },
        {
            "row": 15,
            "column": "Resolved",
            "message": "Done, with no Resolved date: the task does not count as recent work.",
        },
    ]


def test_an_all_or_nothing_commit_with_a_bad_row_writes_nothing(org, plan, importer):
    # given the realistic export, with its three bad rows
    rows = read_jira_csv(jira_export(realistic_issues()))
    # when an executive commits it all or nothing
    options = import_options(all_or_nothing=True)
    report = tasks_import(actor=importer(Role.EXECUTIVE), rows=rows, dry_run=False, options=options)
    # then nothing is written, and the report says why
    assert report.committed is False
    assert report.as_json()["summary"]["error"] == 3
    assert not Task.objects.for_org(org).exists()
    org.refresh_from_db()
    assert org.scores_stale_since is None


def test_a_commit_creates_the_tasks_with_every_field(org, plan, importer):
    # given the export without its bad rows
    rows = read_jira_csv(jira_export(clean_issues()))
    # when an executive commits it
    report = tasks_import(actor=importer(Role.EXECUTIVE), rows=rows, dry_run=False)
    # then every task is created, as Jira had it, but the epic that stands for its initiative
    assert report.committed is True
    assert report.as_json()["summary"]["created"] == 8
    assert report.as_json()["summary"]["goal"] == 1
    tasks = tasks_of(org)
    assert sorted(tasks) == sorted(issue.key for issue in clean_issues() if issue.key != "SHOP-1")
    card = tasks["SHOP-2"]
    card_fields = (card.title, card.status, card.effort_hours, card.assignee_id, card.initiative_id)
    assert (*card_fields, card.version) == (
        'Pay with saved cards, "one click"', TaskStatus.IN_PROGRESS, Decimal("4.00"), plan.ada.pk,
        plan.checkout.pk, 1,
    )  # fmt: skip
    assert tasks["SHOP-3"].title == "Refund flow for partial orders, with notes"
    assert (tasks["SHOP-3"].objective_id, tasks["SHOP-3"].effort_hours) == (plan.grow_revenue.pk, None)
    assert (tasks["SHOP-4"].initiative_id, tasks["SHOP-4"].assignee_id) == (plan.checkout.pk, plan.grace.pk)
    assert tasks["SHOP-4"].effort_hours == Decimal("1.50")
    assert tasks["OPS-1"].completed_at == datetime(2024, 3, 12, 16, 15, tzinfo=UTC)
    assert tasks["OPS-1"].assignee_id is None  # unknown in ExecGap: left empty, with a warning
    assert (tasks["OPS-2"].status, tasks["OPS-2"].due_date) == (TaskStatus.BLOCKED, date(2024, 4, 30))
    assert (tasks["OPS-7"].status, tasks["OPS-7"].completed_at) == (TaskStatus.CANCELLED, None)
    assert tasks["OPS-8"].completed_at == datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    assert (tasks["OPS-9"].status, tasks["OPS-9"].completed_at) == (TaskStatus.DONE, None)
    # and the report gives each created task's id
    assert {row["external_key"]: row["task"] for row in report.as_json()["rows"]} == {"SHOP-1": None} | {
        key: task.pk for key, task in tasks.items()
    }
    # and the scores are marked stale, once
    org.refresh_from_db()
    assert org.scores_stale_since is not None


def test_a_commit_writes_the_good_rows_and_reports_the_bad_by_default(org, plan, importer):
    # given the realistic export
    rows = read_jira_csv(jira_export(realistic_issues()))
    # when it is committed (skip_errors=true, the old way of asking, means the same)
    for options in (None, import_options(skip_errors=True)):
        report = tasks_import(actor=importer(Role.ADMIN), rows=rows, dry_run=False, options=options)
        # then the good rows are written (the epic SHOP-1 as its initiative's link) and the three
        # bad ones are not
        assert report.committed is True
        assert sorted(tasks_of(org)) == sorted(
            issue.key for issue in realistic_issues() if issue.key not in {"SHOP-1", "OPS-3", "OPS-4", ""}
        )
        assert report.as_json()["summary"]["error"] == 3


def test_importing_the_same_file_again_changes_nothing(org, plan, importer):
    # given the export committed once
    actor = importer(Role.EXECUTIVE)
    export = jira_export(clean_issues())
    tasks_import(actor=actor, rows=read_jira_csv(export), dry_run=False)
    before = {key: (task.pk, task.version, task.updated_at) for key, task in tasks_of(org).items()}
    org.refresh_from_db()
    changed_at = org.scores_changed_at
    # when the same file is committed again
    report = tasks_import(actor=actor, rows=read_jira_csv(export), dry_run=False)
    # then every row is unchanged: no duplicate, no new version, no stale mark
    assert report.as_json()["summary"]["unchanged"] == 8
    assert report.as_json()["summary"]["goal"] == 1
    assert {key: (task.pk, task.version, task.updated_at) for key, task in tasks_of(org).items()} == before
    org.refresh_from_db()
    assert org.scores_changed_at == changed_at


def test_a_changed_row_updates_its_task_only(org, plan, importer):
    # given the export committed once
    actor = importer(Role.EXECUTIVE)
    issues = clean_issues()
    tasks_import(actor=actor, rows=read_jira_csv(jira_export(issues)), dry_run=False)
    versions = {key: task.version for key, task in tasks_of(org).items()}
    # when SHOP-2 is done in Jira and the export is imported again
    shop_2 = next(issue for issue in issues if issue.key == "SHOP-2")
    shop_2.status, shop_2.resolved = "Done", "2024-05-02 17:00"
    report = tasks_import(actor=actor, rows=read_jira_csv(jira_export(issues)), dry_run=False)
    # then only SHOP-2 is updated, with its completion and a new version
    assert report.as_json()["summary"] == {
        "rows": 9, "created": 0, "updated": 1, "unchanged": 7, "goal": 1, "error": 0, "linked": 7,
        "warnings": 2,
    }  # fmt: skip
    assert by_key(report)["SHOP-2"]["changes"] == ["status", "completed_at"]
    task = tasks_of(org)["SHOP-2"]
    assert (task.status, task.completed_at, task.version) == (
        TaskStatus.DONE, datetime(2024, 5, 2, 17, 0, tzinfo=UTC), versions["SHOP-2"] + 1,
    )  # fmt: skip
    assert {key: task.version for key, task in tasks_of(org).items() if key != "SHOP-2"} == {
        key: version for key, version in versions.items() if key != "SHOP-2"
    }


def test_an_empty_parent_keeps_a_link_made_in_execgap(org, plan, importer):
    # given OPS-7 was linked by hand in ExecGap
    TaskFactory(
        organization=org, external_key="OPS-7", title="Retire the old CI", initiative=plan.faster_builds
    )
    # when the export, which names no parent for it, is imported
    report = tasks_import(actor=importer(Role.EXECUTIVE), rows=read_jira_csv(jira_export(clean_issues())))
    # then its link stays
    assert by_key(report)["OPS-7"]["link"]["id"] == plan.faster_builds.pk
    assert "initiative" not in by_key(report)["OPS-7"]["changes"]


def test_another_organizations_goals_are_never_matched(org, other_org, plan, importer):
    # given a row whose parent is the title of another organization's initiative
    rows = read_jira_csv(jira_export([Issue("X-1", "Work", parent_summary="Payments platform")]))
    # when it is imported, then it is a parent to map: the task is imported, unlinked, with a warning
    report = tasks_import(actor=importer(Role.ADMIN), rows=rows)
    assert (by_key(report)["X-1"]["action"], by_key(report)["X-1"]["link"]) == ("created", None)
    assert by_key(report)["X-1"]["warnings"][0]["column"] == "Parent summary"
    # and a link map naming that initiative is refused as if it did not exist
    options = import_options(link_map={"Payments platform": {"initiative": plan.foreign_initiative.pk}})
    with pytest.raises(ValidationError) as refused:
        tasks_import(actor=importer(Role.ADMIN), rows=rows, options=options)
    assert refused.value.message_dict == {
        "link_map": [
            f"'Payments platform': initiative instance with id {plan.foreign_initiative.pk} is not a valid "
            "choice."
        ]
    }


def test_a_link_map_links_parents_no_goal_is_titled_like(org, plan, importer):
    # given stories under the epic SHOP-1 (which no goal is titled like) mapped to an initiative
    issues = [
        Issue("SHOP-9", "Apple Pay", epic_link="SHOP-1"),
        Issue("SHOP-10", "Google Pay", parent="SHOP-1"),
    ]
    options = import_options(link_map={"SHOP-1": {"initiative": plan.checkout.pk}})
    # when they are committed
    tasks_import(
        actor=importer(Role.EXECUTIVE),
        rows=read_jira_csv(jira_export(issues)),
        dry_run=False,
        options=options,
    )
    # then both link to it
    assert {task.initiative_id for task in tasks_of(org).values()} == {plan.checkout.pk}


def test_a_custom_status_map_and_the_import_options(org, plan, importer):
    # given a status Jira has and the defaults lack, a team and a Jira site for the whole import
    rows = read_jira_csv(jira_export([Issue("OPS-3", "Nightly builds", "QA Review")]))
    options = import_options(
        status_map='{"QA Review": "in_progress"}',
        team=plan.platform.pk,
        base_url="https://acme.atlassian.net/",
    )
    # when it is committed
    tasks_import(actor=importer(Role.EXECUTIVE), rows=rows, dry_run=False, options=options)
    # then the status is mapped, the team set and the link built
    task = tasks_of(org)["OPS-3"]
    assert (task.status, task.team_id, task.external_url) == (
        TaskStatus.IN_PROGRESS, plan.platform.pk, "https://acme.atlassian.net/browse/OPS-3",
    )  # fmt: skip


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MEMBER])
def test_viewers_and_members_may_not_import(plan, importer, role):
    # when a viewer or a member imports, even a dry run, then they are refused
    with pytest.raises(PermissionDenied):
        tasks_import(actor=importer(role), rows=read_jira_csv(jira_export(clean_issues())))


def test_a_lead_may_not_change_another_teams_task(org, plan, importer):
    # given OPS-2 exists in the Platform team's initiative, and the lead leads Growth
    TaskFactory(organization=org, external_key="OPS-2", title="Old", initiative=plan.faster_builds)
    lead = importer(Role.LEAD)
    # when the lead imports a new title for it, and a new task of any team
    rows = read_jira_csv(
        jira_export(
            [Issue("OPS-2", "Flaky test quarantine"), Issue("OPS-10", "New", parent_summary="Faster builds")]
        )
    )
    report = tasks_import(actor=lead, rows=rows, dry_run=False, options=import_options(skip_errors=True))
    # then the change is refused row by row (a lead creates tasks anywhere, changes only their team's)
    assert by_key(report)["OPS-2"]["errors"] == [
        {"row": 2, "column": None, "message": "Your role (lead) may not change this task."}
    ]
    assert by_key(report)["OPS-10"]["action"] == "created"
    assert tasks_of(org)["OPS-2"].title == "Old"


def test_a_json_list_sets_the_fields_it_names(org, plan, importer):
    # given a task imported before, and a JSON list as the task API takes it
    TaskFactory(
        organization=org, external_key="API-1", title="Old", effort_hours=Decimal(3), team=plan.growth
    )
    data = [
        {"external_key": "API-1", "title": "New title", "initiative": plan.checkout.pk},
        {"external_key": "API-2", "title": "Second", "status": "done", "completed_at": "2024-03-01T10:00:00"},
        {
            "external_key": "API-3",
            "title": "Both",
            "initiative": plan.checkout.pk,
            "objective": plan.grow_revenue.pk,
        },
        {"title": "No key"},
        {"external_key": "API-4", "title": "Elsewhere", "team": 999_999, "colour": "red"},
    ]
    # when it is dry-run
    report = tasks_import(actor=importer(Role.EXECUTIVE), rows=read_json_rows(data))
    # then the fields named change, the others stay, and the bad rows say why, field by field
    rows = report.as_json()["rows"]
    assert [row["action"] for row in rows] == ["updated", "created", "error", "error", "error"]
    assert rows[0]["changes"] == ["title", "initiative"]
    assert [row["errors"] for row in rows[2:]] == [
        [
            {
                "row": 3,
                "column": "objective",
                "message": "A task links to an initiative or an objective, not both.",
            }
        ],
        [{"row": 4, "column": "external_key", "message": "This field is required."}],
        [
            {"row": 5, "column": "colour", "message": "Unknown or read-only field."},
            {"row": 5, "column": "team", "message": "team instance with id 999999 is not a valid choice."},
        ],
    ]


def test_json_text_no_database_column_takes_is_a_row_error(org, plan, importer):
    # given a title with a NUL character and a key that is a lone surrogate
    data = [{"external_key": "API-1", "title": "Nul\x00here"}, {"external_key": "\ud800", "title": "x"}]
    # when it is committed skipping errors, then both rows are refused and nothing is written
    report = tasks_import(
        actor=importer(Role.ADMIN),
        rows=read_json_rows(data),
        dry_run=False,
        options=import_options(skip_errors=True),
    )
    assert [row["errors"] for row in report.as_json()["rows"]] == [
        [{"row": 1, "column": "title", "message": "Null characters are not allowed."}],
        [{"row": 2, "column": "external_key", "message": "This field is required."}],
    ]
    assert not Task.objects.for_org(org).exists()


def test_a_task_created_by_someone_else_during_the_import_is_updated_not_duplicated(
    org, plan, importer, monkeypatch
):
    # given someone creates OPS-7 right after the import has judged its rows (OPS-7: "created")
    from objectives.imports import services

    judged = services.lookups_load
    calls = []

    def judge_then_someone_writes(**kwargs):
        found = judged(**kwargs)
        if not calls:
            TaskFactory(organization=org, external_key="OPS-7", title="Made by hand")
        calls.append(kwargs["lock"])
        return found

    monkeypatch.setattr(services, "lookups_load", judge_then_someone_writes)
    # when the export is committed
    report = tasks_import(
        actor=importer(Role.EXECUTIVE), rows=read_jira_csv(jira_export(clean_issues())), dry_run=False
    )
    # then the rows were judged again under the lock, and OPS-7 was updated, not made twice
    assert calls == [False, True]
    assert by_key(report)["OPS-7"]["action"] == "updated"
    assert Task.objects.for_org(org).filter(external_key="OPS-7").get().title == "Retire the old CI"
