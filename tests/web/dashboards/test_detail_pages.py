"""The page of an objective and of an initiative: facts, numbers, the rows below, and the actions
offered only to the roles that may take them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from execgap.models import Role
from objectives.services import objective_update
from scoring.services import scores_recompute
from tests.conftest import person_of
from tests.factories import (
    AllocationFactory,
    CheckInFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    TaskFactory,
    TeamFactory,
)
from tests.web.conftest import org_url, query_count
from tests.web.dashboards.conftest import WORKED_EXAMPLE_DATE, organization_of_size

pytestmark = pytest.mark.django_db

PAGES = ("objective_detail", "initiative_detail")


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def worked(worked_example):
    scores_recompute(organization_id=worked_example.org.pk, as_of=WORKED_EXAMPLE_DATE)
    return worked_example


def _node(worked, name: str):
    return worked.c1 if name == "objective_detail" else worked.i1


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_open_the_page_of_a_node(client, signed_in, org, worked, role, name):
    signed_in(role)
    node = _node(worked, name)
    response = client.get(org_url(name, org, pk=node.pk))
    assert response.status_code == 200
    assert f"<h1>{node.title}</h1>" in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, org, worked, name):
    response = client.get(org_url(name, org, pk=_node(worked, name).pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", PAGES)
def test_a_node_of_another_organization_is_not_found(client, signed_in, org, other_org, name):
    # given a member of this organization, and an objective and an initiative of another one
    signed_in(Role.ADMIN)
    foreign = (
        ObjectiveFactory(organization=other_org)
        if name == "objective_detail"
        else InitiativeFactory(organization=other_org)
    )
    # when they open its page under their own organization, then it does not exist
    assert client.get(org_url(name, org, pk=foreign.pk)).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_a_member_of_another_organization_finds_nothing(client, signed_in, org, other_org, worked, name):
    signed_in(Role.ADMIN, other_org)
    assert client.get(org_url(name, org, pk=_node(worked, name).pk)).status_code == 404


def test_the_objective_page_shows_its_rows(client, signed_in, org, worked):
    # given the worked example's c1: key result k1 (0 → 100, at 40) checked in on 29 Dec, initiative i1
    # with task x1; and a later check-in on k1 with a value and a confidence
    w = worked
    CheckInFactory(
        organization=org,
        key_result=w.k1,
        author=w.p1,
        date=date(2026, 12, 30),
        value=Decimal(45),
        confidence=6,
    )
    signed_in(Role.VIEWER)
    # when its page is opened
    response = client.get(org_url("objective_detail", org, pk=w.c1.pk))
    text = _text(response)
    # then the breadcrumb leads up through r1; the key result shows its progress and latest check-in
    assert "Strategy map r1 c1" in text
    assert re.search(r"Key result \d+ 0 40 100 40% 30 Dec 2026: 45 , confidence 6 of 10", text)
    # its scores: progress 0.4, covered by i1, 10 of the 14 aligned hours against 37.5% intended
    assert "Progress: 40% done" in text
    assert "Effort share 71% against 38% intended" in text
    # its initiative and that initiative's task, and both check-ins, the latest first
    assert f'href="{org_url("initiative_detail", org, pk=w.i1.pk)}"' in response.content.decode()
    assert "x1 To do 10" in text
    assert text.index("30 Dec 2026 by p1") < text.index("29 Dec 2026 by p1")


def test_the_objective_page_shows_its_history_with_the_reason(client, signed_in, org, executive):
    # given an objective changed through the service, with a reason
    objective = ObjectiveFactory(organization=org, title="Win the north")
    objective_update(
        actor=executive,
        objective=objective,
        data={"title": "Win the north and east"},
        reason="Widened after Q3",
    )
    signed_in(Role.MEMBER)
    # when its page is opened
    text = _text(client.get(org_url("objective_detail", org, pk=objective.pk)))
    # then its history says what changed, who changed it and why
    assert "Changed on" in text
    assert f"by {executive.user.username}" in text
    assert "“Widened after Q3”" in text
    assert "Title: Win the north → Win the north and east" in text


def test_the_objective_page_lists_the_objectives_below_it(client, signed_in, org, worked):
    signed_in(Role.VIEWER)
    html = client.get(org_url("objective_detail", org, pk=worked.r1.pk)).content.decode()
    for child in (worked.c1, worked.c2, worked.c3):
        assert f'href="{org_url("objective_detail", org, pk=child.pk)}"' in html


def test_the_initiative_page_shows_its_forecast_at_the_recent_pace(client, signed_in, org, worked):
    # given i3 (no end date, 3 h open) with a task of 7 h done on 20 Dec 2026, inside the window
    TaskFactory(
        organization=org,
        initiative=worked.i3,
        status="done",
        effort_hours=Decimal(7),
        completed_at=datetime(2026, 12, 20, 12, tzinfo=UTC),
    )
    scores_recompute(organization_id=org.pk, as_of=WORKED_EXAMPLE_DATE)
    signed_in(Role.VIEWER)
    # when a viewer opens it: 7 h in 28 days = 0.25 h a day; 3 h left → 12 days → 13 Jan 2027
    text = _text(client.get(org_url("initiative_detail", org, pk=worked.i3.pk)))
    assert "it finishes on 13 Jan 2027." in text
    assert "(0.25 hours a day)" in text
    assert "after its end date" not in text


def test_the_initiative_page_shows_its_staffing_and_rows(client, signed_in, org, worked):
    # given the worked example's i1: p1 20 h a week, p2 20 h from 11 Jan; 104.76 h against 50 needed
    signed_in(Role.VIEWER)
    response = client.get(org_url("initiative_detail", org, pk=worked.i1.pk))
    text = _text(response)
    assert "for c1" in text
    assert "Strategy map r1 c1 i1" in text
    assert "Coverage: 100% covered: 104.8 hours allocated for the 50 it needs by 30 Jan 2027." in text
    # its signals: 54.76 h beyond the 50 it needs (said instead of "fully staffed"); none of its work
    # done in the last 28 days, so no forecast, and it has an end date
    assert "Over-staffed: 54.8 hours more than its work needs in its window." in text
    assert "Fully staffed." not in text
    assert (
        "Forecast: none, since none of its work was done in the last 28 days; at risk of missing its end "
        "date of 30 Jan 2027." in text
    )
    assert "p1 t1 20 open open" in text
    assert "p2 t0 20 11 Jan 2027 open" in text
    assert "x1 To do 10" in text
    assert "19 Dec 2026 by p2" in text


ACTIONS = {
    "objective_detail": ("objective_edit", "key_result_create", "initiative_create"),
    "initiative_detail": ("initiative_edit", "allocation_create"),
}


def _action_urls(org, name: str, node) -> list[str]:
    urls = []
    for action in ACTIONS[name]:
        if action == "key_result_create":
            urls.append(org_url(action, org, objective_pk=node.pk))
        elif action.endswith("_edit"):
            urls.append(org_url(action, org, pk=node.pk))
        else:
            urls.append(org_url(action, org))
    return urls


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (Role.ADMIN, True),
        (Role.EXECUTIVE, True),
        (Role.LEAD, False),
        (Role.MEMBER, False),
        (Role.VIEWER, False),
    ],
)
def test_plan_actions_are_offered_only_to_roles_that_may_take_them(
    client, signed_in, org, role, offered, name
):
    # given an objective and an initiative of a team the member does not lead
    team = TeamFactory(organization=org)
    objective = ObjectiveFactory(organization=org, team=team)
    node = (
        objective
        if name == "objective_detail"
        else InitiativeFactory(organization=org, team=team, objective=objective)
    )
    signed_in(role)
    # when they open its page
    html = client.get(org_url(name, org, pk=node.pk)).content.decode()
    # then the plan's actions are offered to the executive and the admin only
    for url in _action_urls(org, name, node):
        assert (f'href="{url}' in html) is offered, url


@pytest.mark.parametrize("name", PAGES)
def test_a_lead_may_change_their_own_teams_nodes(client, signed_in, org, name):
    # given a lead and an objective and an initiative of the team they belong to
    membership = signed_in(Role.LEAD)
    team = TeamFactory(organization=org)
    person = person_of(membership)
    person.team = team
    person.save()
    objective = ObjectiveFactory(organization=org, team=team)
    node = (
        objective
        if name == "objective_detail"
        else InitiativeFactory(organization=org, team=team, objective=objective)
    )
    # when they open its page, then they may change it
    html = client.get(org_url(name, org, pk=node.pk)).content.decode()
    for url in _action_urls(org, name, node):
        assert f'href="{url}' in html


@pytest.mark.parametrize(("role", "offered"), [(Role.MEMBER, True), (Role.VIEWER, False)])
def test_checking_in_is_offered_to_members_not_viewers(client, signed_in, org, role, offered):
    key_result = KeyResultFactory(organization=org)
    signed_in(role)
    html = client.get(org_url("objective_detail", org, pk=key_result.objective_id)).content.decode()
    assert (f"{org_url('check_in_create', org)}?key_result={key_result.pk}" in html) is offered
    assert (f"{org_url('task_create', org)}?objective={key_result.objective_id}" in html) is offered
    assert org_url("objective_edit", org, pk=key_result.objective_id) not in html


def _grown(org, scale: int):
    """An objective with `scale` times the key results, children, initiatives, allocations, tasks and
    check-ins, and one of its initiatives."""
    built = organization_of_size(org, scale)
    root = built.objectives[0]
    for extra in built.objectives[1:]:
        if extra.parent_id is None:
            extra.parent = root
            extra.save()
    for initiative in built.initiatives:
        initiative.objective = root
        initiative.save()
        AllocationFactory(organization=org, initiative=built.initiatives[0])
    scores_recompute(organization_id=org.pk)
    return root, built.initiatives[0]


@pytest.mark.parametrize("name", PAGES)
def test_the_page_runs_the_same_queries_for_three_times_the_rows(client, signed_in, org, other_org, name):
    small_objective, small_initiative = _grown(org, 2)
    large_objective, large_initiative = _grown(other_org, 6)
    signed_in(Role.LEAD)
    small = query_count(
        client,
        org_url(name, org, pk=(small_objective if name == "objective_detail" else small_initiative).pk),
    )
    signed_in(Role.LEAD, other_org)
    large = query_count(
        client,
        org_url(name, other_org, pk=(large_objective if name == "objective_detail" else large_initiative).pk),
    )
    assert small == large
    assert large <= 30  # the frame, the facts and scores, and each list: its page's keys, then its rows
