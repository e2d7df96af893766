"""The scenarios pages read the same number of queries whatever the number of scenarios or changes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from execgap.models import Role
from scenarios.models import ChangeKind, Scenario
from scenarios.services import change_add, scenario_create
from tests.factories import AllocationFactory, InitiativeFactory, PersonFactory
from tests.web.conftest import org_url, query_count

pytestmark = pytest.mark.django_db


def warm_count(client, url: str) -> int:
    """The queries of a page opened a second time (the first also writes the session)."""
    client.get(url)
    return query_count(client, url)


def test_the_list_does_not_grow_with_the_scenarios(
    client, signed_in, org, plan, drafted, django_assert_num_queries
):
    # given one scenario, and the queries of the list
    executive = signed_in(Role.EXECUTIVE)
    drafted(executive)
    url = org_url("scenarios", org)
    one = warm_count(client, url)
    # when there are 24 more, evaluated, with changes, by other authors
    for number in range(24):
        author = executive if number % 2 else signed_in(Role.LEAD)
        Scenario.objects.create(
            organization=org,
            name=f"S{number}",
            created_by=author.user,
            evaluation={"scores": {"execution_health": {"difference": 1.5}}},
        )
    drafted(executive, name="Two changes", changes=2)
    client.force_login(executive.user)
    client.get(url)
    # then the full page reads as many queries as with one
    with django_assert_num_queries(one):
        assert client.get(url).status_code == 200


def _editor_queries(client, org, scenario) -> int:
    return warm_count(client, org_url("scenarios_detail", org, pk=scenario.pk))


def test_the_editor_does_not_grow_with_the_changes(client, signed_in, org, plan, django_assert_num_queries):
    # given a scenario with one change of each kind
    executive = signed_in(Role.EXECUTIVE)
    scenario = scenario_create(actor=executive, data={"name": "Everything"})

    def every_kind() -> None:
        person = PersonFactory(organization=org, weekly_capacity_hours=Decimal(40))
        initiative = InitiativeFactory(organization=org, objective=plan.objective, status="active")
        allocation = AllocationFactory(
            organization=org, person=person, initiative=plan.console, hours_per_week=8
        )
        other = AllocationFactory(organization=org, person=person, initiative=initiative, hours_per_week=8)
        for kind, target, values in [
            (
                ChangeKind.HOURS_MOVE,
                allocation.pk,
                {"initiative": initiative.pk, "hours_per_week": "2", "into": other.pk},  # not a second one
            ),
            (
                ChangeKind.ALLOCATION_ADD,
                None,
                {"person": person.pk, "initiative": plan.firmware.pk, "hours_per_week": "1"},
            ),
            (ChangeKind.ALLOCATION_CHANGE, other.pk, {"hours_per_week": "5"}),
            (ChangeKind.INITIATIVE_CHANGE, initiative.pk, {"estimate_hours": "80"}),
            (ChangeKind.OBJECTIVE_CHANGE, plan.objective.pk, {"priority_weight": "2"}),
            (ChangeKind.PERSON_CHANGE, person.pk, {"weekly_capacity_hours": "36"}),
            (ChangeKind.TASKS_RELINK, None, {"tasks": [plan.task.pk], "initiative": initiative.pk}),
            (ChangeKind.ALLOCATION_END, allocation.pk, {}),
        ]:
            change_add(
                actor=executive, scenario=scenario, data={"kind": kind, "target_id": target, "values": values}
            )

    every_kind()
    one_each = _editor_queries(client, org, scenario)
    # when it has three of each
    every_kind()
    every_kind()
    # then the editor reads as many queries
    with django_assert_num_queries(one_each):
        assert client.get(org_url("scenarios_detail", org, pk=scenario.pk)).status_code == 200


def test_the_comparison_does_not_grow_with_the_scenarios(client, signed_in, org, django_assert_num_queries):
    signed_in(Role.VIEWER)
    rows = [
        Scenario.objects.create(organization=org, name=f"S{n}", evaluation={"scores": {}}) for n in range(3)
    ]
    url = org_url("scenarios_compare", org)
    one = warm_count(client, f"{url}?compare={rows[0].pk}")
    with django_assert_num_queries(one):
        assert client.get(url, {"compare": [row.pk for row in rows]}).status_code == 200
