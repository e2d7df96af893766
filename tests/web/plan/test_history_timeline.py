"""The plan history as a timeline: the scoring settings in it, the filters by goal, team, person and
kind of change, and the changes made together grouped as one change set."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest

from execgap.history import change_set
from execgap.models import Role
from execgap.services import organization_update
from objectives.services import (
    initiative_create,
    initiative_delete,
    key_result_create,
    objective_create,
    objective_update,
)
from resources.services import allocation_create
from tests.conftest import person_of
from tests.factories import ObjectiveFactory, PersonFactory, TeamFactory
from tests.web.conftest import org_url, query_count
from tests.web.paging import follow

pytestmark = pytest.mark.django_db

HISTORY = "Pages of the plan history"


@pytest.fixture
def timeline(org, executive, admin, other_org, member_of):
    """Payments' objective Grow (Ada's) with its key result ARR and initiative Checkout, on which Bo of
    Platform is staffed; Platform's objective Harden (Bo's) and its initiative Uptime, created together;
    an initiative Spare created and deleted; the cadence changed from 14 to 28 days by the admin; and
    another organization's changes."""
    t = SimpleNamespace()
    erin = person_of(executive)
    erin.name = "Erin"
    erin.save()
    alex = person_of(admin)
    alex.name = "Alex"
    alex.save()
    t.payments = TeamFactory(organization=org, name="Payments")
    t.platform = TeamFactory(organization=org, name="Platform")
    t.ada = PersonFactory(organization=org, name="Ada", team=t.payments)
    t.bo = PersonFactory(organization=org, name="Bo", team=t.platform)
    t.grow = objective_create(
        actor=executive, data={"title": "Grow", "team": t.payments, "owner": t.ada}, reason="Board ask"
    )
    objective_update(actor=executive, objective=t.grow, data={"priority_weight": Decimal(3)}, reason="")
    key_result_create(
        actor=executive, data={"objective": t.grow, "title": "ARR", "target_value": 100}, reason="Measure"
    )
    t.checkout = initiative_create(
        actor=executive, data={"title": "Checkout", "objective": t.grow, "team": t.payments}, reason=""
    )
    allocation_create(
        actor=executive,
        data={"person": t.bo, "initiative": t.checkout, "hours_per_week": Decimal(10)},
        reason="Staff it",
    )
    with change_set() as t.together:
        t.harden = objective_create(
            actor=executive, data={"title": "Harden", "team": t.platform, "owner": t.bo}, reason="Outages"
        )
        initiative_create(
            actor=executive,
            data={"title": "Uptime", "objective": t.harden, "team": t.platform},
            reason="Outages",
        )
    spare = initiative_create(actor=executive, data={"title": "Spare"}, reason="")
    initiative_delete(actor=executive, initiative=spare, reason="Descoped")
    organization_update(actor=admin, data={"checkin_cadence_days": 28}, reason="Monthly check-ins")
    stranger = member_of(Role.ADMIN, other_org)
    objective_create(actor=stranger, data={"title": "Their secret plan"}, reason="")
    organization_update(actor=stranger, data={"planning_horizon_days": 30})
    t.foreign = ObjectiveFactory(organization=other_org, title="Theirs")
    return t


def shown(response):
    return [(e.action, e.noun, e.revision.label) for g in response.context["groups"] for e in g.entries]


def get(client, org, **params):
    return client.get(org_url("plan_history", org), params)


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_change_of_the_scoring_settings_is_in_the_timeline(client, signed_in, org, timeline):
    # given the cadence changed from 14 to 28 days by Alex, the admin
    signed_in(Role.VIEWER)
    # when anyone opens the plan history
    response = get(client, org)
    # then it comes first, by Alex, with the setting from and to and the reason
    assert shown(response)[0] == ("changed", "scoring settings", "Scoring settings")
    text = text_of(response)
    assert "Alex Why: Monthly check-ins Changed the scoring settings" in text
    assert "Check-in cadence (days) 14 → to 28" in text
    # and another organization's settings never show
    assert "Planning horizon" not in text


def test_the_history_is_filtered_by_the_kind_of_item(client, signed_in, org, timeline):
    signed_in(Role.MEMBER)
    assert shown(get(client, org, kind="settings")) == [("changed", "scoring settings", "Scoring settings")]
    assert shown(get(client, org, kind="key_result")) == [("created", "key result", "ARR")]


def test_the_history_is_filtered_by_the_kind_of_change(client, signed_in, org, timeline):
    signed_in(Role.MEMBER)
    assert shown(get(client, org, action="deleted")) == [("deleted", "initiative", "Spare")]
    assert shown(get(client, org, action="changed")) == [
        ("changed", "scoring settings", "Scoring settings"),
        ("changed", "objective", "Grow"),
    ]


def test_an_objective_shows_its_own_changes_and_those_of_what_hangs_on_it(client, signed_in, org, timeline):
    # when the history is filtered by the objective Grow (with the goal picker's value)
    signed_in(Role.LEAD)
    response = get(client, org, goal=f"objective:{timeline.grow.pk}")
    # then it shows Grow's changes, its key result, its initiative and that initiative's staffing
    assert response.status_code == 200
    assert shown(response) == [
        ("created", "allocation", "Bo on Checkout"),
        ("created", "initiative", "Checkout"),
        ("created", "key result", "ARR"),
        ("changed", "objective", "Grow"),
        ("created", "objective", "Grow"),
    ]


def test_an_initiative_shows_its_changes_and_its_staffing(client, signed_in, org, timeline):
    signed_in(Role.LEAD)
    response = get(client, org, goal=f"initiative:{timeline.checkout.pk}")
    assert shown(response) == [
        ("created", "allocation", "Bo on Checkout"),
        ("created", "initiative", "Checkout"),
    ]


def test_a_team_shows_its_items_and_its_peoples_staffing(client, signed_in, org, timeline):
    # when the history is filtered by Platform
    signed_in(Role.MEMBER)
    response = get(client, org, team=timeline.platform.pk)
    # then the filters beyond the kinds are shown open, with the team chosen
    assert '<details class="history-more" open>' in response.content.decode()
    assert '<details class="history-more">' in get(client, org).content.decode()
    # and it shows Platform's objective and initiative, and Bo's staffing of Payments' Checkout
    assert shown(response) == [
        ("created", "initiative", "Uptime"),
        ("created", "objective", "Harden"),
        ("created", "allocation", "Bo on Checkout"),
    ]


def test_whose_item_shows_a_persons_goals_and_staffing(client, signed_in, org, timeline):
    signed_in(Role.MEMBER)
    assert shown(get(client, org, owner=timeline.ada.pk)) == [
        ("created", "key result", "ARR"),
        ("changed", "objective", "Grow"),
        ("created", "objective", "Grow"),
    ]
    assert shown(get(client, org, owner=timeline.bo.pk)) == [
        ("created", "objective", "Harden"),
        ("created", "allocation", "Bo on Checkout"),
    ]


def test_who_made_the_change_and_the_filters_combine(client, signed_in, org, admin, timeline):
    signed_in(Role.MEMBER)
    assert shown(get(client, org, changed_by=admin.user_id)) == [
        ("changed", "scoring settings", "Scoring settings")
    ]
    # a filter only plan rows can match leaves the settings out
    assert shown(get(client, org, changed_by=admin.user_id, team=timeline.payments.pk)) == []


def test_the_changes_made_together_are_one_group(client, signed_in, org, timeline):
    # when the history is opened
    signed_in(Role.VIEWER)
    groups = get(client, org).context["groups"]
    # then Harden and Uptime, created together, are one group with one reason; every other change
    # is a group of its own
    together = [group for group in groups if len(group.entries) > 1]
    assert len(together) == 1
    assert [entry.revision.label for entry in together[0].entries] == ["Uptime", "Harden"]
    assert together[0].summary == "1 initiative created, 1 objective created"
    assert together[0].reason == "Outages"
    assert together[0].user_name == "Erin"
    assert len(groups) == 9


def test_one_change_set_is_shown_on_its_own(client, signed_in, org, timeline):
    signed_in(Role.VIEWER)
    response = get(client, org, change_set=str(timeline.together))
    assert shown(response) == [("created", "initiative", "Uptime"), ("created", "objective", "Harden")]
    assert "Showing one change set" in text_of(response)


def test_a_group_cut_by_the_page_says_so_and_links_the_whole_change_set(
    client, signed_in, org, executive, monkeypatch
):
    # given pages of 2 and three changes made together, after one made alone
    monkeypatch.setattr("objectives.web.plan.history.HISTORY_PAGE_SIZE", 2)
    signed_in(Role.VIEWER)
    objective_create(actor=executive, data={"title": "Alone"})
    with change_set() as together:
        for title in ("A", "B", "C"):
            objective_create(actor=executive, data={"title": title})
    # when the first page and the next are read
    first = get(client, org)
    second = follow(client, first, HISTORY, "Older changes")
    # then the group goes on over both pages, each says so and links every change of the set
    (top,) = first.context["groups"]
    assert top.continues
    assert not top.continued
    continued, alone = second.context["groups"]
    assert continued.continued
    assert not continued.continues
    assert [e.revision.label for e in continued.entries] == ["A"]
    assert [e.revision.label for e in alone.entries] == ["Alone"]
    assert f'href="?change_set={together}"' in first.content.decode()
    assert f'href="?change_set={together}"' in second.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"goal": "objective:999999"}, "goal"),
        ({"goal": "team:1"}, "goal"),
        ({"action": "renamed"}, "action"),
        ({"kind": "task"}, "kind"),
        ({"change_set": "not-a-uuid"}, "change_set"),
        ({"since": "2026-12-05", "until": "2026-12-01"}, "until"),
    ],
)
def test_a_filter_that_is_not_understood_is_refused_and_not_applied(
    client, signed_in, org, timeline, params, field
):
    signed_in(Role.VIEWER)
    response = get(client, org, **params)
    assert response.status_code == 400
    assert field in response.context["filters"].errors
    assert len(shown(response)) == 10  # every change, unfiltered


def test_another_organizations_goal_team_or_person_is_not_a_filter_here(
    client, signed_in, org, other_org, timeline
):
    signed_in(Role.EXECUTIVE)
    foreign_team = TeamFactory(organization=other_org)
    foreign_person = PersonFactory(organization=other_org)
    for params in (
        {"goal": f"objective:{timeline.foreign.pk}"},
        {"team": foreign_team.pk},
        {"owner": foreign_person.pk},
    ):
        response = get(client, org, **params)
        assert response.status_code == 400, params
        assert "Their secret plan" not in response.content.decode()


def test_filtering_runs_without_script_and_in_place_with_htmx(client, signed_in, org, timeline):
    signed_in(Role.VIEWER)
    page = get(client, org).content.decode()
    form = re.search(r'<form method="get"[^>]*aria-label="Filter the plan history"[^>]*>', page).group(0)
    assert 'hx-get="' in form
    assert 'hx-select="#history-results"' in form
    assert 'hx-push-url="true"' in form
    # an htmx request answers the same page, whose results replace the old ones
    answer = client.get(org_url("plan_history", org), {"kind": "settings"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    results = answer.content.decode().split('<div id="history-results">', 1)[1]
    # with the way back to every change among them (the form is not swapped)
    assert f'<a href="{org_url("plan_history", org)}">Clear filters</a>' in results


def test_every_link_names_what_it_opens_in_its_visible_words(client, signed_in, org, timeline):
    # (axe's label-content-name-mismatch: a link's visible words begin its accessible name)
    signed_in(Role.VIEWER)
    html = get(client, org).content.decode()
    assert 'aria-label="Every change to' not in html
    assert 'its history<span class="visually-hidden"> (objective Grow)</span>' in html


def test_the_filtered_history_runs_as_many_queries_for_three_times_the_revisions(
    client, signed_in, org, executive
):
    # given a team's goals, with their owner, and a history of a page and more that then grows threefold
    signed_in(Role.VIEWER)
    team = TeamFactory(organization=org)
    owner = PersonFactory(organization=org, team=team)
    root = objective_create(actor=executive, data={"title": "Root", "team": team, "owner": owner})
    url = org_url("plan_history", org)
    params = f"?goal=objective:{root.pk}&team={team.pk}&owner={owner.pk}&action=created"
    client.get(url + params)  # the session's first request does one-off work

    def grow(n):
        for i in range(n):
            with change_set():
                initiative = initiative_create(
                    actor=executive,
                    data={"title": f"I{n}-{i}", "objective": root, "team": team, "owner": owner},
                )
                key_result_create(
                    actor=executive, data={"objective": root, "title": f"K{n}-{i}", "target_value": 1}
                )
                allocation_create(
                    actor=executive,
                    data={"person": owner, "initiative": initiative, "hours_per_week": Decimal(1)},
                )

    grow(9)  # a page and more
    few = query_count(client, url + params)
    grow(18)  # three times as many
    many = query_count(client, url + params)
    assert few == many
    assert many <= 30
