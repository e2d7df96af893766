"""Adding and removing changes from the editor: a form per kind turns what was chosen into the change
the service checks; every refusal is said beside the form (400) with what was entered kept; a
picker's Find (no JavaScript) shows the matches and adds nothing; htmx swaps in a kind's form."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from execgap.models import Role
from objectives.models import Task
from scenarios.models import ChangeKind, ScenarioChange
from scenarios.services import scenario_create
from tests.factories import AllocationFactory, PersonFactory, TaskFactory
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db

# Dates ahead of today, within the plan's ten-year horizon.
END = (date.today() + timedelta(days=120)).isoformat()
LATER = (date.today() + timedelta(days=200)).isoformat()


@pytest.fixture
def editor(client, signed_in, org):
    """An executive signed in, and an empty scenario of theirs: (scenario, url of its change form)."""
    executive = signed_in(Role.EXECUTIVE)
    scenario = scenario_create(actor=executive, data={"name": "What if"})
    return scenario, org_url("scenarios_change_new", org, pk=scenario.pk)


def post(client, url, kind, **fields):
    return client.post(url, {"kind": kind, **{f"change-{name}": value for name, value in fields.items()}})


def cases(plan):
    """(kind, the form's fields, the change it makes, its words on the page)."""
    return [
        (
            ChangeKind.HOURS_MOVE,
            {"allocation": plan.allocation.pk, "initiative": plan.firmware.pk, "hours_per_week": "4"},
            (plan.allocation.pk, {"initiative": plan.firmware.pk, "hours_per_week": "4", "into": None}),
            "Move 4 h/week of Ana Ruiz from “Legacy console” to “Self-healing firmware”",
        ),
        (
            ChangeKind.ALLOCATION_ADD,
            {
                "person": plan.ben.pk,
                "initiative": plan.firmware.pk,
                "hours_per_week": "12.5",
                "start_date": "",
                "end_date": END,
            },
            (
                None,
                {
                    "person": plan.ben.pk,
                    "initiative": plan.firmware.pk,
                    "hours_per_week": "12.5",
                    "start_date": None,
                    "end_date": END,
                },
            ),
            "Allocate Ben Ode to “Self-healing firmware” for 12.5 h/week, until " + END,
        ),
        (
            ChangeKind.ALLOCATION_CHANGE,
            {"allocation": plan.allocation.pk, "hours_per_week": "6"},
            (plan.allocation.pk, {"hours_per_week": "6"}),
            "Change the allocation of Ana Ruiz on “Legacy console” (10 h/week): 6 h/week",
        ),
        (
            ChangeKind.ALLOCATION_END,
            {"allocation": plan.allocation.pk},
            (plan.allocation.pk, {}),
            "End the allocation of Ana Ruiz on “Legacy console” (10 h/week)",
        ),
        (
            ChangeKind.INITIATIVE_CHANGE,
            {"initiative": plan.console.pk, "status": "on_hold", "estimate_hours": ""},
            (plan.console.pk, {"status": "on_hold"}),
            "Change the initiative “Legacy console”: status On hold",
        ),
        (
            ChangeKind.OBJECTIVE_CHANGE,
            {"objective": plan.objective.pk, "priority_weight": "3"},
            (plan.objective.pk, {"priority_weight": "3"}),
            "Change the objective “Grow revenue”: priority weight 3",
        ),
        (
            ChangeKind.PERSON_CHANGE,
            {"person": plan.ana.pk, "weekly_capacity_hours": "32"},
            (plan.ana.pk, {"weekly_capacity_hours": "32"}),
            "Set the capacity of Ana Ruiz to 32 h/week (now 40)",
        ),
        (
            ChangeKind.TASKS_RELINK,
            {"task": plan.task.pk, "goal": f"initiative:{plan.console.pk}"},
            (None, {"tasks": [plan.task.pk], "initiative": plan.console.pk}),
            "Link the task “Watchdog reboot” to the initiative “Legacy console”",
        ),
    ]


@pytest.mark.parametrize("index", range(8))
def test_each_kind_of_change_is_added_and_said_in_words(client, org, plan, editor, index):
    # given the editor of an empty scenario
    scenario, url = editor
    kind, fields, (target, values), words = cases(plan)[index]
    # when a change of this kind is posted with a reason
    response = post(client, url, kind, reason="Try it", **fields)
    # then it is added as the service takes it, and the editor says it in words
    assert response.status_code == 302, response.content.decode()[:3000]
    change = ScenarioChange.objects.get(scenario=scenario)
    assert (change.kind, change.target_id, change.values, change.reason) == (kind, target, values, "Try it")
    page = client.get(response["Location"]).content.decode()
    assert words in page
    assert "Why: Try it" in page


def test_hours_moved_to_an_initiative_the_person_is_on_go_into_their_allocation(client, org, plan, editor):
    from tests.factories import AllocationFactory

    scenario, url = editor
    there = AllocationFactory(organization=org, person=plan.ana, initiative=plan.firmware, hours_per_week=2)
    post(
        client,
        url,
        ChangeKind.HOURS_MOVE,
        allocation=plan.allocation.pk,
        initiative=plan.firmware.pk,
        hours_per_week="3",
    )
    assert ScenarioChange.objects.get(scenario=scenario).values["into"] == there.pk


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        (
            ChangeKind.HOURS_MOVE,
            {"allocation": "", "initiative": "", "hours_per_week": ""},
            "This field is required.",
        ),
        (
            ChangeKind.HOURS_MOVE,
            {"hours_per_week": "25"},
            "The allocation has 10.00 h a week: move at most that many.",
        ),
        (ChangeKind.HOURS_MOVE, {"hours_per_week": "-1"}, "Ensure this value is greater than or equal to 0."),
        (
            ChangeKind.ALLOCATION_ADD,
            {"hours_per_week": "5", "start_date": LATER, "end_date": END},
            "would be refused",
        ),
        (
            ChangeKind.ALLOCATION_CHANGE,
            {"hours_per_week": ""},
            "Fill in at least one of the values to change.",
        ),
        (ChangeKind.ALLOCATION_END, {"allocation": "999999"}, "Select a valid choice."),
        (
            ChangeKind.INITIATIVE_CHANGE,
            {"status": "", "estimate_hours": ""},
            "Fill in at least one of the values",
        ),
        (ChangeKind.INITIATIVE_CHANGE, {"estimate_hours": "lots"}, "Enter a number."),
        (ChangeKind.OBJECTIVE_CHANGE, {"priority_weight": "0"}, "A priority weight is more than 0."),
        (ChangeKind.PERSON_CHANGE, {"weekly_capacity_hours": ""}, "This field is required."),
        (ChangeKind.TASKS_RELINK, {"goal": "initiative:999999"}, "Select a valid choice."),
    ],
)
def test_a_refused_change_is_said_beside_the_form_with_everything_entered_kept(
    client, org, plan, editor, kind, fields, message
):
    # given the editor, and a form of this kind filled in with one bad value
    scenario, url = editor
    filled = {
        ChangeKind.HOURS_MOVE: {
            "allocation": plan.allocation.pk,
            "initiative": plan.firmware.pk,
            "hours_per_week": "4",
        },
        ChangeKind.ALLOCATION_ADD: {"person": plan.ben.pk, "initiative": plan.firmware.pk},
        ChangeKind.ALLOCATION_CHANGE: {"allocation": plan.allocation.pk},
        ChangeKind.ALLOCATION_END: {},
        ChangeKind.INITIATIVE_CHANGE: {"initiative": plan.console.pk},
        ChangeKind.OBJECTIVE_CHANGE: {"objective": plan.objective.pk},
        ChangeKind.PERSON_CHANGE: {"person": plan.ana.pk},
        ChangeKind.TASKS_RELINK: {"task": plan.task.pk},
    }[kind] | fields
    # when it is posted, with a reason
    response = post(client, url, kind, reason="Keep this text", **filled)
    page = response.content.decode()
    # then nothing is added, the form says why (400) and keeps what was entered
    assert response.status_code == 400
    assert message in page
    assert "The change was not added" in page
    assert 'value="Keep this text"' in page
    assert f'name="kind" value="{kind}"' in page
    assert not ScenarioChange.objects.filter(scenario=scenario).exists()


def test_an_unknown_kind_adds_nothing(client, org, editor):
    scenario, url = editor
    assert client.post(url, {"kind": "teleport"}).status_code == 400
    assert not scenario.changes.exists()


def test_a_pickers_find_shows_the_matches_and_adds_nothing(client, org, plan, editor):
    # given the move form, without JavaScript
    scenario, url = editor
    # when the allocation picker's Find is pressed with part of a person's name
    response = client.post(
        url,
        {
            "kind": "hours_move",
            "change-allocation__q": "ana",
            "_find": "change-allocation",
            "change-reason": "kept",
        },
    )
    page = response.content.decode()
    # then the form comes back (200) with her allocation among the choices, and nothing is added
    assert response.status_code == 200
    assert f'<option value="{plan.allocation.pk}">Ana Ruiz on “Legacy console”, 10 h/week</option>' in page
    assert 'value="kept"' in page
    assert not scenario.changes.exists()


def test_htmx_swaps_in_the_form_of_the_kind_chosen(client, org, editor):
    _scenario, url = editor
    response = client.get(url, {"kind": "person_change"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<form method="post"')
    assert "New weekly capacity (hours)" in page
    assert "<html" not in page


def test_without_javascript_the_kind_is_chosen_by_a_get_of_the_page(client, org, editor):
    _scenario, url = editor
    page = client.get(url, {"kind": "tasks_relink"}).content.decode()
    assert "<h1>What if</h1>" in page
    assert "Link it to the goal" in page


@pytest.mark.parametrize(
    ("name", "noun", "query", "found"),
    [
        ("scenarios_allocation_search", "allocation", "console", "Ana Ruiz on “Legacy console”, 10 h/week"),
        ("scenarios_task_search", "task", "watchdog", "Watchdog reboot"),
    ],
)
def test_the_pickers_search_as_you_type(client, signed_in, org, plan, name, noun, query, found):
    signed_in(Role.LEAD)
    response = client.get(org_url(name, org), {"q": query})
    assert response.status_code == 200
    assert found in response.content.decode()


def test_before_anything_is_typed_the_pickers_offer_what_changed_last(client, signed_in, org, plan):
    # given the organization's tasks and allocations, one task changed and one allocation made last
    signed_in(Role.LEAD)
    newest = TaskFactory(organization=org, title="Zebra crossing survey")
    Task.objects.filter(pk=newest.pk).update(updated_at=timezone.now() + timedelta(days=1))
    person = PersonFactory(organization=org, name="Zoe Last")
    AllocationFactory(organization=org, person=person, initiative=plan.firmware, hours_per_week=2)
    # when each picker is opened with nothing typed
    tasks = client.get(org_url("scenarios_task_search", org), {"q": ""}).content.decode()
    allocations = client.get(org_url("scenarios_allocation_search", org), {"q": ""}).content.decode()
    # then the first task offered is the one changed last, the first allocation the one made last
    # (not the first by title or name: a million tasks are not sorted to open a picker)
    assert tasks.index("Zebra crossing survey") < tasks.index("Watchdog reboot")
    assert allocations.index("Zoe Last") < allocations.index("Ana Ruiz")


def test_a_change_is_removed_and_one_the_rest_needs_stays(client, signed_in, org, plan):
    # given a scenario that moves 4 h then 6 h out of Ana's 10 h
    executive = signed_in(Role.EXECUTIVE)
    scenario = scenario_create(actor=executive, data={"name": "Moves"})
    url = org_url("scenarios_change_new", org, pk=scenario.pk)
    post(
        client,
        url,
        "hours_move",
        allocation=plan.allocation.pk,
        initiative=plan.firmware.pk,
        hours_per_week="4",
    )
    post(client, url, "allocation_change", allocation=plan.allocation.pk, hours_per_week="2")
    first, second = scenario.changes.order_by("position")
    # when the second is removed, then it goes
    response = client.post(org_url("scenarios_change_remove", org, pk=scenario.pk, change_pk=second.pk))
    assert response.status_code == 302
    assert list(scenario.changes.all()) == [first]
    assert "Change 2 removed." in client.get(response["Location"]).content.decode()


def test_the_name_and_description_are_saved_and_a_bad_one_is_said(client, signed_in, org, executive, drafted):
    scenario = drafted(executive)
    client.force_login(executive.user)
    url = org_url("scenarios_detail", org, pk=scenario.pk)
    bad = client.post(url, {"name": "", "description": "kept", "expected_version": scenario.version})
    assert bad.status_code == 400
    assert "This field is required." in bad.content.decode()
    assert "kept</textarea>" in bad.content.decode()
    good = client.post(
        url, {"name": "Staff firmware now", "description": "Why", "expected_version": scenario.version}
    )
    assert good.status_code == 302
    scenario.refresh_from_db()
    assert (scenario.name, scenario.description) == ("Staff firmware now", "Why")


def test_a_new_scenario_needs_a_name(client, signed_in, org):
    signed_in(Role.LEAD)
    bad = client.post(org_url("scenarios_new", org), {"name": "", "description": "Because"})
    assert bad.status_code == 400
    assert "This field is required." in bad.content.decode()
    good = client.post(org_url("scenarios_new", org), {"name": "Lead's idea", "description": ""})
    assert good.status_code == 302
