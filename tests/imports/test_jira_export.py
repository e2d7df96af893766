"""Jira's own exports, as Jira writes them: the hierarchy by id, every default workflow status, epics
that stand for goals, parents to map, remembered mappings, time zones, and a realistic 200-row
project committed with no row refused. GitHub Issues exports too."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from execgap.models import Role
from objectives.imports.options import DEFAULT_STATUS_MAP, import_options, normalized
from objectives.imports.rows import read_jira_csv, read_upload
from objectives.imports.services import tasks_import
from objectives.models import Task, TaskImportMapping, TaskStatus
from tests.imports.jira import Issue, jira_export
from tests.imports.jira_cloud import (
    DEFAULT_WORKFLOW_STATUSES,
    EPICS,
    ROWS,
    STORIES_PER_EPIC,
    cloud_export,
    cloud_rows,
)

pytestmark = pytest.mark.django_db


def rows_by_key(report) -> dict:
    return {row["external_key"]: row for row in report.as_json()["rows"]}


def test_every_status_of_jiras_default_workflows_maps_to_a_task_status():
    # given the statuses of Jira's default workflows, written as Jira writes them
    options = import_options()
    # then each maps, whatever its case and spacing, and the dropped ones are cancelled
    assert {name: options.status_for(f"  {name.upper()} ") for name in DEFAULT_WORKFLOW_STATUSES} == {
        name: DEFAULT_STATUS_MAP[normalized(name)] for name in DEFAULT_WORKFLOW_STATUSES
    }
    assert all(options.status_for(name) for name in DEFAULT_WORKFLOW_STATUSES)
    dropped = ("Won't Do", "Canceled", "Declined")
    assert {options.status_for(name) for name in dropped} == {TaskStatus.CANCELLED}
    assert options.status_for("Selected for Development") == TaskStatus.TODO
    assert options.status_for("Waiting for customer") == TaskStatus.BLOCKED
    assert options.status_for("Code Review") == TaskStatus.IN_PROGRESS


def test_the_export_is_read_intact(org, plan):
    # when the realistic export is read
    rows = read_upload(cloud_export(), name="Jira.csv", content_type="text/csv")
    # then every record is there, its repeated and multi-line columns read whole
    assert len(rows) == ROWS
    first = rows.rows[0].values
    assert (first["issue key"], first["issue id"], first["issue type"]) == ("SHOP-1", "10001", "Epic")
    assert first["labels"] == "q3"  # a repeated column: its first value that is not empty
    assert first["description"].count("\n") == 4
    assert rows.rows[10].values["parent"] == "10001"


def test_the_realistic_export_commits_with_no_row_refused_and_links_stories_under_their_epics_goals(
    org, plan, importer
):
    # given the realistic 200-row export, and a lead who maps the epic "Mobile app v2" by its key
    actor = importer(Role.EXECUTIVE)
    rows = read_jira_csv(cloud_export())
    options = import_options(team=plan.growth.pk, link_map={"SHOP-3": {"objective": plan.grow_revenue.pk}})
    # when it is committed
    report = tasks_import(actor=actor, rows=rows, dry_run=False, options=options)
    body = report.as_json()
    # then no row is refused: the epics that stand for goals are links, every other row a task
    assert report.committed is True
    assert body["summary"]["error"] == 0
    assert body["summary"]["goal"] == 3
    assert body["summary"]["created"] == ROWS - 3
    by_key = rows_by_key(report)
    assert {key for key, row in by_key.items() if row["action"] == "goal"} == {"SHOP-1", "SHOP-2", "SHOP-3"}
    # and each story, and each sub-task under it, links to its epic's goal
    goal_of_epic = {
        "10001": plan.checkout.pk,
        "10002": plan.faster_builds.pk,
        "10003": plan.grow_revenue.pk,
    }
    parents = {row.issue_id: row for row in cloud_rows()}
    tasks = {task.external_key: task for task in Task.objects.for_org(org)}
    for row in cloud_rows():
        if row.issue_type == "Epic":
            continue
        epic = (
            row.parent_id if parents[row.parent_id].issue_type == "Epic" else parents[row.parent_id].parent_id
        )
        task = tasks[row.key]
        expected = goal_of_epic.get(epic)
        assert (task.initiative_id or task.objective_id) == expected, row.key
    # and the work under epics no goal is titled like is imported unlinked, with a warning naming
    # the epic to map (never an error)
    unlinked = by_key[f"SHOP-{len(EPICS) + 3 * STORIES_PER_EPIC + 1}"]  # the first story of SHOP-4
    assert unlinked["link"] is None
    assert unlinked["warnings"][0]["column"] == "Parent"
    assert "The epic SHOP-4 ('Partner portal') links to no goal: map it" in unlinked["warnings"][0]["message"]
    # and the report lists what to map: the three epics with no goal first
    parents_to_map = body["to_map"]["parents"]
    assert [entry["refs"] for entry in parents_to_map[:3]] == [
        ["SHOP-4", "10004"], ["SHOP-5", "10005"], ["SHOP-6", "10006"],
    ]  # fmt: skip
    assert all(entry["goal"] is None for entry in parents_to_map[:3])
    # and the dates were read in the export's time zone (UTC), the estimates from seconds
    done = next(row for row in cloud_rows() if row.status == "Done" and row.issue_type != "Epic")
    assert tasks[done.key].completed_at == datetime(2026, 11, 18, 14, 35, tzinfo=UTC)
    assert {task.effort_hours for task in tasks.values()} <= {None, *(Decimal(n) for n in range(8))}


def test_importing_the_realistic_export_again_changes_nothing(org, plan, importer):
    actor = importer(Role.EXECUTIVE)
    tasks_import(actor=actor, rows=read_jira_csv(cloud_export()), dry_run=False)
    versions = dict(Task.objects.for_org(org).values_list("external_key", "version"))
    # when it is committed again
    report = tasks_import(actor=actor, rows=read_jira_csv(cloud_export()), dry_run=False)
    # then nothing changes
    summary = report.as_json()["summary"]
    assert (summary["created"], summary["updated"], summary["error"]) == (0, 0, 0)
    assert summary["unchanged"] == len(versions)
    assert dict(Task.objects.for_org(org).values_list("external_key", "version")) == versions


def test_a_parent_found_by_id_is_no_error_whatever_its_title(org, plan, importer):
    # given a story whose parent (in the file) no goal is titled like, and a sub-task under it
    rows = read_jira_csv(
        jira_export(
            [
                Issue("P-1", "Some epic", "To Do", "Epic", issue_id="501"),
                Issue("P-2", "A story", parent="501", parent_summary="Some epic", issue_id="502"),
                Issue("P-3", "A sub-task", "Done", "Sub-task", parent="502", parent_summary="A story"),
            ]
        )
    )
    # when it is dry-run
    report = tasks_import(actor=importer(Role.LEAD), rows=rows)
    # then every row is imported, unlinked, the story and sub-task warned of the parent to map
    by_key = rows_by_key(report)
    assert [row["action"] for row in by_key.values()] == ["created", "created", "created"]
    assert by_key["P-2"]["warnings"] == [
        {
            "row": 3,
            "column": "Parent",
            "message": "The epic P-1 ('Some epic') links to no goal: map it to a goal on the import page "
            "(or in link_map) and import again. Until then the import does not link this task.",
        }
    ]
    assert by_key["P-3"]["warnings"][0]["column"] == "Parent"
    # and once the epic is mapped by its Issue id, the story and its sub-task link to the goal
    options = import_options(link_map={"501": {"initiative": plan.checkout.pk}})
    mapped = rows_by_key(tasks_import(actor=importer(Role.LEAD), rows=rows, options=options))
    assert mapped["P-1"]["action"] == "goal"
    assert {mapped[key]["link"]["id"] for key in ("P-2", "P-3")} == {plan.checkout.pk}
    assert not [
        warning
        for key in ("P-2", "P-3")
        for warning in mapped[key]["warnings"]
        if warning["column"] == "Parent"
    ]


def test_an_epic_link_by_key_and_a_parent_not_in_the_file(org, plan, importer):
    # given stories whose Epic Link is the key of an epic titled like a goal, and a story whose
    # parent is not in the file but whose Parent summary is a goal's title
    rows = read_jira_csv(
        jira_export(
            [
                Issue("E-1", "Faster builds", "In Progress", "Epic"),
                Issue("E-2", "Cache layers", epic_link="E-1"),
                Issue("E-3", "Shard tests", parent="99999", parent_summary="Grow revenue"),
            ]
        )
    )
    by_key = rows_by_key(tasks_import(actor=importer(Role.LEAD), rows=rows))
    assert (by_key["E-1"]["action"], by_key["E-1"]["link"]["id"]) == ("goal", plan.faster_builds.pk)
    assert by_key["E-2"]["link"]["id"] == plan.faster_builds.pk
    assert (by_key["E-3"]["link"]["kind"], by_key["E-3"]["link"]["id"]) == ("objective", plan.grow_revenue.pk)


def test_a_team_remembers_the_mapping_of_its_last_commit(org, plan, importer):
    # given a lead's commit into Growth with a status and an epic mapped
    actor = importer(Role.EXECUTIVE)
    issues = [
        Issue("M-1", "Mobile app v2", "Planned", "Epic", issue_id="700"),
        Issue("M-2", "Login screen", "Ready for QA", parent="700"),
    ]
    options = import_options(
        team=plan.growth.pk,
        status_map={"Ready for QA": "in_progress", "Planned": "todo"},
        link_map={"M-1": {"objective": plan.grow_revenue.pk}, "700": {"objective": plan.grow_revenue.pk}},
    )
    tasks_import(actor=actor, rows=read_jira_csv(jira_export(issues)), dry_run=False, options=options)
    remembered = TaskImportMapping.objects.for_org(org).get(team=plan.growth)
    assert remembered.status_map == {"ready for qa": "in_progress", "planned": "todo"}
    assert remembered.link_map == {
        "M-1": {"objective": plan.grow_revenue.pk},
        "700": {"objective": plan.grow_revenue.pk},
    }
    # when the next export of the team names them again, with no mapping given
    later = [Issue("M-3", "Signup screen", "READY FOR QA", parent="700")]
    report = tasks_import(
        actor=actor, rows=read_jira_csv(jira_export(later)), options=import_options(team=plan.growth.pk)
    )
    # then the remembered mapping applies; another team's import does not see it
    row = rows_by_key(report)["M-3"]
    assert (row["action"], row["link"]["id"]) == ("created", plan.grow_revenue.pk)
    other = tasks_import(
        actor=actor, rows=read_jira_csv(jira_export(later)), options=import_options(team=plan.platform.pk)
    )
    assert rows_by_key(other)["M-3"]["action"] == "error"


@pytest.mark.parametrize(
    "site",
    ["https://acme.atlassian.net", "https://acme.atlassian.net/", "https://acme.atlassian.net/browse/"],
)
def test_a_site_address_makes_one_browse_link(org, plan, importer, site):
    rows = read_jira_csv(jira_export([Issue("U-1", "Work")]))
    options = import_options(base_url=site)
    tasks_import(actor=importer(Role.LEAD), rows=rows, dry_run=False, options=options)
    assert Task.objects.for_org(org).get().external_url == "https://acme.atlassian.net/browse/U-1"


def test_the_exports_time_zone_is_chosen(org, plan, importer):
    rows = read_jira_csv(jira_export([Issue("T-1", "Work", "Done", resolved="18/Nov/26 2:35 PM")]))
    options = import_options(timezone="Europe/Paris")
    tasks_import(actor=importer(Role.LEAD), rows=rows, dry_run=False, options=options)
    assert Task.objects.for_org(org).get().completed_at == datetime(2026, 11, 18, 13, 35, tzinfo=UTC)


@pytest.mark.parametrize("estimate", ["1e27", "3.2e9", "1E+999999", "NaN", "12h", "-1"])
def test_an_estimate_that_cannot_be_taken_is_an_error_on_its_row_and_column(org, plan, importer, estimate):
    # given an estimate far too large, or not a number of seconds
    rows = read_jira_csv(
        jira_export([Issue("N-1", "Fine", estimate="3600"), Issue("N-2", "Odd", estimate=estimate)])
    )
    # when it is committed
    report = tasks_import(actor=importer(Role.LEAD), rows=rows, dry_run=False)
    # then that row is refused, naming its row and column, and the other imported
    errors = rows_by_key(report)["N-2"]["errors"]
    assert [(error["row"], error["column"]) for error in errors] == [(3, "Original Estimate")]
    assert list(Task.objects.for_org(org).values_list("external_key", flat=True)) == ["N-1"]


def test_the_queries_do_not_grow_with_the_rows_of_a_real_export(
    org, plan, importer, django_assert_max_num_queries
):
    actor = importer(Role.EXECUTIVE)
    rows = read_jira_csv(cloud_export())
    with django_assert_max_num_queries(20):
        tasks_import(actor=actor, rows=rows, dry_run=False, options=import_options(team=plan.growth.pk))


# --- GitHub Issues ---------------------------------------------------------------------------------


def gh_export() -> bytes:
    """What `gh issue list --json number,title,body,state,labels,milestone,assignees,url,createdAt,
    closedAt` writes."""
    issues = [
        {
            "number": 12, "title": "Speed up CI", "body": "Multi\nline", "state": "CLOSED",
            "labels": [{"id": "L1", "name": "bug", "description": "", "color": "d73a4a"}],
            "milestone": {"number": 1, "title": "Faster builds", "description": "", "dueOn": None},
            "assignees": [{"id": "U1", "login": "ada", "name": "Ada Lovelace"}],
            "url": "https://github.com/acme/shop/issues/12", "createdAt": "2026-11-01T10:00:00Z",
            "closedAt": "2026-11-18T14:35:00Z",
        },
        {
            "number": 13, "title": "Saved cards", "body": "", "state": "OPEN",
            "labels": [{"id": "L2", "name": "checkout"}], "milestone": None, "assignees": [],
            "url": "https://github.com/acme/shop/issues/13", "createdAt": "2026-11-02T10:00:00Z",
            "closedAt": None,
        },
        {
            "number": 14, "title": "Dark mode", "body": "", "state": "OPEN", "labels": [],
            "milestone": {"number": 2, "title": "v3.0"}, "assignees": [{"login": "octocat", "name": ""}],
            "url": "https://github.com/acme/shop/issues/14", "createdAt": "2026-11-03T10:00:00Z",
            "closedAt": None,
        },
    ]  # fmt: skip
    return json.dumps(issues).encode()


def test_a_github_issues_export_imports_with_milestones_and_labels_mapped_to_goals(org, plan, importer):
    # given a gh export: a milestone titled like an initiative, a label a lead maps, a milestone no goal has
    rows = read_upload(gh_export(), name="issues.json", content_type="application/json")
    assert rows.kind == "github_json"
    options = import_options(link_map={"checkout": {"initiative": plan.checkout.pk}})
    # when it is committed
    report = tasks_import(actor=importer(Role.EXECUTIVE), rows=rows, dry_run=False, options=options)
    # then each issue is a task, keyed by its repository and number, linked by milestone or label
    assert report.as_json()["summary"]["error"] == 0
    tasks = {task.external_key: task for task in Task.objects.for_org(org)}
    assert set(tasks) == {"acme/shop#12", "acme/shop#13", "acme/shop#14"}
    closed = tasks["acme/shop#12"]
    assert (closed.status, closed.completed_at, closed.initiative_id, closed.assignee_id) == (
        TaskStatus.DONE, datetime(2026, 11, 18, 14, 35, tzinfo=UTC), plan.faster_builds.pk, plan.ada.pk,
    )  # fmt: skip
    assert closed.external_url == "https://github.com/acme/shop/issues/12"
    assert tasks["acme/shop#13"].initiative_id == plan.checkout.pk
    # and the milestone no goal has is a warning naming it, listed to map
    row = rows_by_key(report)["acme/shop#14"]
    assert row["link"] is None
    assert "milestone" in [warning["column"] for warning in row["warnings"]]
    assert {"kind": "milestone", "refs": ["v3.0"], "label": "v3.0", "rows": 1, "goal": None} in (
        report.as_json()["to_map"]["parents"]
    )
    # and a second import changes nothing
    again = tasks_import(actor=importer(Role.EXECUTIVE), rows=rows, dry_run=False, options=options)
    assert again.as_json()["summary"]["unchanged"] == 3
