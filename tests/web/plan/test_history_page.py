"""The plan history page: what changed in the plan, when, by whom and why."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from execgap.models import Role
from objectives.models import Objective
from objectives.services import (
    initiative_create,
    initiative_delete,
    initiative_update,
    key_result_create,
    objective_create,
    objective_delete,
    objective_update,
)
from resources.services import allocation_create
from tests.conftest import person_of
from tests.factories import PersonFactory, TeamFactory
from tests.web.conftest import org_url, query_count
from tests.web.paging import BAD_CURSOR_MESSAGE, follow, pager_links, walk
from tests.web.plan.conftest import ROLES

pytestmark = pytest.mark.django_db

HISTORY = "Pages of the plan history"


@pytest.fixture
def plan(org, executive, other_org, member_of):
    """A plan built change by change by an executive ("Erin"), and a change in another organization."""
    erin = person_of(executive)
    erin.name = "Erin"
    erin.save()
    ada = PersonFactory(organization=org, name="Ada")
    payments = TeamFactory(organization=org, name="Payments")
    root = objective_create(actor=executive, data={"title": "Grow revenue", "status": "active"}, reason="")
    growth = objective_create(
        actor=executive,
        data={"title": "Win mid-market", "status": "draft", "priority_weight": Decimal(1)},
        reason="Board ask",
    )
    objective_update(
        actor=executive,
        objective=growth,
        data={"parent": root, "team": payments, "status": "active", "priority_weight": Decimal("2.5")},
        reason="Cascade it",
    )
    key_result_create(
        actor=executive,
        data={"objective": growth, "title": "ARR", "target_value": Decimal(100)},
        reason="Measure",
    )
    checkout = initiative_create(
        actor=executive, data={"title": "Checkout", "objective": growth}, reason="Plan"
    )
    allocation_create(
        actor=executive,
        data={"person": ada, "initiative": checkout, "hours_per_week": Decimal(10)},
        reason="Staff",
    )
    spare = initiative_create(actor=executive, data={"title": "Spare", "status": "on_hold"}, reason="")
    initiative_delete(actor=executive, initiative=spare, reason="Descoped")
    stranger = member_of(Role.ADMIN, other_org)
    objective_create(actor=stranger, data={"title": "Their secret plan"}, reason="Not yours")
    return {"root": root, "growth": growth, "checkout": checkout, "spare": spare, "payments": payments}


def shown(response):
    """The entries of the page, group after group."""
    return [entry for group in response.context["groups"] for entry in group.entries]


def entries(response):
    return [(e.action, e.noun, e.revision.label) for e in shown(response)]


@pytest.mark.parametrize("role", ROLES)
def test_every_member_may_read_the_plan_history(client, signed_in, org, plan, role):
    # given a member of each role
    signed_in(role)
    # when they open the plan history
    response = client.get(org_url("plan_history", org))
    # then they read it, newest first, without the other organization's change
    assert response.status_code == 200
    assert entries(response) == [
        ("deleted", "initiative", "Spare"),
        ("created", "initiative", "Spare"),
        ("created", "allocation", "Ada on Checkout"),
        ("created", "initiative", "Checkout"),
        ("created", "key result", "ARR"),
        ("changed", "objective", "Win mid-market"),
        ("created", "objective", "Win mid-market"),
        ("created", "objective", "Grow revenue"),
    ]
    assert "Their secret plan" not in response.content.decode()


def test_a_change_shows_each_field_from_and_to_in_words(client, signed_in, org, plan):
    # given the plan above
    signed_in(Role.VIEWER)
    # when the history of the mid-market objective is opened
    response = client.get(org_url("plan_history", org) + f"?kind=objective&id={plan['growth'].pk}")
    # then its change lists each changed field, links as names and statuses as words, with who and why
    change, created = shown(response)
    assert [(c.field, c.before, c.after) for c in change.changes] == [
        ("Parent objective", None, "Grow revenue"),
        ("Team", None, "Payments"),
        ("Status", "Draft", "Active"),
        ("Priority weight", "1", "2.5"),
    ]
    assert (change.user_name, change.revision.reason) == ("Erin", "Cascade it")
    assert created.action == "created"
    html = response.content.decode()
    assert "History of objective “Win mid-market”" in html
    assert f'href="{org_url("objective_detail", org, pk=plan["growth"].pk)}"' in html
    assert "Cascade it" in html


def test_a_change_with_no_reason_says_so(client, signed_in, org, plan):
    # given an objective created with no reason
    signed_in(Role.MEMBER)
    # when its history is opened
    response = client.get(org_url("plan_history", org) + f"?kind=objective&id={plan['root'].pk}")
    # then the entry says that no reason was given
    assert "No reason given." in response.content.decode()


def test_a_deleted_row_is_named_but_not_linked(client, signed_in, org, plan):
    # given an initiative deleted with a reason
    signed_in(Role.LEAD)
    # when the initiatives' history is read
    response = client.get(org_url("plan_history", org) + "?kind=initiative")
    # then its entries have no page to go to, and the deletion shows what it was and why
    deleted = shown(response)[0]
    assert (deleted.action, deleted.page_name, deleted.revision.reason) == ("deleted", None, "Descoped")
    assert [(c.field, c.before) for c in deleted.changes] == [("Title", "Spare"), ("Status", "On hold")]
    assert "(no longer in the plan)" in response.content.decode()


def test_a_link_to_a_row_deleted_since_is_named_as_deleted(client, signed_in, org, plan, executive):
    # given an initiative moved off an objective that was then deleted
    signed_in(Role.EXECUTIVE)
    short_lived = objective_create(actor=executive, data={"title": "Short-lived"}, reason="")
    orphan = initiative_create(actor=executive, data={"title": "Orphan", "objective": short_lived}, reason="")
    initiative_update(actor=executive, initiative=orphan, data={"objective": None}, reason="Moving on")
    objective_delete(actor=executive, objective=short_lived, reason="")
    # when the initiative's history is read
    response = client.get(org_url("plan_history", org) + f"?kind=initiative&id={orphan.pk}")
    # then the old link reads as a deleted objective, not as a bare id
    moved, _created = shown(response)
    assert [(c.field, c.before, c.after) for c in moved.changes] == [
        ("Objective", f"objective #{short_lived.pk} (deleted)", None)
    ]


def test_the_history_is_filtered_by_who_changed_it_and_by_dates(client, signed_in, org, plan, member_of):
    # given another executive who changed the plan once, three days ago
    viewer = signed_in(Role.VIEWER)
    planner = member_of(Role.EXECUTIVE)
    theirs = objective_create(actor=planner, data={"title": "Lead's objective"}, reason="")
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    Objective.history.filter(id=theirs.pk).update(history_date=three_days_ago)
    url = org_url("plan_history", org)
    day = timezone.localdate(three_days_ago).isoformat()
    # when the history is filtered by that person, then by the day, then by a range that ends before it
    by_person = client.get(f"{url}?changed_by={planner.user_id}")
    by_day = client.get(f"{url}?since={day}&until={day}")
    before = client.get(f"{url}?until={(timezone.localdate(three_days_ago) - datetime.timedelta(days=1))}")
    # then each shows only the changes that match
    assert entries(by_person) == [("created", "objective", "Lead's objective")]
    assert entries(by_day) == [("created", "objective", "Lead's objective")]
    assert entries(before) == []
    assert "No changes match these filters." in before.content.decode()
    assert viewer.user_id != planner.user_id


def test_the_history_is_filtered_by_kind(client, signed_in, org, plan):
    # given the plan above
    signed_in(Role.VIEWER)
    # when only allocations are asked for
    response = client.get(org_url("plan_history", org) + "?kind=allocation")
    # then only the staffing change is shown, linked to its initiative's page
    (allocation,) = shown(response)
    assert (allocation.noun, allocation.page_name, allocation.page_pk) == (
        "allocation",
        "initiative_detail",
        plan["checkout"].pk,
    )
    assert [(c.field, c.after) for c in allocation.changes] == [
        ("Person", "Ada"),
        ("Initiative", "Checkout"),
        ("Hours per week", "10"),
    ]


def test_an_invalid_filter_is_shown_and_not_applied(client, signed_in, org, plan):
    # given a member
    signed_in(Role.MEMBER)
    # when the range ends before it starts, and an id is given without a kind
    response = client.get(org_url("plan_history", org) + "?since=2026-05-02&until=2026-05-01&id=3")
    # then the errors are beside the filters (400), and the history is shown without them
    assert response.status_code == 400
    errors = response.context["filters"].errors
    assert errors["until"] == ["The end of the range cannot be before its start."]
    assert errors["kind"]
    assert response.context["subject"].object_id is None


def test_another_organizations_object_has_no_history_here(client, signed_in, org, other_org, plan):
    # given an objective of another organization with a revision
    signed_in(Role.ADMIN)
    theirs = Objective.objects.for_org(other_org).get()
    # when its history is asked for by id from this organization
    response = client.get(org_url("plan_history", org) + f"?kind=objective&id={theirs.pk}")
    # then nothing of it is shown
    assert shown(response) == []
    assert "Their secret plan" not in response.content.decode()


def test_the_history_is_read_a_page_at_a_time_forward_and_back(client, signed_in, org, executive):
    # given thirty changes
    signed_in(Role.VIEWER)
    objective = objective_create(actor=executive, data={"title": "v0"}, reason="")
    for n in range(1, 30):
        objective_update(actor=executive, objective=objective, data={"title": f"v{n}"}, reason=f"Step {n}")
    # when the pages are walked to the oldest change, then back one
    pages = walk(client, client.get(org_url("plan_history", org)), HISTORY, "Older changes")
    back = follow(client, pages[-1], HISTORY, "Newer changes")
    # then the newest 25 come first, the 5 oldest next, and the way back shows the newest again
    reasons = [[e.revision.reason for e in shown(page)] for page in pages]
    assert len(reasons) == 2
    assert reasons[0][:2] == ["Step 29", "Step 28"]
    assert len(reasons[0]) == 25
    assert reasons[1] == ["Step 4", "Step 3", "Step 2", "Step 1", ""]
    assert [e.revision.reason for e in shown(back)] == reasons[0]
    # and the history is never counted: no "N changes" nor "page 1 of 2"
    assert "Page 1 of" not in pages[0].content.decode()


def test_the_pages_of_one_kind_or_a_search_keep_it(client, signed_in, org, executive, monkeypatch):
    # given pages of 2, and a history of objectives, their key results and one about "checkout"
    monkeypatch.setattr("objectives.web.plan.history.HISTORY_PAGE_SIZE", 2)
    signed_in(Role.VIEWER)
    for n in range(3):
        objective = objective_create(actor=executive, data={"title": f"Goal {n}"}, reason="")
        key_result_create(
            actor=executive,
            data={"objective": objective, "title": f"Result {n}", "target_value": 1},
            reason="",
        )
    objective_create(actor=executive, data={"title": "Other"}, reason="A faster checkout")
    url = org_url("plan_history", org)
    # when the key results are walked, and the history is searched for "CHECKOUT"
    results = walk(client, client.get(url, {"kind": "key_result"}), HISTORY, "Older changes")
    found = client.get(url, {"q": "CHECKOUT"})
    # then each key result comes once, only they, newest first; the search finds its change by its reason
    labels = [e.revision.label for page in results for e in shown(page)]
    assert labels == ["Result 2", "Result 1", "Result 0"]
    assert [e.revision.label for e in shown(found)] == ["Other"]
    assert 'name="q" value="CHECKOUT"' in found.content.decode()


def test_the_history_is_searched_by_an_allocations_person(client, signed_in, org, plan):
    # given the plan above, whose allocation staffs Ada on Checkout
    signed_in(Role.VIEWER)
    # when the history is searched for Ada
    response = client.get(org_url("plan_history", org), {"q": "ada"})
    # then only the allocation's change is found
    assert [e.noun for e in shown(response)] == ["allocation"]


def test_a_damaged_page_link_of_the_history_answers_400_with_the_newest_changes(client, signed_in, org, plan):
    # given the plan above
    signed_in(Role.VIEWER)
    # when the history is opened with a cursor that is not one
    response = client.get(org_url("plan_history", org), {"cursor": "2026-01-01:1"})
    # then it says so, and shows the newest changes
    assert response.status_code == 400
    assert BAD_CURSOR_MESSAGE in response.content.decode()
    assert shown(response)


def test_a_later_page_of_the_history_runs_as_many_queries_for_three_times_the_revisions(
    client, signed_in, org, executive, monkeypatch
):
    # given pages of 3 and a viewer on the second page of the history
    monkeypatch.setattr("objectives.web.plan.history.HISTORY_PAGE_SIZE", 3)
    signed_in(Role.VIEWER)

    def changes(count: int) -> None:
        for i in range(count):
            objective = objective_create(actor=executive, data={"title": f"O{i}"}, reason="")
            key_result_create(
                actor=executive, data={"objective": objective, "title": "K", "target_value": 1}, reason=""
            )

    changes(4)
    url = pager_links(client.get(org_url("plan_history", org)), HISTORY)["Older changes"]
    # when it is read, then again with three times the revisions before it
    small = query_count(client, url)
    changes(8)
    large = query_count(client, url)
    # then the number of queries does not grow
    assert small == large


def test_the_history_runs_as_many_queries_for_thirty_revisions_as_for_ten(client, signed_in, org, executive):
    # given a viewer, and a plan whose history then grows threefold with changes of every kind
    signed_in(Role.VIEWER)
    url = org_url("plan_history", org)
    client.get(url)  # the session's first request does one-off work
    ada = PersonFactory(organization=org, name="Ada")

    def changes(n):
        for i in range(n):
            team = TeamFactory(organization=org)
            objective = objective_create(
                actor=executive, data={"title": f"O{n}-{i}", "team": team}, reason=""
            )
            initiative = initiative_create(
                actor=executive, data={"title": f"I{n}-{i}", "objective": objective}, reason=""
            )
            allocation_create(
                actor=executive,
                data={"person": ada, "initiative": initiative, "hours_per_week": Decimal(1)},
                reason="",
            )
            key_result_create(
                actor=executive, data={"objective": objective, "title": "K", "target_value": 1}, reason=""
            )
            objective_update(actor=executive, objective=objective, data={"status": "active"}, reason="")

    changes(2)  # 10 revisions
    few = query_count(client, url)
    changes(4)  # 30 revisions
    many = query_count(client, url)
    # then the queries do not grow with the revisions (nor with the links each names)
    assert few == many
    assert many <= 30


def test_the_history_of_one_object_keeps_its_kind_when_other_filters_change(client, signed_in, org, plan):
    # given the history of one objective
    signed_in(Role.VIEWER)
    # when it is opened
    form = client.get(org_url("plan_history", org) + f"?kind=objective&id={plan['growth'].pk}").context[
        "filters"
    ]
    # then its kind and id travel with the other filters, not as a choice that would show another object
    assert [field.name for field in form.hidden_fields()] == ["kind", "id", "change_set"]
