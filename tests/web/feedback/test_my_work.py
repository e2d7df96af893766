"""My work: my tasks and the goals they serve, my check-ins due, my feedback and its answers, my
recognitions — mine only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from execgap.models import Role
from feedback.models import FeedbackStatus
from objectives.models import InitiativeStatus, TaskStatus
from tests.conftest import person_of
from tests.factories import (
    CheckInFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
    RecognitionFactory,
    TaskFactory,
)
from tests.web.conftest import org_url
from tests.web.feedback.conftest import blocker_on

pytestmark = pytest.mark.django_db


def _page(client, org) -> str:
    response = client.get(org_url("my_work", org))
    assert response.status_code == 200
    return response.content.decode()


def test_my_tasks_show_the_chain_of_goals_they_serve_and_no_one_elses(client, signed_in, org):
    # given a task of mine under an initiative of a child objective, and a colleague's task
    me = person_of(signed_in(Role.MEMBER))
    root = ObjectiveFactory(organization=org, title="Grow revenue")
    child = ObjectiveFactory(organization=org, title="Win mid-market", parent=root)
    initiative = InitiativeFactory(organization=org, title="Partner programme", objective=child)
    TaskFactory(organization=org, title="Draft partner contract", assignee=me, initiative=initiative)
    TaskFactory(organization=org, title="Unlinked chore", assignee=me)
    TaskFactory(organization=org, title="Finished thing", assignee=me, status=TaskStatus.DONE)
    TaskFactory(organization=org, title="Colleague's task", assignee=PersonFactory(organization=org))
    # when I open my work
    page = _page(client, org)
    # then my open tasks are there with the chain from the boardroom objective down
    assert "Draft partner contract" in page
    assert "Unlinked chore" in page
    chain = page[page.index("Draft partner contract") : page.index("Unlinked chore")]
    assert chain.index("Grow revenue") < chain.index("Win mid-market") < chain.index("Partner programme")
    assert "Not linked to a goal" in page
    # and neither finished tasks nor anyone else's
    assert "Finished thing" not in page
    assert "Colleague&#x27;s task" not in page
    assert "Colleague's task" not in page


def test_my_check_ins_due_are_the_items_i_own_without_a_fresh_check_in(client, signed_in, org):
    # given (owners with an email, as the reminder needs) items I own: a stale initiative, a fresh one,
    # a stale objective with a key result; and a stale initiative of someone else
    me = person_of(signed_in(Role.MEMBER))
    me.email = "me@example.com"
    me.save()
    stale = InitiativeFactory(organization=org, title="Stale initiative", owner=me)
    fresh = InitiativeFactory(organization=org, title="Fresh initiative", owner=me)
    CheckInFactory(organization=org, initiative=fresh, author=me, date=timezone.now().date())
    objective = ObjectiveFactory(organization=org, title="Stale objective", owner=me)
    key_result = KeyResultFactory(organization=org, objective=objective, title="Churn below 2%")
    InitiativeFactory(organization=org, title="Paused initiative", owner=me, status=InitiativeStatus.ON_HOLD)
    other = PersonFactory(organization=org, email="other@example.com")
    InitiativeFactory(organization=org, title="Someone else's initiative", owner=other)
    # when I open my work
    page = _page(client, org)
    # then my stale items are offered a check-in: the initiative itself, the objective through its key result
    due = page[page.index("Check-ins due") : page.index("My open tasks")]
    check_in = org_url("check_in_create", org)
    assert "Stale initiative" in due
    assert f"{check_in}?initiative={stale.pk}" in due
    assert "Stale objective" in due
    assert f"{check_in}?key_result={key_result.pk}" in due
    # and neither fresh nor untracked items, nor anyone else's
    assert "Fresh initiative" not in due
    assert "Paused initiative" not in due
    assert "Someone else" not in due


def test_the_feedback_i_raised_shows_its_answer(client, signed_in, org):
    # given my blocker, acknowledged with a response, and a colleague's feedback
    me = person_of(signed_in(Role.MEMBER))
    acknowledged_at = timezone.now() - timedelta(days=1)
    FeedbackItemFactory(
        organization=org, author=me, text="Staging is down", status=FeedbackStatus.ACKNOWLEDGED,
        acknowledged_at=acknowledged_at, response="Ops are on it",
    )  # fmt: skip
    FeedbackItemFactory(organization=org, author=PersonFactory(organization=org), text="Not mine at all")
    # when I open my work
    page = _page(client, org)
    # then my feedback shows its status in words, when it was acknowledged and the response
    assert "Staging is down" in page
    assert "Acknowledged" in page
    assert "Ops are on it" in page
    assert acknowledged_at.strftime("%Y-%m-%d") in page
    assert "Not mine at all" not in page


def test_recognitions_i_gave_and_got_are_shown_and_no_others(client, signed_in, org):
    # given recognitions to me, from me, and between two colleagues
    me = person_of(signed_in(Role.MEMBER))
    ana, bo = PersonFactory(organization=org, name="Ana"), PersonFactory(organization=org, name="Bo")
    RecognitionFactory(organization=org, from_person=ana, to_person=me, message="Great demo")
    RecognitionFactory(organization=org, from_person=me, to_person=bo, message="Thanks for the review")
    RecognitionFactory(organization=org, from_person=ana, to_person=bo, message="Between others")
    # when I open my work
    page = _page(client, org)
    # then what I got and what I gave are shown, each in its section
    got = page[page.index("Recognitions I got") : page.index("Recognitions I gave")]
    gave = page[page.index("Recognitions I gave") :]
    assert "Great demo" in got
    assert "From Ana" in got
    assert "Thanks for the review" in gave
    assert "To Bo" in gave
    assert "Between others" not in page


def test_a_member_without_a_person_record_is_told_so_and_offered_nothing_personal(client, signed_in, org):
    # given a member whose account is linked to no person, and tasks of others
    signed_in(Role.MEMBER, person=False)
    TaskFactory(organization=org, title="Someone's task", assignee=PersonFactory(organization=org))
    # when they open my work
    page = _page(client, org)
    # then they are told why it is empty, and offered no personal action
    assert "no person record" in page
    assert "Someone" not in page
    assert org_url("check_in_create", org) not in page
    assert org_url("recognition_create", org) not in page


def test_a_viewer_is_offered_no_writing_action(client, signed_in, org):
    # given a viewer with a person record
    signed_in(Role.VIEWER)
    # when they open my work
    page = _page(client, org)
    # then it offers neither raising feedback nor recognizing
    assert org_url("feedback_create", org) not in page
    assert org_url("recognition_create", org) not in page


def test_a_member_is_offered_to_raise_a_blocker_and_recognize(client, signed_in, org):
    # given a member
    signed_in(Role.MEMBER)
    # when they open my work
    page = _page(client, org)
    # then the ways to raise a blocker and to recognize a colleague are there
    assert f"{org_url('feedback_create', org)}?kind=blocker" in page
    assert "Raise blocker" in page
    assert org_url("recognition_create", org) in page


def test_a_lead_sees_the_open_feedback_of_their_team_waiting_for_an_answer(client, org, team, other_team):
    # given open, acknowledged and other teams' feedback
    blocker_on(team, text="Our open blocker")
    blocker_on(team, text="Our acknowledged blocker", status=FeedbackStatus.ACKNOWLEDGED)
    blocker_on(other_team, text="Their open blocker")
    client.force_login(team.lead.user)
    # when the lead opens my work
    page = _page(client, org)
    # then only their team's open feedback waits for their answer, with a link to answer it
    waiting = page[page.index("Waiting for your answer") : page.index("Check-ins due")]
    assert "Our open blocker" in waiting
    assert "Our acknowledged blocker" not in waiting
    assert "Their open blocker" not in waiting


def test_an_executive_sees_all_open_feedback_waiting_for_an_answer(client, signed_in, org, team):
    # given open feedback of a team and about nothing in particular
    blocker_on(team, text="A team's blocker")
    FeedbackItemFactory(organization=org, kind="idea", text="An idea for everyone")
    signed_in(Role.EXECUTIVE)
    # when an executive opens my work
    page = _page(client, org)
    # then both wait for their answer, the blocker first
    waiting = page[page.index("Waiting for your answer") : page.index("Check-ins due")]
    assert waiting.index("A team&#x27;s blocker") < waiting.index("An idea for everyone")


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
def test_members_and_viewers_have_nothing_to_answer(client, signed_in, org, team, role):
    # given open feedback
    blocker_on(team, text="Open blocker")
    signed_in(role)
    # when they open my work
    page = _page(client, org)
    # then nothing waits for their answer
    assert "Waiting for your answer" not in page
    assert "Open blocker" not in page


def test_the_goals_my_tasks_serve_are_offered_a_check_in(client, signed_in, org):
    # given two of my tasks in one initiative and one on an objective, and a colleague's task elsewhere
    me = person_of(signed_in(Role.MEMBER))
    initiative = InitiativeFactory(organization=org, title="Partner programme")
    objective = ObjectiveFactory(organization=org, title="Lower churn")
    TaskFactory.create_batch(2, organization=org, assignee=me, initiative=initiative)
    TaskFactory(organization=org, assignee=me, objective=objective)
    TaskFactory(
        organization=org,
        assignee=PersonFactory(organization=org),
        initiative=InitiativeFactory(organization=org),
    )
    # when I open my work
    page = _page(client, org)
    # then each goal my tasks serve is offered once, with how many of my tasks serve it
    served = page[page.index("Goals your tasks serve") : page.index("My open tasks")]
    check_in = org_url("check_in_create", org)
    assert served.count(f"{check_in}?initiative={initiative.pk}") == 1
    assert "2 open tasks of yours" in served
    assert f"{check_in}?objective={objective.pk}" in served
    assert served.count("Check in</a>") == 2
    # and a blocker may be raised about it, so that its team's lead answers it
    assert f"{org_url('feedback_create', org)}?kind=blocker&amp;initiative={initiative.pk}" in served
