"""The scenarios pages by role: everyone reads them; leads, executives and admins draft, change and
apply; viewers and members see no form and their writes answer 403 with a page that says why. Another
organization's scenario does not exist."""

from __future__ import annotations

import pytest

from execgap.models import Role
from scenarios.models import Scenario, ScenarioStatus
from tests.factories import OrganizationFactory
from tests.web.conftest import ROLES, org_url

pytestmark = pytest.mark.django_db

DRAFTERS = {Role.LEAD, Role.EXECUTIVE, Role.ADMIN}
READERS = {Role.MEMBER, Role.VIEWER}


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_list_and_only_leads_and_up_are_offered_to_draft(client, signed_in, org, role):
    # given a member of any role
    signed_in(role)
    # when they open the scenarios page
    response = client.get(org_url("scenarios", org))
    page = response.content.decode()
    # then it shows, in the main navigation, with "New scenario" and "Rebalance" for leads and up only
    assert response.status_code == 200
    assert 'aria-current="page">Scenarios</a>' in page
    assert ("New scenario" in page) == (role in DRAFTERS)
    assert (">Rebalance</button>" in page) == (role in DRAFTERS)


@pytest.mark.parametrize("role", ROLES)
def test_the_editor_is_read_only_for_viewers_and_members(client, signed_in, org, executive, drafted, role):
    # given a drafted scenario with one change
    scenario = drafted(executive)
    signed_in(role)
    # when someone opens it
    response = client.get(org_url("scenarios_detail", org, pk=scenario.pk))
    page = response.content.decode()
    # then they read its change in words; only leads and up get the forms
    assert response.status_code == 200
    assert "Move 1 h/week of Ana Ruiz from “Legacy console” to “Self-healing firmware”" in page
    has_forms = role in DRAFTERS
    for form_text in (
        "Add the change",
        "Apply the scenario",
        ">Evaluate</button>",
        ">Discard</button>",
        "Remove",
    ):
        assert (form_text in page) == has_forms, form_text
    assert ('method="post"' in page.split('<main id="main"')[1]) == has_forms
    if not has_forms:
        assert "You can read this scenario" in page


WRITES = [
    ("scenarios_new", {}, {"name": "Mine"}),
    ("scenarios_rebalance", {}, {}),
    ("scenarios_detail", {"pk": None}, {"name": "Renamed"}),
    ("scenarios_change_new", {"pk": None}, {"kind": "person_change"}),
    ("scenarios_evaluate", {"pk": None}, {}),
    ("scenarios_apply", {"pk": None}, {"apply-reason": "Because"}),
    ("scenarios_rebase", {"pk": None}, {}),
    ("scenarios_discard", {"pk": None}, {}),
]


@pytest.mark.parametrize("role", sorted(READERS))
@pytest.mark.parametrize(("name", "kwargs", "data"), WRITES)
def test_writes_of_viewers_and_members_are_refused_with_a_readable_page(
    client, signed_in, org, executive, drafted, role, name, kwargs, data
):
    # given a drafted scenario, and a viewer or member
    scenario = drafted(executive)
    signed_in(role)
    kwargs = dict.fromkeys(kwargs, scenario.pk)
    # when they post a write
    response = client.post(org_url(name, org, **kwargs), data)
    # then it is refused with a page that says who may, and nothing changed
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Not allowed</h1>" in page
    assert f"Your role ({role.label.lower()}) may read scenarios but not draft" in page
    scenario.refresh_from_db()
    assert (scenario.name, scenario.status, scenario.changes.count()) == ("Staff firmware", "draft", 1)
    assert Scenario.objects.count() == 1


def test_a_removal_by_a_member_is_refused(client, signed_in, org, executive, drafted):
    scenario = drafted(executive)
    change = scenario.changes.get()
    signed_in(Role.MEMBER)
    response = client.post(org_url("scenarios_change_remove", org, pk=scenario.pk, change_pk=change.pk))
    assert response.status_code == 403
    assert scenario.changes.count() == 1


@pytest.mark.parametrize(
    "name", ["scenarios_detail", "scenarios_change_new", "scenarios_evaluation", "scenarios_compare"]
)
def test_another_organizations_scenario_does_not_exist(client, signed_in, member_of, plan, drafted, name):
    # given a scenario of another organization, and an admin of this one
    elsewhere = OrganizationFactory(slug="initech")
    scenario = drafted(member_of(Role.EXECUTIVE, elsewhere), name="Theirs", changes=0)
    admin = signed_in(Role.ADMIN)
    # when the admin opens it under their organization
    if name == "scenarios_compare":
        response = client.get(org_url(name, admin.organization) + f"?compare={scenario.pk}")
    else:
        response = client.get(org_url(name, admin.organization, pk=scenario.pk))
    # then it does not exist for them
    assert response.status_code == 404


def test_a_post_to_another_organizations_scenario_is_404_and_changes_nothing(
    client, signed_in, member_of, plan, drafted
):
    elsewhere = OrganizationFactory(slug="initech")
    scenario = drafted(member_of(Role.EXECUTIVE, elsewhere), name="Theirs", changes=0)
    admin = signed_in(Role.ADMIN)
    for name in ("scenarios_discard", "scenarios_apply", "scenarios_evaluate"):
        response = client.post(org_url(name, admin.organization, pk=scenario.pk), {"apply-reason": "x"})
        assert response.status_code == 404
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.DRAFT


def test_the_list_is_searched_by_name_and_filtered_by_status(client, signed_in, org, executive, drafted):
    # given three scenarios, one discarded
    drafted(executive, name="Staff firmware")
    drafted(executive, name="Cut the console", changes=0)
    gone = drafted(executive, name="Old idea", changes=0)
    Scenario.objects.filter(pk=gone.pk).update(status=ScenarioStatus.DISCARDED)
    signed_in(Role.VIEWER)
    # when the list is searched by part of a name, then filtered by status
    by_name = client.get(org_url("scenarios", org), {"q": "console"}).content.decode()
    by_status = client.get(org_url("scenarios", org), {"status": "discarded"}).content.decode()
    # then each shows what matches
    assert "Cut the console" in by_name
    assert "Staff firmware" not in by_name
    assert "Old idea" in by_status
    assert "Cut the console" not in by_status
    # and an unknown status is said, with every scenario shown
    bad = client.get(org_url("scenarios", org), {"status": "imaginary"})
    assert bad.status_code == 400
    assert "That is not a status of a scenario" in bad.content.decode()


def test_the_list_shows_author_changes_and_the_health_difference(client, signed_in, org, executive, drafted):
    scenario = drafted(executive, changes=2)
    Scenario.objects.filter(pk=scenario.pk).update(
        evaluation={"scores": {"execution_health": {"baseline": 50.0, "scenario": 53.5, "difference": 3.5}}}
    )
    signed_in(Role.VIEWER)
    page = client.get(org_url("scenarios", org)).content.decode()
    row = page.split(f'id="compare-{scenario.pk}"')[1].split("</tr>")[0]
    assert executive.user.get_username() in row
    assert '<td class="num">2</td>' in row
    assert "+3.5" in row


def test_the_list_pages_25_at_a_time(client, signed_in, org, executive):
    for number in range(27):
        Scenario.objects.create(organization=org, name=f"Scenario {number:02}", created_by=executive.user)
    signed_in(Role.VIEWER)
    first = client.get(org_url("scenarios", org))
    assert first.content.decode().count('name="compare"') == 25
    following = first.content.decode().split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    second = client.get(following.replace("&amp;", "&"))
    assert second.content.decode().count('name="compare"') == 2
