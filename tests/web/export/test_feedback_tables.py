"""The feedback list and my work as CSV: the feedback as the list filters it, and each of my lists,
mine only; the feedback waiting for an answer for those who answer it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from execgap.models import Role
from feedback.models import FeedbackKind, FeedbackStatus
from objectives.models import TaskStatus
from tests.conftest import person_of
from tests.factories import (
    FeedbackItemFactory,
    InitiativeFactory,
    ObjectiveFactory,
    PersonFactory,
    RecognitionFactory,
    TaskFactory,
    TeamFactory,
)
from tests.web.conftest import org_url
from tests.web.export.downloads import column, download, download_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback(org):
    """60 items (more than a page of 50): blockers, risks and ideas; the first two blockers resolved."""
    now = timezone.now()
    for number in range(60):
        FeedbackItemFactory(
            organization=org, text=f"Item {number:02}", created_at=now - timedelta(hours=number),
            kind=(FeedbackKind.BLOCKER, FeedbackKind.RISK, FeedbackKind.IDEA)[number % 3],
            status=FeedbackStatus.RESOLVED if number in (0, 3) else FeedbackStatus.OPEN,
        )  # fmt: skip


def test_the_feedback_download_is_every_item_unanswered_blockers_first(client, signed_in, org, feedback):
    # given a viewer
    signed_in(Role.VIEWER)
    # when they download the feedback
    rows, _ = download(client, org_url("feedback_list_csv", org))
    # then all 60 come: the open blockers first, the longest waiting first, then the rest newest first
    texts = column(rows, "Text")
    assert len(texts) == 60
    open_blockers = [f"Item {n:02}" for n in reversed(range(6, 60, 3))]
    assert texts[: len(open_blockers)] == open_blockers
    assert texts[len(open_blockers) : len(open_blockers) + 3] == ["Item 00", "Item 01", "Item 02"]


def test_the_feedback_download_keeps_the_lists_filters(client, signed_in, org, feedback):
    # given a viewer with the list filtered to the resolved blockers, or searched
    signed_in(Role.VIEWER)
    url = org_url("feedback_list_csv", org)
    # when they download it
    resolved, _ = download(client, url, {"kind": "blocker", "status": "resolved"})
    searched, _ = download(client, url, {"q": "Item 5"})
    # then only what the list shows is there
    assert column(resolved, "Text") == ["Item 00", "Item 03"]
    assert column(resolved, "Status") == ["Resolved", "Resolved"]
    assert sorted(column(searched, "Text")) == [f"Item {n}" for n in range(50, 60)]


def test_the_feedback_download_costs_a_query_per_chunk(client, signed_in, org, feedback, monkeypatch):
    # given chunks of 25 rows
    monkeypatch.setattr("execgap.web.export.csv.CHUNK_SIZE", 25)
    signed_in(Role.VIEWER)
    url = org_url("feedback_list_csv", org)
    download_queries(client, url)  # the first request of the session also saves its organization
    sixty = download_queries(client, url)
    # when 50 more items are raised
    FeedbackItemFactory.create_batch(50, organization=org)
    # then two more chunks cost two more queries
    assert download_queries(client, url) - sixty == 2


def test_my_tasks_download_is_my_open_tasks_only(client, signed_in, org):
    # given a member with three open tasks (one due soon), one done, and a colleague's task
    me = person_of(signed_in(Role.MEMBER))
    goal = InitiativeFactory(organization=org, title="Wizard")
    TaskFactory(organization=org, assignee=me, title="Later")
    TaskFactory(organization=org, assignee=me, title="Soon", due_date=date(2030, 1, 1), initiative=goal)
    TaskFactory(
        organization=org, assignee=me, title="Blocked", status=TaskStatus.BLOCKED, due_date=date(2030, 2, 1)
    )
    TaskFactory(organization=org, assignee=me, title="Finished", status=TaskStatus.DONE)
    TaskFactory(organization=org, assignee=PersonFactory(organization=org), title="Theirs")
    # when they download their tasks
    rows, response = download(client, org_url("my_work_tasks_csv", org))
    # then their open ones come, the soonest due first, each with its goal
    assert column(rows, "Task") == ["Soon", "Blocked", "Later"]
    assert column(rows, "Goal") == ["Wizard", "", ""]
    assert "acme-my-open-tasks-" in response["Content-Disposition"]


def test_my_recognitions_and_raised_feedback_downloads_are_mine(client, signed_in, org):
    # given a member who got one recognition, gave one, and raised one blocker on an objective
    me = person_of(signed_in(Role.MEMBER))
    colleague = PersonFactory(organization=org, name="Cleo")
    RecognitionFactory(organization=org, from_person=colleague, to_person=me, message="Great demo")
    RecognitionFactory(organization=org, from_person=me, to_person=colleague, message="Thanks for the review")
    RecognitionFactory(organization=org, message="Not about me")
    FeedbackItemFactory(
        organization=org,
        author=me,
        text="Staging is down",
        objective=ObjectiveFactory(organization=org, title="Grow"),
    )
    FeedbackItemFactory(organization=org, author=colleague, text="Not mine")
    # when they download each list
    received, _ = download(client, org_url("my_work_received_csv", org))
    given, _ = download(client, org_url("my_work_given_csv", org))
    raised, _ = download(client, org_url("my_work_raised_csv", org))
    # then each holds theirs only
    assert column(received, "Message") == ["Great demo"]
    assert column(given, "To") == ["Cleo"]
    assert column(raised, "Text") == ["Staging is down"]
    assert column(raised, "About") == ["Grow"]


def test_without_a_person_record_my_lists_download_empty(client, signed_in, org, feedback):
    # given a member of the organization with no person record
    signed_in(Role.MEMBER, person=False)
    # when they download their tasks
    rows, _ = download(client, org_url("my_work_tasks_csv", org))
    # then the file has its headings only
    assert len(rows) == 1


def test_the_feedback_to_answer_is_for_those_who_answer_it(client, signed_in, org, feedback):
    # given an executive, who answers every team's feedback
    signed_in(Role.EXECUTIVE)
    # when they download what waits for their answer
    rows, _ = download(client, org_url("my_work_to_answer_csv", org))
    # then the 58 open items come, blockers first
    assert len(rows) == 59
    assert column(rows, "Kind")[0] == "Blocker"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MEMBER])
def test_a_role_that_answers_no_feedback_cannot_download_it(client, signed_in, org, feedback, role):
    # given a viewer or a member (they answer no feedback)
    signed_in(role)
    # when they ask for the feedback waiting for an answer
    response = client.get(org_url("my_work_to_answer_csv", org))
    # then they are refused, with the reason
    assert response.status_code == 403


def test_my_work_links_each_list_to_its_download(client, signed_in, org):
    # given a member with an open task and a recognition
    me = person_of(signed_in(Role.MEMBER))
    TaskFactory(organization=org, assignee=me)
    RecognitionFactory(organization=org, to_person=me)
    # when they open my work
    html = client.get(org_url("my_work", org)).content.decode()
    # then the lists with rows offer their download, the empty ones do not
    assert "Download your open tasks as CSV" in html
    assert "Download the recognitions you got as CSV" in html
    assert "Download the recognitions you gave as CSV" not in html


def test_each_item_says_the_team_it_is_about_as_the_list_does(client, signed_in, org):
    # given feedback on an initiative of Platform, and on one without a team under Sales's objective
    platform, sales = (
        TeamFactory(organization=org, name="Platform"),
        TeamFactory(organization=org, name="Sales"),
    )
    FeedbackItemFactory(
        organization=org, text="Own team", initiative=InitiativeFactory(organization=org, team=platform)
    )
    sold = ObjectiveFactory(organization=org, team=sales)
    FeedbackItemFactory(
        organization=org,
        text="Objective's team",
        initiative=InitiativeFactory(organization=org, objective=sold),
    )
    signed_in(Role.VIEWER)
    # when the feedback is downloaded
    rows, _ = download(client, org_url("feedback_list_csv", org))
    # then each names its team
    teams = dict(zip(column(rows, "Text"), column(rows, "Team"), strict=True))
    assert teams == {"Own team": "Platform", "Objective's team": "Sales"}
