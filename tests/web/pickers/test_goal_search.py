"""The goal search behind every goal picker: ranked, at most 20, the organization's goals only, the
scope the field asks for (a lead staffs only their teams' initiatives), a constant number of queries."""

from __future__ import annotations

import pytest

from execgap.models import Role
from objectives.models import InitiativeStatus, ObjectiveStatus
from tests.conftest import person_of
from tests.factories import InitiativeFactory, KeyResultFactory, ObjectiveFactory, TeamFactory
from tests.web.conftest import org_url, query_count
from tests.web.pickers.conftest import found, labels, notes

pytestmark = pytest.mark.django_db


def search(client, org, **params):
    return client.get(org_url("goal_search", org), params)


def test_exact_and_prefix_matches_come_before_substrings_then_by_title(client, signed_in, org):
    # given initiatives whose titles hold "pay" in different places
    signed_in(Role.MEMBER)
    within = InitiativeFactory(organization=org, title="Repay the loans")
    later_prefix = InitiativeFactory(organization=org, title="Payroll sync")
    exact = InitiativeFactory(organization=org, title="Pay")
    first_prefix = InitiativeFactory(organization=org, title="Payments revamp")
    words = InitiativeFactory(organization=org, title="Faster pages to pay from")
    InitiativeFactory(organization=org, title="Search")
    # when the initiative picker searches "pay"
    response = search(client, org, q="pay", kind="initiative")
    # then the exact title first, then those starting with it, then those holding it, by title
    assert response.status_code == 200
    assert found(response) == [str(row.pk) for row in (exact, first_prefix, later_prefix, words, within)]
    assert labels(response)[:2] == ["Pay", "Payments revamp"]


def test_every_word_must_appear_in_any_order(client, signed_in, org):
    # given two initiatives
    signed_in(Role.MEMBER)
    both = InitiativeFactory(organization=org, title="Checkout revamp")
    InitiativeFactory(organization=org, title="Checkout tests")
    # when the search has two words, in another order than the title's
    response = search(client, org, q="revamp check", kind="initiative")
    # then only the title holding both words matches
    assert found(response) == [str(both.pk)]


def test_goals_are_objectives_and_initiatives_keyed_by_kind(client, signed_in, org):
    # given an objective and an initiative that both match
    signed_in(Role.MEMBER)
    objective = ObjectiveFactory(organization=org, title="Grow revenue")
    initiative = InitiativeFactory(organization=org, objective=objective, title="Grow the funnel")
    # when the goal picker (both kinds) searches "grow"
    response = search(client, org, q="grow")
    # then both come, keyed by kind, named by kind, ranked as one list (by title on equal terms)
    assert found(response) == [f"objective:{objective.pk}", f"initiative:{initiative.pk}"]
    assert labels(response) == ["Objective: Grow revenue", "Initiative: Grow the funnel"]


def test_at_most_twenty_matches_and_a_note_that_there_are_more(client, signed_in, org):
    # given 25 matching objectives
    signed_in(Role.MEMBER)
    ObjectiveFactory.create_batch(25, organization=org, title=factory_title())
    # when the objective picker searches
    response = search(client, org, q="quarter", kind="objective")
    # then it answers the first 20, and says there are more
    assert len(found(response)) == 20
    assert notes(response) == ["The first 20 matches: type more to narrow them."]


def factory_title():
    import factory

    return factory.Sequence(lambda n: f"Quarter goal {n:02d}")


def test_no_match_says_so(client, signed_in, org):
    # given an objective
    signed_in(Role.MEMBER)
    ObjectiveFactory(organization=org, title="Grow revenue")
    # when the search matches nothing
    response = search(client, org, q="zzz", kind="objective")
    # then the list has only a line that says so
    assert found(response) == []
    assert notes(response) == ["No objectives match “zzz”."]


def test_another_organizations_goals_are_never_found(client, signed_in, org, other_org):
    # given a goal of the same title in another organization
    signed_in(Role.EXECUTIVE)
    ours = ObjectiveFactory(organization=org, title="Grow revenue")
    ObjectiveFactory(organization=other_org, title="Grow revenue")
    InitiativeFactory(organization=other_org, title="Grow the funnel")
    # when the member searches their organization's goals
    response = search(client, org, q="grow")
    # then only their organization's goal is found
    assert found(response) == [f"objective:{ours.pk}"]


def test_a_non_member_gets_a_404(client, signed_in, org, other_org):
    # given a member of another organization
    signed_in(Role.ADMIN, other_org)
    ObjectiveFactory(organization=org, title="Grow revenue")
    # when they search this organization's goals, then it does not exist for them
    assert search(client, org, q="grow").status_code == 404


def test_the_open_scope_leaves_out_finished_goals(client, signed_in, org):
    # given open and finished goals
    signed_in(Role.LEAD)
    live = ObjectiveFactory(organization=org, title="Goal live", status=ObjectiveStatus.ACTIVE)
    ObjectiveFactory(organization=org, title="Goal achieved", status=ObjectiveStatus.ACHIEVED)
    ObjectiveFactory(organization=org, title="Goal cancelled", status=ObjectiveStatus.CANCELLED)
    on_hold = InitiativeFactory(organization=org, title="Goal on hold", status=InitiativeStatus.ON_HOLD)
    InitiativeFactory(organization=org, title="Goal done", status=InitiativeStatus.DONE)
    # when the bulk link's picker (open goals) searches
    response = search(client, org, q="goal", scope="open")
    # then only the open ones are found
    assert found(response) == [f"objective:{live.pk}", f"initiative:{on_hold.pk}"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.LEAD, ["mine", "through"]), (Role.EXECUTIVE, ["mine", "through", "theirs"]), (Role.MEMBER, [])],
)
def test_the_staffing_scope_offers_what_the_role_may_staff(client, signed_in, org, role, expected):
    # given a lead's team with an initiative (and one through its objective), and another team's
    member = signed_in(role)
    mine, theirs = TeamFactory(organization=org), TeamFactory(organization=org)
    mine.lead = person_of(member)
    mine.save()
    rows = {
        "mine": InitiativeFactory(organization=org, team=mine, title="Staff a"),
        "through": InitiativeFactory(
            organization=org, objective=ObjectiveFactory(organization=org, team=mine), title="Staff b"
        ),
        "theirs": InitiativeFactory(organization=org, team=theirs, title="Staff c"),
    }
    # when the allocation form's initiative picker searches
    response = search(client, org, q="staff", kind="initiative", scope="staffing")
    # then a lead finds their teams' initiatives only, an executive all, a member (who staffs none) none
    assert found(response) == [str(rows[name].pk) for name in expected]


def test_not_under_leaves_out_an_objective_and_those_below_it(client, signed_in, org):
    # given a tree: root > child > grandchild, and another root
    signed_in(Role.EXECUTIVE)
    root = ObjectiveFactory(organization=org, title="Tree root")
    child = ObjectiveFactory(organization=org, parent=root, title="Tree child")
    ObjectiveFactory(organization=org, parent=child, title="Tree grandchild")
    other = ObjectiveFactory(organization=org, title="Tree other")
    # when the child's parent picker searches
    response = search(client, org, q="tree", kind="objective", not_under=child.pk)
    # then neither it nor the one below it is offered
    assert found(response) == [str(other.pk), str(root.pk)]


def test_key_results_are_found_with_their_objective(client, signed_in, org):
    # given a key result
    signed_in(Role.MEMBER)
    key_result = KeyResultFactory(
        organization=org, objective=ObjectiveFactory(organization=org, title="Grow"), title="ARR"
    )
    # when the check-in form's key result picker searches
    response = search(client, org, q="arr", kind="key_result")
    # then it is found, with its objective beside it
    assert found(response) == [str(key_result.pk)]
    assert "of Grow" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 201}, "The search is too long: use at most 200 characters."),
        ({"kind": "task"}, "“kind” must be one of: goal, objective, initiative, key_result."),
        ({"scope": "every"}, "“scope” must be one of: all, open, staffing."),
        ({"kind": "objective", "scope": "staffing"}, "“scope=staffing” chooses initiatives"),
        ({"not_under": "abc"}, "“not_under” must be the id of a row (a whole number)."),
    ],
)
def test_a_search_that_cannot_be_read_says_why(client, signed_in, org, params, message):
    # given a member
    signed_in(Role.MEMBER)
    ObjectiveFactory(organization=org, title="x")
    # when the search's parameters cannot be read
    response = search(client, org, **params)
    # then it answers 400 with the reason as the list's only line
    assert response.status_code == 400
    assert found(response) == []
    assert notes(response)[0].startswith(message)


def test_a_search_runs_as_many_queries_for_many_goals_as_for_few(client, signed_in, org):
    # given a lead
    member = signed_in(Role.LEAD)
    team = TeamFactory(organization=org, lead=person_of(member))
    client.get(org_url("goal_search", org))  # the session's first request does one-off work

    def grow(count):
        for _ in range(count):
            objective = ObjectiveFactory(organization=org, team=team, title="Grow a goal")
            InitiativeFactory(organization=org, objective=objective, team=team, title="Grow an initiative")

    def counts():
        return [
            query_count(client, org_url("goal_search", org) + "?q=grow"),
            query_count(client, org_url("goal_search", org) + "?q=grow&kind=initiative&scope=staffing"),
            query_count(client, org_url("goal_search", org) + "?q=grow&kind=objective&not_under=1"),
        ]

    grow(3)
    few = counts()
    grow(30)
    many = counts()
    # then the queries stay the same, and few
    assert few == many
    assert max(many) <= 6
