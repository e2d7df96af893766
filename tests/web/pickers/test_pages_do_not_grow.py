"""A form page lists none of the organization's people or goals: with 2,000 people and 2,000 goals it
is as large as with 20, and its queries do not grow either (the pickers read only what is chosen)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from alerts.models import AlertRule
from execgap.models import Organization, Role
from objectives.models import Initiative, Objective
from resources.models import Person, Team
from tests.conftest import person_of
from tests.factories import InitiativeFactory, TaskFactory, TeamFactory
from tests.web.conftest import org_url, query_count

pytestmark = pytest.mark.django_db


def add_rows(org: Organization, other: Team, count: int) -> None:
    """`count` more active people (half of them in the team `other`), objectives and initiatives."""
    start = Person.objects.for_org(org).count()
    Person.objects.bulk_create(
        Person(organization=org, name=f"Colleague {start + n:05d}", team=other if n % 2 else None)
        for n in range(count)
    )
    Objective.objects.bulk_create(
        Objective(organization=org, title=f"Objective {start + n:05d}", status="active") for n in range(count)
    )
    Initiative.objects.bulk_create(
        Initiative(organization=org, title=f"Initiative {start + n:05d}", status="active")
        for n in range(count)
    )


PAGES: list[tuple[str, Callable[..., dict[str, object]]]] = [
    ("task_create", lambda rows: {}),
    ("task_edit", lambda rows: {"pk": rows["task"].pk}),
    ("objective_create", lambda rows: {}),
    ("initiative_create", lambda rows: {}),
    ("allocation_create", lambda rows: {}),
    ("check_in_create", lambda rows: {}),
    ("feedback_create", lambda rows: {}),
    ("recognition_create", lambda rows: {}),
    ("settings_team_create", lambda rows: {}),
    ("settings_team_edit", lambda rows: {"pk": rows["team"].pk}),
    ("settings_person_create", lambda rows: {}),
    ("team_workspace", lambda rows: {"pk": rows["team"].pk}),
    ("alignment", lambda rows: {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=[name for name, _ in PAGES])
def test_a_form_page_renders_none_of_2000_people_and_goals(client, signed_in, org, name, kwargs):
    # given an admin who leads a team with a task (assigned to one of 20 colleagues)
    admin = signed_in(Role.ADMIN)
    team = TeamFactory(organization=org, name="Payments", lead=person_of(admin))
    other = TeamFactory(organization=org, name="Search")
    add_rows(org, other, 20)
    task = TaskFactory(
        organization=org, team=team, assignee=Person.objects.for_org(org).last(),
        initiative=InitiativeFactory(organization=org, title="Chosen initiative"),
    )  # fmt: skip
    url = org_url(name, org, **kwargs({"task": task, "team": team}))
    client.get(url)  # the session's first request does one-off work
    few_queries = query_count(client, url)
    few = client.get(url).content.decode()
    # when the organization grows to 2,000 people, objectives and initiatives
    add_rows(org, other, 1980)
    many_queries = query_count(client, url)
    many = client.get(url).content.decode()
    # then the page lists none of them: at most the one chosen, and it is no larger
    assert len(re.findall(r"Colleague \d{5}", many)) <= 1
    assert len(re.findall(r"(?:Objective|Initiative) \d{5}", many)) <= 1
    assert abs(len(many) - len(few)) < 200, (len(few), len(many))
    assert many_queries == few_queries


def _rule_of(org: Organization, team: Team) -> str:
    rule = AlertRule.objects.create(organization=org, name="Late", kind="forecast_late", team=team)
    return org_url("settings_alert_rule_edit", org, pk=rule.pk)


# Per page: its URL, and the URL of the page with one team chosen (a filter's, or a rule's).
TEAM_PAGES: list[tuple[str, Callable[[Organization], str], Callable[[Organization, Team], str]]] = [
    (
        "feedback_list",
        lambda org: org_url("feedback_list", org),
        lambda org, team: org_url("feedback_list", org) + f"?team={team.pk}",
    ),
    (
        "alert_list",
        lambda org: org_url("alert_list", org),
        lambda org, team: org_url("alert_list", org) + f"?team={team.pk}",
    ),
    (
        "alert_rule_form",
        lambda org: org_url("settings_alert_rule_create", org) + "?kind=forecast_late",
        _rule_of,
    ),
]


@pytest.mark.parametrize(
    ("name", "page_url", "chosen_url"), TEAM_PAGES, ids=[name for name, *_ in TEAM_PAGES]
)
def test_a_team_filter_or_field_lists_none_of_300_teams(client, signed_in, org, name, page_url, chosen_url):
    # given an admin on the page of an organization of 3 teams
    signed_in(Role.ADMIN)
    Team.objects.bulk_create(Team(organization=org, name=f"Squad {n:05d}") for n in range(3))
    url = page_url(org)
    client.get(url)  # the session's first request does one-off work
    few_queries = query_count(client, url)
    few = client.get(url).content.decode()
    # when the organization grows to 300 teams
    Team.objects.bulk_create(Team(organization=org, name=f"Squad {n:05d}") for n in range(3, 300))
    many_queries = query_count(client, url)
    many = client.get(url).content.decode()
    # then its team picker lists none of them, and the page is no larger
    assert re.findall(r"Squad \d{5}", many) == []
    assert abs(len(many) - len(few)) < 200, (len(few), len(many))
    assert many_queries == few_queries
    # and a team chosen is the one shown
    chosen = Team.objects.for_org(org).get(name="Squad 00150")
    shown = client.get(chosen_url(org, chosen)).content.decode()
    assert re.findall(r"Squad \d{5}", shown) == ["Squad 00150"]
