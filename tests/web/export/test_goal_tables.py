"""An objective's and an initiative's tables as CSV: the whole list the page's filters select, in the
page's order, with the page's role rule and tenancy, in as many queries whatever its length."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from execgap.models import Role
from execgap.web.export import csv as export_csv
from objectives.models import TaskStatus
from tests.factories import (
    AllocationFactory,
    CheckInFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
    TaskFactory,
)
from tests.web.conftest import org_url
from tests.web.export.downloads import column, download, download_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(org):
    """An objective with 30 tasks on it (27 open, due one a day, then one with no date, then 2 done)."""
    objective = ObjectiveFactory(organization=org, title="Win the north")
    for number in range(27):
        TaskFactory(
            organization=org,
            objective=objective,
            title=f"Open {number:02}",
            due_date=date(2030, 1, 1) + timedelta(number),
        )
    TaskFactory(organization=org, objective=objective, title="Open someday")
    TaskFactory.create_batch(2, organization=org, objective=objective, status=TaskStatus.DONE, title="Done")
    return objective


def test_the_tasks_download_is_every_task_past_the_first_page_in_the_pages_order(
    client, signed_in, org, goal
):
    # given a viewer and an objective with 30 tasks (the page shows 25)
    signed_in(Role.VIEWER)
    # when they download its tasks
    rows, response = download(client, org_url("objective_tasks_csv", org, pk=goal.pk))
    # then every task is there, open ones first by due date, under the page's headings
    assert rows[0] == [
        "Task",
        "Key",
        "Status",
        "Effort (hours)",
        "Assignee",
        "Team",
        "Due",
        "Through",
        "Link",
    ]
    titles = column(rows, "Task")
    assert titles == [f"Open {n:02}" for n in range(27)] + ["Open someday", "Done", "Done"]
    assert column(rows, "Due")[0] == "2030-01-01"
    assert column(rows, "Through")[0] == "Directly"
    # and the file is named after the organization, the objective, the table and the day
    assert (
        f'filename="acme-win-the-north-tasks-{date.today().isoformat()}.csv"'
        in response["Content-Disposition"]
    )


def test_the_tasks_download_keeps_the_pages_status_filter_and_search(client, signed_in, org, goal):
    # given a viewer on the objective's page, its tasks filtered to the done ones, or searched
    signed_in(Role.VIEWER)
    url = org_url("objective_tasks_csv", org, pk=goal.pk)
    # when they download the tasks with those parameters
    done, _ = download(client, url, {"tasks_status": "done"})
    searched, _ = download(client, url, {"tasks_q": "open 2", "tasks_cursor": "from-another-page"})
    # then only the tasks the page would list are there (the page's place left out)
    assert column(done, "Task") == ["Done", "Done"]
    assert column(searched, "Task") == [f"Open {n:02}" for n in range(20, 27)]


def test_an_unknown_status_is_refused_with_the_pages_message_and_nothing_downloaded(
    client, signed_in, org, goal
):
    # given a viewer
    signed_in(Role.VIEWER)
    # when they ask for the tasks of a status that is not one
    response = client.get(org_url("objective_tasks_csv", org, pk=goal.pk), {"tasks_status": "lost"})
    # then the answer is 400 naming it, and no file
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "“lost” is not a status of a task" in response.content.decode()


def test_a_cell_that_starts_like_a_formula_is_quoted(client, signed_in, org):
    # given tasks whose titles a spreadsheet would run as formulas
    objective = ObjectiveFactory(organization=org, title='=HYPERLINK("http://evil")')
    for title in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "Plain"):
        TaskFactory(organization=org, objective=objective, title=title, effort_hours=Decimal("-0"))
    signed_in(Role.VIEWER)
    # when the tasks are downloaded
    rows, response = download(client, org_url("objective_tasks_csv", org, pk=objective.pk))
    # then each such cell starts with an apostrophe (shown as text), and the others are as they are
    assert sorted(column(rows, "Task")) == sorted(["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "Plain"])
    # and the file's name keeps none of the formula
    assert 'filename="acme-hyperlinkhttpevil-tasks-' in response["Content-Disposition"]


def test_another_organizations_objective_is_not_found(client, signed_in, org, other_org):
    # given a viewer of one organization and an objective of another
    signed_in(Role.VIEWER)
    elsewhere = ObjectiveFactory(organization=other_org)
    TaskFactory(organization=other_org, objective=elsewhere, title="Secret")
    # when they ask for its tasks, through their organization's URL or the other's
    through_mine = client.get(org_url("objective_tasks_csv", org, pk=elsewhere.pk))
    through_theirs = client.get(org_url("objective_tasks_csv", other_org, pk=elsewhere.pk))
    # then neither exists for them
    assert through_mine.status_code == 404
    assert through_theirs.status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, org, goal):
    # given nobody signed in
    # when the tasks are asked for
    response = client.get(org_url("objective_tasks_csv", org, pk=goal.pk))
    # then the answer is the sign-in page
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_that_reads_the_page_downloads_its_tables(client, signed_in, org, goal, role):
    # given a member of any role (each reads the objective's page)
    signed_in(role)
    # when they download its tasks
    rows, _ = download(client, org_url("objective_tasks_csv", org, pk=goal.pk))
    # then they get them
    assert len(rows) == 31


def test_the_download_reads_in_chunks_a_bounded_number_of_queries_each(
    client, signed_in, org, goal, monkeypatch
):
    # given chunks of 10 rows, and the objective's 30 tasks
    monkeypatch.setattr(export_csv, "CHUNK_SIZE", 10)
    signed_in(Role.VIEWER)
    url = org_url("objective_tasks_csv", org, pk=goal.pk)
    download_queries(client, url)  # the first request of the session also saves its organization
    thirty = download_queries(client, url)
    # when 30 more tasks are added
    TaskFactory.create_batch(30, organization=org, objective=goal)
    sixty = download_queries(client, url)
    # then three more chunks cost three more queries, one each: never one per row
    assert sixty - thirty == 3


def test_the_check_ins_download_is_every_check_in_searched_by_note(client, signed_in, org):
    # given an objective with a key result and 15 check-ins (the page shows 10)
    objective = ObjectiveFactory(organization=org, title="Grow")
    key_result = KeyResultFactory(organization=org, objective=objective, title="Revenue")
    author = PersonFactory(organization=org, name="Ada")
    for day in range(15):
        CheckInFactory(
            organization=org,
            key_result=key_result,
            author=author,
            date=date(2030, 1, 1) + timedelta(day),
            value=Decimal(day),
            note="on track" if day % 2 else "slipping",
        )
    signed_in(Role.VIEWER)
    url = org_url("objective_check_ins_csv", org, pk=objective.pk)
    # when they download its check-ins, and those whose note says "slipping"
    every, _ = download(client, url)
    slipping, _ = download(client, url, {"check_ins_q": "slipping"})
    # then all 15 come, the latest first, with their key result and author; the search keeps 8
    assert len(every) == 16
    assert every[1][:4] == ["2030-01-15", "Ada", "Revenue", "14.0000"]
    assert len(slipping) == 9


def test_the_key_results_download_has_their_progress_and_latest_check_in(client, signed_in, org):
    # given an objective with a key result a quarter of the way to its target, checked in once
    objective = ObjectiveFactory(organization=org)
    key_result = KeyResultFactory(
        organization=org, objective=objective, title="NPS", start_value=Decimal(0), current_value=Decimal(25)
    )
    CheckInFactory(
        organization=org, key_result=key_result, date=date(2030, 2, 1), value=Decimal(25), confidence=7
    )
    signed_in(Role.VIEWER)
    # when the key results are downloaded
    rows, _ = download(client, org_url("objective_key_results_csv", org, pk=objective.pk))
    # then the row has its numbers
    assert rows[1][0] == "NPS"
    assert column(rows, "Progress (%)") == ["25.0"]
    assert column(rows, "Latest check-in") == ["2030-02-01"]
    assert column(rows, "Latest confidence (of 10)") == ["7"]


def test_the_objectives_below_and_initiatives_download_with_empty_scores_before_any(client, signed_in, org):
    # given an objective with two below it and an initiative, and no scores computed yet
    objective = ObjectiveFactory(organization=org)
    ObjectiveFactory(organization=org, parent=objective, title="Beta", priority_weight=Decimal(1))
    ObjectiveFactory(organization=org, parent=objective, title="Alpha", priority_weight=Decimal(2))
    InitiativeFactory(organization=org, objective=objective, title="Ship it")
    signed_in(Role.VIEWER)
    # when both tables are downloaded
    children, _ = download(client, org_url("objective_children_csv", org, pk=objective.pk))
    initiatives, _ = download(client, org_url("objective_initiatives_csv", org, pk=objective.pk))
    # then the rows come in the page's order, their scores empty
    assert column(children, "Objective") == ["Alpha", "Beta"]
    assert column(children, "Progress (%)") == ["", ""]
    assert column(initiatives, "Initiative") == ["Ship it"]


def test_the_people_allocated_download(client, signed_in, org):
    # given an initiative with two people allocated
    initiative = InitiativeFactory(organization=org, title="Ship it")
    AllocationFactory(
        organization=org,
        initiative=initiative,
        person=PersonFactory(organization=org, name="Bo"),
        hours_per_week=Decimal(8),
    )
    AllocationFactory(
        organization=org,
        initiative=initiative,
        person=PersonFactory(organization=org, name="Al"),
        hours_per_week=Decimal(4),
    )
    signed_in(Role.VIEWER)
    # when they are downloaded
    rows, _ = download(client, org_url("initiative_people_csv", org, pk=initiative.pk))
    # then by name, with their hours
    assert column(rows, "Person") == ["Al", "Bo"]
    assert column(rows, "Hours per week") == ["4.00", "8.00"]


def test_the_objective_page_links_each_table_to_its_download_with_the_pages_filters(
    client, signed_in, org, goal
):
    # given a viewer on the objective's page with its tasks searched, on their second page
    signed_in(Role.VIEWER)
    response = client.get(org_url("objective_detail", org, pk=goal.pk), {"tasks_q": "open"})
    # then the tasks' download link keeps the search
    html = response.content.decode()
    assert f'href="{org_url("objective_tasks_csv", org, pk=goal.pk)}?tasks_q=open"' in html
    assert "Download these tasks as CSV" in html
