"""The alignment page: who may open it, the numbers it shows (worked by hand from SCORING.md), the
unaligned work largest first with a way to link each task, the filters, and its query count."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils.html import escape

from execgap.models import Role
from scoring.services import scores_recompute
from tests.factories import InitiativeFactory, ObjectiveFactory, PersonFactory, TaskFactory, TeamFactory
from tests.scoring.conftest import WORKED_EXAMPLE_DATE
from tests.web.conftest import ROLES, org_url, query_count
from tests.web.paging import follow

pytestmark = pytest.mark.django_db


def text_of(html: bytes) -> str:
    """The page's text with tags dropped and spaces collapsed (what a reader sees)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def row_of(html: bytes, element_id: str) -> str:
    match = re.search(rf'<tr id="{element_id}".*?</tr>', html.decode(), re.S)
    assert match, f"no row {element_id}"
    return match.group(0)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_read_the_alignment_page(client, signed_in, org, role):
    # given a member of any role
    signed_in(role)
    # when they open the page of an organization with no scores yet
    response = client.get(org_url("alignment", org))
    # then they see it, and it says the scores are not computed yet
    assert response.status_code == 200
    assert "Not computed yet" in text_of(response.content)


def test_the_organization_score_and_its_parts_in_words(client, signed_in, scored):
    # given SCORING.md's worked example scored for 2027-01-01
    signed_in(Role.VIEWER, scored.org)
    # when a viewer opens the page
    html = client.get(org_url("alignment", scored.org)).content
    text = text_of(html)
    # then: in scope 38 h; aligned x1 + x2 = 10 + 4 = 14 h (2 tasks); misaligned x3 + x4 + x8 =
    # 6 + 2 + 5 = 13 h (3 tasks); orphan x5 + x6 = 8 + 3 = 11 h (2 tasks). T = 14/38 = 36.8 %;
    # F = 1 − ½(|1 − 0.75| + |0 − 0.25|) = 0.75; alignment = 100 × 14/38 × 0.75 = 27.63.
    assert re.search(r'id="alignment-score-value">27\.6<', html.decode())
    assert "37% of the effort in scope (14 of 38 hours) traces to active goals" in text
    assert "Priority fit 75%" in text
    assert "Aligned: 14 h (2 tasks)" in text
    assert "Misaligned: 13 h (3 tasks)" in text
    assert "Orphan: 11 h (2 tasks)" in text
    # and the numbers refresh in place when a new snapshot lands
    assert 'id="alignment-scores"' in html.decode()
    assert 'hx-trigger="scores-updated from:body"' in html.decode()


def test_effort_by_class_per_team_adds_the_teams_below(client, signed_in, scored):
    # given the worked example: t1 (under t0) has x1 (team t1, aligned 10 h) and x5 (its assignee p1
    # is in t1, orphan 8 h); t0 itself has x3 (misaligned 6 h). With no team: x2 aligned 4 h, x4 2 h
    # and x8 5 h misaligned, x6 orphan 3 h.
    signed_in(Role.VIEWER, scored.org)
    # when the page is read
    text = text_of(client.get(org_url("alignment", scored.org)).content)
    # then t1: 10 aligned, 0 misaligned, 8 orphan, 18 in all, team alignment 10/18 = 55.6
    assert "t1 10 0 8 18 55.6" in text
    # and t0 with t1: 10, 6, 8, 24 in all, 10/24 = 41.7
    assert "t0 10 6 8 24 41.7" in text
    # and the work of no team: 4, 7, 3, 14
    assert "No team 4 7 3 14" in text
    # and each bar says its numbers in words
    assert (
        'aria-label="t1: aligned 10h, misaligned 0h, orphan 8h"'
        in client.get(org_url("alignment", scored.org)).content.decode()
    )


def test_the_unaligned_work_comes_largest_first_with_its_reason(client, signed_in, scored):
    # given the worked example
    signed_in(Role.EXECUTIVE, scored.org)
    # when an executive opens the page
    html = client.get(org_url("alignment", scored.org)).content.decode()
    # then the orphan and misaligned tasks come by effort: x5 8 h, x3 6 h, x8 5 h, x6 3 h, x4 2 h
    order = [int(pk) for pk in re.findall(r'<tr id="task-(\d+)"', html)]
    assert order == [scored.x5.pk, scored.x3.pk, scored.x8.pk, scored.x6.pk, scored.x4.pk]
    assert "5 tasks (24 hours in all) do not trace to an active goal" in text_of(html.encode())
    # and each says why in words
    assert "Its initiative “i2” is on hold." in row_of(html.encode(), f"task-{scored.x3.pk}")
    assert "Objective “c3” is draft." in row_of(html.encode(), f"task-{scored.x8.pk}")
    assert "Objective “r3” is cancelled." in row_of(html.encode(), f"task-{scored.x4.pk}")
    assert "Its initiative “i3” serves no objective." in row_of(html.encode(), f"task-{scored.x6.pk}")
    assert "Linked to no objective or initiative." in row_of(html.encode(), f"task-{scored.x5.pk}")


def test_each_row_offers_the_live_goals_with_a_labelled_picker_and_named_button(client, signed_in, scored):
    # given the worked example: live objectives r1, r2, c1, c2; i1 is the one active initiative of a
    # live objective (i2 is on hold, i3 serves no objective; r3 is cancelled, c3 a draft)
    signed_in(Role.EXECUTIVE, scored.org)
    # when the page is read, and the row's picker is asked for every goal (Find, without JavaScript)
    row = row_of(client.get(org_url("alignment", scored.org)).content, f"task-{scored.x5.pk}")
    found = client.post(org_url("task_link", scored.org, pk=scored.x5.pk), {"_find": "goal", "goal__q": ""})
    # then the row has a form to link x5, its search box labelled and its button named; it lists no
    # goal until asked, and then exactly the live goals
    assert f'<label class="visually-hidden" for="link-{scored.x5.pk}-goal">Goal for “x5”</label>' in row
    assert f'id="link-{scored.x5.pk}-goal"' in row
    assert 'aria-label="Link x5 to a goal"' in row
    assert re.findall(r'<option value="([a-z]+:\d+)"', row) == []
    assert found.status_code == 200
    offered = set(re.findall(r'<option value="([a-z]+:\d+)"', found.content.decode()))
    assert offered == {
        *(f"objective:{o.pk}" for o in (scored.r1, scored.r2, scored.c1, scored.c2)),
        f"initiative:{scored.i1.pk}",
    }


def test_a_viewer_sees_the_work_but_no_link_form(client, signed_in, scored):
    # given a viewer
    signed_in(Role.VIEWER, scored.org)
    # when they open the page
    html = client.get(org_url("alignment", scored.org)).content.decode()
    # then they see the work and who can link it, but no form
    assert f'id="task-{scored.x5.pk}"' in html
    assert "link-form" not in html
    assert "Its assignee, a lead of its team or an executive can link it." in html


def test_a_lead_gets_a_form_only_on_the_rows_of_their_team(client, signed_in, scored):
    # given the lead of t0 (their teams: t0 and t1)
    lead = signed_in(Role.LEAD, scored.org)
    scored.t0.lead = lead.user.people.get()
    scored.t0.save()
    # when they open the page
    html = client.get(org_url("alignment", scored.org)).content
    # then x3 (team t0) has a form; x4 (no team, no goal with a team) has none
    assert "link-form" in row_of(html, f"task-{scored.x3.pk}")
    assert "link-form" not in row_of(html, f"task-{scored.x4.pk}")


def test_the_filters_narrow_the_work_to_a_team_and_a_class(client, signed_in, scored):
    signed_in(Role.VIEWER, scored.org)
    # when the work is filtered to t1
    html = client.get(org_url("alignment", scored.org), {"team": scored.t1.pk}).content.decode()
    # then only x5 (orphan, t1 through its assignee) is left, and the team table shows t1 only
    assert re.findall(r'<tr id="task-(\d+)"', html) == [str(scored.x5.pk)]
    assert "1 task (8 hours in all) does not trace to an active goal in t1 and the teams below it." in (
        text_of(html.encode())
    )
    assert "t0 10.0" not in text_of(html.encode())
    # when it is filtered to misaligned work
    html = client.get(org_url("alignment", scored.org), {"class": "misaligned"}).content.decode()
    # then x3, x8, x4 are left, largest first
    assert [int(pk) for pk in re.findall(r'<tr id="task-(\d+)"', html)] == [
        scored.x3.pk,
        scored.x8.pk,
        scored.x4.pk,
    ]


def test_another_organizations_team_in_the_filter_is_a_field_error(client, signed_in, scored, other_org):
    # given a team of another organization
    stranger = TeamFactory(organization=other_org, name="Their team")
    signed_in(Role.VIEWER, scored.org)
    # when it is given as the filter
    response = client.get(org_url("alignment", scored.org), {"team": stranger.pk})
    # then the filter is refused beside its field and nothing of theirs is shown
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "Their team" not in response.content.decode()


def test_the_work_list_is_bounded_and_says_how_many_there_are(client, signed_in, org):
    # given 30 orphan tasks of 1 h to 30 h (no snapshot yet: the work is read at today's date)
    for hours in range(1, 31):
        TaskFactory(organization=org, title=f"Chore {hours}", effort_hours=Decimal(hours))
    signed_in(Role.VIEWER)
    # when the page is read
    html = client.get(org_url("alignment", org)).content
    # then the 25 largest are listed (30 h down to 6 h), and the total is said: 1 + … + 30 = 465 h
    assert len(re.findall(rb'<tr id="task-', html)) == 25
    assert "The 25 largest of 30 tasks (465 hours in all)" in text_of(html)
    assert "Chore 6<" in html.decode()
    assert "Chore 5<" not in html.decode()


def _grow(org, times: int) -> None:
    """`times` × (a team with a lead and a member, a live objective and its initiative, an orphan, a
    misaligned and an aligned task of that team)."""
    for n in range(times):
        team = TeamFactory(organization=org)
        team.lead = PersonFactory(organization=org, team=team)
        team.save()
        objective = ObjectiveFactory(organization=org, team=team)
        initiative = InitiativeFactory(organization=org, objective=objective, team=team)
        held = InitiativeFactory(organization=org, objective=objective, status="on_hold")
        TaskFactory(organization=org, team=team, effort_hours=Decimal(n + 1))
        TaskFactory(organization=org, team=team, initiative=held, assignee=team.lead)
        TaskFactory(organization=org, team=team, initiative=initiative)


@pytest.mark.parametrize("role", [Role.LEAD, Role.EXECUTIVE])
def test_the_page_runs_as_many_queries_for_three_times_the_rows(client, signed_in, org, role):
    # given a small organization, scored
    member = signed_in(role)
    lead_team = TeamFactory(organization=org, name="Mine", lead=member.user.people.get())
    TaskFactory(organization=org, team=lead_team)
    _grow(org, 3)
    scores_recompute(organization_id=org.pk, as_of=WORKED_EXAMPLE_DATE)
    client.get(org_url("alignment", org))  # the first visit also records the current organization
    small = query_count(client, org_url("alignment", org))
    # when it has three times the teams, goals and tasks (and a new snapshot)
    _grow(org, 6)
    scores_recompute(organization_id=org.pk, as_of=WORKED_EXAMPLE_DATE)
    large = query_count(client, org_url("alignment", org))
    # then the page runs the same number of queries, and few
    assert small == large
    assert large <= 20


def test_a_title_is_escaped(client, signed_in, org):
    # given an orphan task whose title looks like markup
    TaskFactory(organization=org, title="<b>urgent</b>", effort_hours=Decimal(1))
    signed_in(Role.EXECUTIVE)
    # when the page is read, then the title is shown as text
    html = client.get(org_url("alignment", org)).content.decode()
    assert escape("<b>urgent</b>") in html
    assert "<b>urgent</b>" not in html


def test_the_team_table_shows_25_teams_a_page(client, signed_in, org):
    # given 30 teams, scored
    for number in range(1, 31):
        TeamFactory(organization=org, name=f"Squad {number:02d}")
    scores_recompute(organization_id=org.pk, as_of=WORKED_EXAMPLE_DATE)
    signed_in(Role.VIEWER)
    # when a viewer opens the page
    first = client.get(org_url("alignment", org))
    # then the first page lists Squad 01 to 25 in tree order, and its pager leads to the other 5
    shown = re.findall(r">(Squad \d\d)</a>\s*</th>", first.content.decode())
    assert shown == [f"Squad {number:02d}" for number in range(1, 26)]
    second = follow(client, first, "Pages of teams", "Next page")
    assert re.findall(r">(Squad \d\d)</a>\s*</th>", second.content.decode()) == [
        f"Squad {number:02d}" for number in range(26, 31)
    ]
    # and a page past the last answers 400 with the last page and the reason
    past = client.get(org_url("alignment", org) + "?teams_page=9")
    assert past.status_code == 400
    assert "There is no page 9: page 2 is the last." in text_of(past.content)
