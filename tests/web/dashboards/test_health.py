"""The execution-health page: scores, their words, trends and parts, the gaps, and its empty states."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from execgap.models import Role
from scoring.models import ScoreSnapshot
from scoring.services import scores_recompute
from tests.factories import FeedbackItemFactory, ObjectiveFactory, TeamFactory
from tests.web.conftest import org_url, query_count
from tests.web.dashboards.conftest import WORKED_EXAMPLE_DATE, organization_of_size

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The page's text with the markup and runs of white space removed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).replace(" .", ".")


def _figure(html: str, key: str) -> str:
    """The chart figure with this id."""
    start = html.index(f'<figure class="chart-figure trend-figure" id="{key}">')
    return html[start : html.index("</figure>", start)]


def _section(response, key: str) -> str:
    html = response.content.decode()
    start = html.index(f'id="gaps-{key}"')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start : html.index("</section>", start)]))


@pytest.fixture
def worked_snapshot(worked_example):
    return scores_recompute(organization_id=worked_example.org.pk, as_of=WORKED_EXAMPLE_DATE)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_open_the_health_page(client, signed_in, org, worked_snapshot, role):
    # given a member of any role
    signed_in(role)
    # when they open the health page
    response = client.get(org_url("health", org))
    # then they see the organization's execution health
    assert response.status_code == 200
    assert "Execution health" in _text(response)
    assert "54.8" in _text(response)


def test_an_anonymous_visitor_is_sent_to_log_in(client, org):
    response = client.get(org_url("health", org))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_member_of_another_organization_finds_nothing(client, signed_in, org, other_org):
    # given an administrator of another organization
    signed_in(Role.ADMIN, other_org)
    # when they open this organization's health page, then it does not exist for them
    assert client.get(org_url("health", org)).status_code == 404


def test_the_scores_of_the_worked_example_with_their_words(client, signed_in, org, worked_snapshot):
    # given SCORING.md's worked example, computed
    signed_in(Role.EXECUTIVE)
    # when the health page is opened
    text = _text(client.get(org_url("health", org)))
    # then each score shows its value and its word (70 and up healthy, 50 and up watch, else at risk)
    assert "Execution health 54.8 / 100 Watch" in text
    assert "Alignment 27.6 / 100 At risk" in text
    assert "Resources 75.0 / 100 Healthy" in text
    assert "Adaptability 41.7 / 100 At risk" in text
    assert "People 75.0 / 100 Healthy" in text
    assert "Scores as of 1 Jan 2027" in text


def test_the_parts_of_each_score_in_plain_words(client, signed_in, org, worked_snapshot):
    # given the worked example (T = 14/38, F = 0.75; demand 50 + 3 h all covered; 2 of 6 fresh; ...)
    signed_in(Role.VIEWER)
    text = _text(client.get(org_url("health", org)))
    # then its numerators and denominators are said in words
    assert (
        "37% of the current effort traces to active goals: 14 of 38 hours "
        "(open work and work finished in the last 28 days)."
    ) in text
    assert "11 hours (2 tasks) serve no goal; 13 hours (3 tasks) serve goals that are not active." in text
    assert "split across the boardroom objectives 75% as the plan intends (priority fit)." in text
    assert (
        "The 2 active initiatives need 53 hours within their planning windows; 53 of them are staffed (100%)."
    ) in text
    assert "r1: 100% covered (weighs 75% of the plan)." in text
    assert "r2: 0% covered (weighs 25% of the plan)." in text
    assert (
        "1 person is allocated beyond their capacity; 0 people are spread over more than 3 initiatives."
        in text
    )
    assert "3.3 hours a week are allocated to work outside the live plan." in text
    assert "2 of 6 tracked goals (33%) had a check-in in the last 14 days." in text
    assert "1 of 2 blockers and risks raised 7 to 89 days ago (50%) got an answer within 7 days." in text
    assert "3 of 6 tracked goals (50%) have an active owner." in text
    assert "2 of 2 owners (100%) checked in during the last 14 days." in text


def test_each_score_links_to_what_drives_it(client, signed_in, org, worked_snapshot):
    signed_in(Role.MEMBER)
    html = client.get(org_url("health", org)).content.decode()
    for name in ("alignment", "resources", "plan_history", "feedback_list", "teams"):
        assert f'href="{org_url(name, org)}"' in html


def test_the_gaps_biggest_first(client, signed_in, org, worked_example, worked_snapshot):
    # given the worked example
    signed_in(Role.EXECUTIVE)
    w = worked_example
    response = client.get(org_url("health", org))
    # then the objectives furthest below their intended share come first: r2 (0% of 25%), c2 (29% of 37.5%)
    shares = _section(response, "shares")
    assert re.findall(
        r"\b(r2|c2|r1|c1) (\d+% of the aligned effort against \d+% intended: \d+ points below)", shares
    ) == [
        ("r2", "0% of the aligned effort against 25% intended: 25 points below"),
        ("c2", "29% of the aligned effort against 38% intended: 9 points below"),
    ]
    # and the objectives above it (over-invested, more than 5 points): c1 (71% of 37.5%), r1 (100% of 75%)
    above = _section(response, "over-invested")
    assert re.findall(
        r"\b(r1|c1) (\d+% of the aligned effort against \d+% intended: \d+ points above)", above
    ) == [
        ("c1", "71% of the aligned effort against 38% intended: 34 points above"),
        ("r1", "100% of the aligned effort against 75% intended: 25 points above"),
    ]
    # over-staffed: i1 (104.76 allocated for 50 → 54.76 more) before i3 (42.86 for 3 → 39.86 more)
    surplus = _section(response, "surplus")
    assert surplus.index("i1") < surplus.index("i3")
    assert "54.8 hours more than needed by 30 Jan 2027: 104.8 allocated for 50 hours of work." in surplus
    # the initiatives are covered; the live objectives nobody plans work for follow, heaviest first
    staffing = _section(response, "staffing")
    assert staffing.index("c2") < staffing.index("r2")
    assert "No active initiative plans work for this objective (38% of the plan)." in staffing
    # p2 is over capacity: 30 h a week on a capacity of 10
    people = _section(response, "people")
    assert "p2 30 hours a week allocated against a capacity of 10 (300% of it), on 2 initiatives." in people
    # four items are stale: those never checked in first (i3, then r1 and c2), then r2 (18 Dec)
    stale = _section(response, "stale")
    assert re.findall(r"\b(i3|r1|c2|r2|c1|i1)\b", stale) == ["i3", "r1", "c2", "r2"]
    assert "Objective last checked in on 18 Dec 2026, 14 days before 1 Jan (due every 14 days)." in stale
    assert "Check-ins overdue 4" in stale
    # the one blocker nobody acknowledged
    blockers = _section(response, "blockers")
    assert w.blocker_recent.text in blockers
    assert w.blocker_answered.text not in blockers
    # and each gap links to its page
    html = response.content.decode()
    assert f'href="{org_url("objective_detail", org, pk=w.r2.pk)}"' in html
    assert f'href="{org_url("initiative_detail", org, pk=w.i3.pk)}"' in html
    assert f'href="{org_url("feedback_detail", org, pk=w.blocker_recent.pk)}"' in html


def test_the_trend_draws_the_daily_snapshots(client, signed_in, org, worked_example):
    # given snapshots on three days of the last six weeks
    signed_in(Role.EXECUTIVE)
    for offset in (20, 10, 0):
        scores_recompute(organization_id=org.pk, as_of=WORKED_EXAMPLE_DATE - timedelta(days=offset))
    # when the page is opened
    html = client.get(org_url("health", org)).content.decode()
    # then each score's chart spans the 21 days from the first snapshot to the latest: its dates run
    # from the first day to the last, and each of the three days is a place to focus, named by its value
    first = ScoreSnapshot.objects.filter(organization=org).order_by("as_of").first()
    for key in ("execution_health", "alignment", "resources", "adaptability", "people"):
        chart = _figure(html, f"trend-{key}")
        assert chart.count('class="day" tabindex="0"') == 3
        assert ">12 Dec</text>" in chart
        assert ">1 Jan</text>" in chart
        # and carries its numbers in a table for screen readers, a row per day with a snapshot
        assert chart.count('<tr><th scope="row">') == 3
    assert f'aria-label="12 Dec 2026: Alignment {first.alignment:.1f}"' in html
    # and says in words how far each score moved since the first of those days
    latest = ScoreSnapshot.objects.filter(organization=org).order_by("as_of").last()
    difference = latest.alignment - first.alignment
    assert abs(difference) > 1
    direction = "Up" if difference > 0 else "Down"
    assert f"{direction} {abs(difference):.1f} points since 12 Dec (then {first.alignment:.1f})." in html


def test_the_scores_refresh_in_place_when_a_new_snapshot_lands(client, signed_in, org, worked_snapshot):
    signed_in(Role.VIEWER)
    html = client.get(org_url("health", org)).content.decode()
    fragment = re.search(r'<div id="health-scores"[^>]*>', html).group(0)
    assert 'hx-select="#health-scores"' in fragment
    assert 'hx-trigger="scores-updated from:body"' in fragment
    assert f'hx-get="{org_url("health", org)}"' in fragment


def test_before_the_first_snapshot_the_page_says_the_scores_are_coming(client, signed_in, org):
    # given an organization with an objective and an unanswered blocker, and no snapshot yet
    signed_in(Role.LEAD)
    ObjectiveFactory(organization=org)
    blocker = FeedbackItemFactory(organization=org, text="The test rig is down")
    # when the page is opened
    text = _text(client.get(org_url("health", org)))
    # then it says the scores are being computed, and shows what is known already
    assert "The scores are being computed for the first time." in text
    assert blocker.text in text


def test_a_new_organization_is_guided_to_its_first_objective_team_and_import(client, signed_in, org):
    # given an organization with a team but no objective, and its administrator
    signed_in(Role.ADMIN)
    team = TeamFactory(organization=org, name="Platform")
    # when they open the health page
    response = client.get(org_url("health", org))
    # then the guide offers the three first steps
    html = response.content.decode()
    assert "Get Acme started" in html
    assert f'href="{org_url("objective_create", org)}"' in html
    assert f'href="{org_url("settings", org)}"' in html
    assert f'href="{org_url("task_import", org, pk=team.pk)}"' in html


def test_the_guide_offers_a_viewer_no_step_they_may_not_take(client, signed_in, org):
    signed_in(Role.VIEWER)
    html = client.get(org_url("health", org)).content.decode()
    assert "Get Acme started" in html
    assert org_url("objective_create", org) not in html
    assert "cannot do this step" in html


def test_the_page_runs_the_same_queries_for_a_three_times_larger_organization(
    client, signed_in, org, other_org
):
    # given a small organization and one three times its size, each with its scores
    organization_of_size(org, 2)
    organization_of_size(other_org, 6)
    for organization in (org, other_org):
        scores_recompute(organization_id=organization.pk)
        scores_recompute(organization_id=organization.pk, as_of=WORKED_EXAMPLE_DATE)  # a second day
    signed_in(Role.LEAD)
    small = query_count(client, org_url("health", org))
    signed_in(Role.LEAD, other_org)
    large = query_count(client, org_url("health", other_org))
    # then the page reads the same number of queries, and few
    assert small == large
    assert large <= 25


def test_a_gap_whose_row_was_deleted_since_the_snapshot_has_no_link(
    client, signed_in, org, worked_example, worked_snapshot
):
    # given the worked example's snapshot, which names i3 among the stale items, and i3 deleted since
    signed_in(Role.EXECUTIVE)
    i3 = worked_example.i3
    url = org_url("initiative_detail", org, pk=i3.pk)
    i3.delete()
    # when the page is opened
    response = client.get(org_url("health", org))
    # then i3 is still listed, said to be deleted, with no link to a page that is gone
    assert "i3 (deleted since)" in _section(response, "stale")
    assert f'href="{url}"' not in response.content.decode()


def test_a_score_with_nothing_to_measure_says_so(client, signed_in, org):
    # given an organization with one active objective and no work, people or check-ins at all
    ObjectiveFactory(organization=org, title="Grow")
    scores_recompute(organization_id=org.pk)
    signed_in(Role.EXECUTIVE)
    # when the page is opened
    text = _text(client.get(org_url("health", org)))
    # then alignment cannot be measured, and the page says why in words rather than showing a number
    assert "Alignment — Not measurable yet" in text
    assert "No work in scope: no open task, and none finished in the last 28 days." in text
    assert "No active initiative plans work for the boardroom objectives." in text
    assert "No blocker or risk raised 7 to 89 days ago is waiting to be counted." in text
    assert "0 of 1 tracked goal (0%) has an active owner." in text
