"""Teams in the settings: every member reads the tree; only admins create, edit and delete."""

from __future__ import annotations

import pytest

from execgap.models import Organization, Role
from execgap.web.forms import STALE_MESSAGE
from objectives.models import Objective
from resources.models import Team
from tests.factories import InitiativeFactory, ObjectiveFactory, PersonFactory, TeamFactory
from tests.web.conftest import org_url, query_count
from tests.web.settings.conftest import OTHER_ROLES, field_errors, form_errors, options

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(org):
    """Sales (led by Ana, 1 person) with North under it; Product beside it."""
    sales = TeamFactory(organization=org, name="Sales")
    ana = PersonFactory(organization=org, name="Ana", team=sales)
    Team.objects.filter(pk=sales.pk).update(lead=ana)
    north = TeamFactory(organization=org, name="North", parent=sales)
    product = TeamFactory(organization=org, name="Product")
    return {"sales": sales, "north": north, "product": product, "ana": ana}


@pytest.mark.parametrize("role", tuple(Role))
def test_every_role_reads_the_team_tree_in_order(client, signed_in, org, tree, role):
    # given a member of any role
    signed_in(role)
    # when they open the teams
    response = client.get(org_url("settings_teams", org))
    # then each parent comes before its children (children indented), with lead and people in words
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(">Product<") < html.index(">Sales<") < html.index(">North<")
    assert 'style="--depth: 1"' in html
    assert ">Ana</td>" in html
    assert "No lead" in html
    # and only an admin is offered the changes
    allowed = role is Role.ADMIN
    assert ("New team" in html) is allowed
    assert (org_url("settings_team_edit", org, pk=tree["north"].pk) in html) is allowed
    assert ('aria-label="Delete team North"' in html) is allowed


def test_each_team_says_how_many_people_it_has(client, signed_in, org, tree):
    # given Sales with Ana and two more people, North with one, Product with none
    PersonFactory.create_batch(2, organization=org, team=tree["sales"])
    PersonFactory(organization=org, team=tree["north"])
    signed_in(Role.MEMBER)
    # when the teams are read
    html = client.get(org_url("settings_teams", org)).content.decode()
    # then each row counts its own team's people
    counts = {
        name: html[html.index(f">{name}</a>") :].split('<td class="num">', 1)[1].split("<", 1)[0]
        for name in ("Sales", "North", "Product")
    }
    assert counts == {"Sales": "3", "North": "1", "Product": "0"}


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize("page", ["settings_team_create", "settings_team_edit", "settings_team_delete"])
def test_other_roles_may_not_open_or_post_the_team_forms(client, signed_in, org, tree, role, page):
    # given a member who is not an admin
    signed_in(role)
    kwargs = {} if page == "settings_team_create" else {"pk": tree["north"].pk}
    url = org_url(page, org, **kwargs)
    # when they open or post a team form
    got = client.get(url)
    posted = client.post(url, {"name": "Renamed", "expected_version": "1"})
    # then both are refused and nothing changed
    assert (got.status_code, posted.status_code) == (403, 403)
    assert list(Team.objects.for_org(org).order_by("name").values_list("name", flat=True)) == [
        "North",
        "Product",
        "Sales",
    ]


def test_an_admin_creates_a_team_under_another_with_a_lead(client, signed_in, org, tree):
    # given an administrator
    signed_in(Role.ADMIN)
    # when they create a team under Sales, led by Ana
    response = client.post(
        org_url("settings_team_create", org),
        {"name": "South", "parent": tree["sales"].pk, "lead": tree["ana"].pk},
    )
    # then the team exists as entered and the list shows it
    assert response.status_code == 302
    assert response["Location"] == org_url("settings_teams", org)
    south = Team.objects.for_org(org).get(name="South")
    assert (south.parent_id, south.lead_id) == (tree["sales"].pk, tree["ana"].pk)
    assert "Team “South” created." in client.get(response["Location"]).content.decode()


def test_a_safe_next_url_is_where_a_saved_team_leads(client, signed_in, org, tree):
    # given an administrator coming from the team's workspace
    signed_in(Role.ADMIN)
    workspace = org_url("team_workspace", org, pk=tree["north"].pk)
    # when they save with that `next`, and with a `next` on another site
    back = client.post(
        org_url("settings_team_edit", org, pk=tree["north"].pk),
        {"name": "North", "parent": tree["sales"].pk, "expected_version": "1", "next": workspace},
    )
    away = client.post(
        org_url("settings_team_create", org), {"name": "Elsewhere", "next": "https://evil.example/"}
    )
    # then the first goes back there, the second to the teams list
    assert back["Location"] == workspace
    assert away["Location"] == org_url("settings_teams", org)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "Sales"}, "name", "A team with this name already exists."),
    ],
)
def test_an_invalid_team_is_refused_beside_its_field(client, signed_in, org, tree, data, field, message):
    # given an administrator
    signed_in(Role.ADMIN)
    # when they post a team with a missing or taken name
    response = client.post(org_url("settings_team_create", org), {**data, "parent": tree["product"].pk})
    # then the message is beside the field, the choice kept, and no team was created
    assert response.status_code == 400
    assert field_errors(response, field) == [message]
    assert f'<option value="{tree["product"].pk}" selected>' in response.content.decode()
    assert Team.objects.for_org(org).count() == 3


@pytest.mark.parametrize("field", ["parent", "lead"])
def test_another_organizations_row_is_refused_as_a_link(client, signed_in, org, other_org, field):
    # given an administrator, and a team and a person of another organization
    signed_in(Role.ADMIN)
    theirs = {"parent": TeamFactory(organization=other_org), "lead": PersonFactory(organization=other_org)}
    # when they create a team linked to the other organization's row
    response = client.post(org_url("settings_team_create", org), {"name": "Mine", field: theirs[field].pk})
    # then the link is refused beside the field, and nothing was created
    assert response.status_code == 400
    assert field_errors(response, field) == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Team.objects.for_org(org).exists()


def test_a_team_cannot_move_under_a_team_below_it(client, signed_in, org, tree):
    # given an administrator
    signed_in(Role.ADMIN)
    url = org_url("settings_team_edit", org, pk=tree["sales"].pk)
    # when they edit Sales: its parent picker's Find does not offer North (below it); posting it
    # anyway is refused
    offered = options(client.post(url, {"name": "Sales", "_find": "parent", "parent__q": ""}), "parent")
    response = client.post(url, {"name": "Sales", "parent": tree["north"].pk, "expected_version": "1"})
    # then nothing moved
    assert offered == ["", str(tree["product"].pk)]
    assert response.status_code == 400
    assert field_errors(response, "parent")
    tree["sales"].refresh_from_db()
    assert tree["sales"].parent_id is None


def test_an_admin_edits_a_team(client, signed_in, org, tree):
    # given an administrator
    signed_in(Role.ADMIN)
    # when they rename North and move it under Product
    response = client.post(
        org_url("settings_team_edit", org, pk=tree["north"].pk),
        {"name": "North-East", "parent": tree["product"].pk, "lead": "", "expected_version": "1"},
    )
    # then the team is saved through the service (a new version)
    assert response.status_code == 302
    tree["north"].refresh_from_db()
    assert (tree["north"].name, tree["north"].parent_id, tree["north"].version) == (
        "North-East",
        tree["product"].pk,
        2,
    )


def test_a_stale_team_edit_is_refused_with_the_input_kept(client, signed_in, org, tree):
    # given an administrator who opened North at version 1, and a change saved since
    signed_in(Role.ADMIN)
    Team.objects.filter(pk=tree["north"].pk).update(name="Nord", version=2)
    # when they save their edit
    response = client.post(
        org_url("settings_team_edit", org, pk=tree["north"].pk), {"name": "Mine", "expected_version": "1"}
    )
    # then it is refused with their input kept, and the other change stays
    assert response.status_code == 400
    assert form_errors(response) == [STALE_MESSAGE]
    assert 'value="Mine"' in response.content.decode()
    tree["north"].refresh_from_db()
    assert tree["north"].name == "Nord"


@pytest.mark.parametrize("page", ["settings_team_edit", "settings_team_delete"])
def test_another_organizations_team_is_not_found(client, signed_in, org, other_org, page):
    # given an administrator, and a team of another organization
    signed_in(Role.ADMIN)
    theirs = TeamFactory(organization=other_org, name="Theirs")
    url = org_url(page, org, pk=theirs.pk)
    # when they open or post its form through their organization
    got = client.get(url)
    posted = client.post(url, {"name": "Mine", "expected_version": "1"})
    # then it does not exist for them, and it is unchanged
    assert (got.status_code, posted.status_code) == (404, 404)
    assert Team.objects.filter(pk=theirs.pk, name="Theirs").exists()


def test_a_team_with_teams_under_it_is_not_deleted(client, signed_in, org, tree):
    # given an administrator, and Sales with North under it and an objective of Sales
    signed_in(Role.ADMIN)
    objective = ObjectiveFactory(organization=org, team=tree["sales"])
    url = org_url("settings_team_delete", org, pk=tree["sales"].pk)
    # when they open the confirmation, then delete anyway
    warning = client.get(url).content.decode()
    response = client.post(url, {"expected_version": "1"})
    # then the page warned them, the service's refusal is shown, and nothing changed
    assert "Sales has 1 team under it: move or delete it first." in warning
    assert response.status_code == 400
    assert form_errors(response) == ["This team still has 1 child team: move or delete them first."]
    assert Team.objects.filter(pk=tree["sales"].pk).exists()
    objective.refresh_from_db()
    assert objective.team_id == tree["sales"].pk


def test_an_admin_deletes_a_team_and_its_goals_lose_it_in_the_plan_history(client, signed_in, org, tree):
    # given an administrator, and an objective of North
    admin = signed_in(Role.ADMIN)
    objective = ObjectiveFactory(organization=org, team=tree["north"])
    url = org_url("settings_team_delete", org, pk=tree["north"].pk)
    # when they confirm the deletion
    confirmation = client.get(url).content.decode()
    response = client.post(url, {"expected_version": "1"})
    # then the page said what would happen, the team is gone, the objective has no team, recorded
    assert "1 objective and 0 initiatives will have no team" in confirmation
    assert response.status_code == 302
    assert not Team.objects.filter(pk=tree["north"].pk).exists()
    objective.refresh_from_db()
    assert objective.team_id is None
    revision = Objective.history.filter(id=objective.pk).latest("history_date")
    assert (revision.history_user_id, revision.history_change_reason) == (
        admin.user_id,
        "Team deleted: North",
    )
    assert Organization.objects.get(pk=org.pk).scores_stale_since is not None


def test_a_stale_team_deletion_is_refused(client, signed_in, org, tree):
    # given an administrator who saw Product at version 1, and a change saved since
    signed_in(Role.ADMIN)
    Team.objects.filter(pk=tree["product"].pk).update(version=2)
    # when they confirm the deletion
    response = client.post(
        org_url("settings_team_delete", org, pk=tree["product"].pk), {"expected_version": "1"}
    )
    # then it is refused and the team stays
    assert response.status_code == 400
    assert form_errors(response) == [STALE_MESSAGE]
    assert Team.objects.filter(pk=tree["product"].pk).exists()


@pytest.mark.parametrize("page", ["settings_teams", "settings_team_create", "settings_team_edit"])
def test_the_team_pages_run_as_many_queries_for_three_times_the_teams(client, signed_in, org, tree, page):
    # given an administrator
    signed_in(Role.ADMIN)
    kwargs = {} if page != "settings_team_edit" else {"pk": tree["north"].pk}
    url = org_url(page, org, **kwargs)
    client.get(url)

    def grow(n: int) -> None:
        for parent in TeamFactory.create_batch(n, organization=org, parent=tree["sales"]):
            TeamFactory(organization=org, parent=parent, lead=PersonFactory(organization=org, team=parent))

    # when the page is opened with a few teams and with three times as many
    grow(2)
    small = query_count(client, url)
    grow(4)
    large = query_count(client, url)
    # then the number of queries does not grow
    assert small == large
    assert large <= 15


def test_only_active_people_are_offered_as_leads_but_a_teams_own_lead_stays(client, signed_in, org, tree):
    # given an administrator, Sales led by Ana who is no longer active, and an inactive Hal
    signed_in(Role.ADMIN)
    tree["ana"].active = False
    tree["ana"].save()
    hal = PersonFactory(organization=org, name="Hal", active=False)
    # when they open Sales and North
    for_sales = options(client.get(org_url("settings_team_edit", org, pk=tree["sales"].pk)), "lead")
    for_north = options(client.get(org_url("settings_team_edit", org, pk=tree["north"].pk)), "lead")
    # then Sales keeps Ana among its choices, North is offered neither, and Hal is offered nowhere
    assert str(tree["ana"].pk) in for_sales
    assert str(tree["ana"].pk) not in for_north
    assert str(hal.pk) not in for_sales + for_north


def test_the_delete_confirmation_runs_as_many_queries_for_three_times_the_rows(client, signed_in, org, tree):
    # given an administrator, and Product with people, objectives and initiatives of its own
    signed_in(Role.ADMIN)
    url = org_url("settings_team_delete", org, pk=tree["product"].pk)
    client.get(url)

    def grow(n: int) -> None:
        PersonFactory.create_batch(n, organization=org, team=tree["product"])
        ObjectiveFactory.create_batch(n, organization=org, team=tree["product"])
        InitiativeFactory.create_batch(n, organization=org, team=tree["product"])

    # when the confirmation is opened with a few rows and with three times as many
    grow(2)
    small = query_count(client, url)
    grow(4)
    large = query_count(client, url)
    # then the number of queries does not grow, and the counts are the data's
    assert small == large
    assert large <= 15
    html = client.get(url).content.decode()
    assert "6 people will have no team." in html
    assert "6 objectives and 6 initiatives will have no team" in html
