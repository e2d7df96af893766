"""Linking one task to a goal from the alignment page: through `task_link_to_goal`, by role, with
htmx (the row and the scores status out of band) or as a plain form (redirect back)."""

from __future__ import annotations

import re

import pytest

from execgap.models import Role
from objectives.models import Task
from scoring.services import scores_recompute
from tests.conftest import person_of
from tests.factories import ObjectiveFactory, TaskFactory
from tests.scoring.conftest import WORKED_EXAMPLE_DATE
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def link_url(task) -> str:
    return org_url("task_link", task.organization, pk=task.pk)


def links_of(task) -> tuple[int | None, int | None]:
    task = Task.objects.get(pk=task.pk)
    return task.objective_id, task.initiative_id


def lead_of(team, membership):
    team.lead = person_of(membership)
    team.save()
    return membership


# Roles ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.ADMIN])
def test_an_executive_or_admin_links_any_task(client, signed_in, scored, role):
    # given an executive or admin, and x4 (misaligned: on the cancelled r3)
    signed_in(role, scored.org)
    # when they link x4 to c2
    response = client.post(link_url(scored.x4), {"goal": f"objective:{scored.c2.pk}"})
    # then x4 serves c2 (and no longer r3)
    assert response.status_code == 302
    assert links_of(scored.x4) == (scored.c2.pk, None)


def test_a_member_links_their_own_task(client, signed_in, scored):
    # given a member with a task of their own
    member = signed_in(Role.MEMBER, scored.org)
    mine = TaskFactory(organization=scored.org, title="Mine", assignee=person_of(member))
    # when they link it to the initiative i1
    response = client.post(link_url(mine), {"goal": f"initiative:{scored.i1.pk}"})
    # then it is linked
    assert response.status_code == 302
    assert links_of(mine) == (None, scored.i1.pk)


def test_a_member_may_not_link_someone_elses_task(client, signed_in, scored):
    # given a member, and x5 assigned to p1
    signed_in(Role.MEMBER, scored.org)
    # when they try to link x5
    response = client.post(link_url(scored.x5), {"goal": f"objective:{scored.c2.pk}"})
    # then they are refused and x5 stays unlinked
    assert response.status_code == 403
    assert links_of(scored.x5) == (None, None)


def test_a_lead_links_a_task_of_their_team(client, signed_in, scored):
    # given the lead of t0, and x3 (team t0, in the initiative i2 on hold)
    lead_of(scored.t0, signed_in(Role.LEAD, scored.org))
    # when they link x3 to c2
    response = client.post(link_url(scored.x3), {"goal": f"objective:{scored.c2.pk}"})
    # then x3 serves c2 instead of i2
    assert response.status_code == 302
    assert links_of(scored.x3) == (scored.c2.pk, None)


def test_a_lead_may_not_link_a_task_of_another_team(client, signed_in, scored):
    # given the lead of t1, and x3 of t0 (the team above t1, not one of theirs)
    lead_of(scored.t1, signed_in(Role.LEAD, scored.org))
    # when they try to link x3
    response = client.post(link_url(scored.x3), {"goal": f"objective:{scored.c2.pk}"})
    # then they are refused and x3 stays in i2
    assert response.status_code == 403
    assert links_of(scored.x3) == (None, scored.i2.pk)


def test_a_viewer_may_not_link_anything(client, signed_in, scored):
    # given a viewer
    signed_in(Role.VIEWER, scored.org)
    # when they try to link x5 (with htmx or without)
    plain = client.post(link_url(scored.x5), {"goal": f"objective:{scored.c2.pk}"})
    htmx = client.post(link_url(scored.x5), {"goal": f"objective:{scored.c2.pk}"}, **HTMX)
    # then both are refused and nothing changed
    assert plain.status_code == 403
    assert htmx.status_code == 403
    assert links_of(scored.x5) == (None, None)


# Organization isolation and bad input -------------------------------------------------------------


def test_another_organizations_task_is_not_found(client, signed_in, scored, other_org):
    # given a task of another organization
    theirs = TaskFactory(organization=other_org, title="Theirs")
    signed_in(Role.ADMIN, scored.org)
    # when an admin of this one posts a link for it on this organization's URL
    response = client.post(
        org_url("task_link", scored.org, pk=theirs.pk), {"goal": f"objective:{scored.c2.pk}"}
    )
    # then it does not exist here, and it is unchanged
    assert response.status_code == 404
    assert links_of(theirs) == (None, None)


def test_another_organizations_goal_is_refused_beside_the_select(client, signed_in, scored, other_org):
    # given an active objective of another organization
    theirs = ObjectiveFactory(organization=other_org, title="Their goal")
    signed_in(Role.EXECUTIVE, scored.org)
    # when it is posted as the goal of x5, with htmx
    response = client.post(link_url(scored.x5), {"goal": f"objective:{theirs.pk}"}, **HTMX)
    # then the row answers with the error beside its select (400, swapped in place), nothing changed
    assert response.status_code == 400
    html = response.content.decode()
    assert html.startswith(f'<tr id="task-{scored.x5.pk}"')
    assert "Select a valid choice" in html
    assert 'aria-invalid="true"' in html
    assert links_of(scored.x5) == (None, None)


@pytest.mark.parametrize("goal", ["r3", "c3", "i2", "i3"])
def test_a_goal_that_is_not_live_is_refused(client, signed_in, scored, goal):
    # given goals that would leave the task unaligned: r3 cancelled, c3 draft, i2 on hold, i3 for no
    # objective
    signed_in(Role.EXECUTIVE, scored.org)
    row = getattr(scored, goal)
    kind = "objective" if goal[0] in "rc" else "initiative"
    # when one is posted as x5's goal, without JavaScript
    response = client.post(link_url(scored.x5), {"goal": f"{kind}:{row.pk}"})
    # then the form page shows the error with the input kept, and nothing changed
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert links_of(scored.x5) == (None, None)


def test_no_goal_chosen_is_an_error_beside_the_select(client, signed_in, scored):
    signed_in(Role.EXECUTIVE, scored.org)
    # when the form is posted without a goal
    response = client.post(link_url(scored.x5), {"goal": ""}, **HTMX)
    # then it says so in the row
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert links_of(scored.x5) == (None, None)


# The answers --------------------------------------------------------------------------------------


def test_with_htmx_the_answer_is_the_linked_row_and_the_scores_status_out_of_band(client, signed_in, scored):
    # given an executive
    signed_in(Role.EXECUTIVE, scored.org)
    # when they link x5 to c2 with htmx
    response = client.post(link_url(scored.x5), {"goal": f"objective:{scored.c2.pk}"}, **HTMX)
    # then the answer is x5's row saying what it is linked to now and that it counts as aligned
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<tr id="task-{scored.x5.pk}"')
    assert "Linked to c2 (under r1)." in html
    assert "It now counts as aligned" in html
    assert "link-form" not in html
    # and the scores status comes along out of band, recomputing, polling against the snapshot shown
    status = re.search(r'<p id="scores-status".*?</p>', html, re.S)
    assert status
    assert 'hx-swap-oob="true"' in status.group(0)
    assert "Recomputing the scores" in status.group(0)
    assert f"?seen={scored.snapshot.pk}" in status.group(0)
    assert 'hx-trigger="every 2s"' in status.group(0)


def test_without_javascript_it_redirects_back_to_a_safe_next(client, signed_in, scored):
    signed_in(Role.EXECUTIVE, scored.org)
    back = org_url("alignment", scored.org) + f"?team={scored.t1.pk}"
    # when the form is posted with the page it came from
    response = client.post(link_url(scored.x5), {"goal": f"objective:{scored.c2.pk}", "next": back})
    # then it goes back there, saying what it did
    assert response.status_code == 302
    assert response["Location"] == back
    page = client.get(back).content.decode()
    assert "Linked “x5” to c2 (under r1). The scores update in a moment." in page


def test_an_unsafe_next_goes_to_the_alignment_page_instead(client, signed_in, scored):
    signed_in(Role.EXECUTIVE, scored.org)
    # when next points to another site
    response = client.post(
        link_url(scored.x5), {"goal": f"objective:{scored.c2.pk}", "next": "https://evil.example/"}
    )
    # then it goes to the alignment page
    assert response.status_code == 302
    assert response["Location"] == org_url("alignment", scored.org)


def test_the_form_has_a_page_of_its_own_for_a_plain_visit(client, signed_in, scored):
    # given the lead of t0
    lead_of(scored.t0, signed_in(Role.LEAD, scored.org))
    # when the lead opens the link page of x3
    response = client.get(link_url(scored.x3))
    # then it explains the task's state and offers the goals under a label
    assert response.status_code == 200
    html = response.content.decode()
    assert "It is misaligned: Its initiative “i2” is on hold." in html
    assert f'<label for="link-{scored.x3.pk}-goal">Goal</label>' in html


def test_linking_raises_the_alignment_score_once_recomputed(client, signed_in, scored):
    # given the worked example (alignment 27.63) and an executive
    signed_in(Role.EXECUTIVE, scored.org)
    # when x5 (orphan, 8 h) is linked to c2 and the scores are recomputed
    client.post(link_url(scored.x5), {"goal": f"objective:{scored.c2.pk}"}, **HTMX)
    scores_recompute(organization_id=scored.org.pk, as_of=WORKED_EXAMPLE_DATE)
    # then aligned is 14 + 8 = 22 of 38 h, all under r1 so F stays 0.75:
    # 100 × 22/38 × 0.75 = 43.42; t1 has 18 h, all aligned now: 100
    html = client.get(org_url("alignment", scored.org)).content.decode()
    assert re.search(r'id="alignment-score-value">43\.4<', html)
    assert "Orphan: 3 h (1 task)" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "t1 18 0 0 18 100" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert f'id="task-{scored.x5.pk}"' not in html
