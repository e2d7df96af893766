"""The alignment page's goal search: exactly the goals a task may be linked to from that page (live
objectives and the active initiatives serving them, at the snapshot's date), ranked, the
organization's only, in a constant number of queries."""

from __future__ import annotations

import pytest

from execgap.models import Role
from tests.factories import ObjectiveFactory
from tests.web.conftest import org_url, query_count
from tests.web.pickers.conftest import found, labels

pytestmark = pytest.mark.django_db


def search(client, org, **params):
    return client.get(org_url("alignment_goal_search", org), params)


def test_with_nothing_typed_every_live_goal_is_offered(client, signed_in, scored):
    # given the worked example: live objectives r1, r2, c1, c2; i1 the one active initiative serving
    # a live objective (i2 is on hold, i3 serves none; r3 is cancelled, c3 a draft)
    signed_in(Role.LEAD, scored.org)
    # when the row's picker asks with nothing typed
    response = search(client, scored.org)
    # then exactly those goals are offered, objectives and initiatives keyed by kind
    assert set(found(response)) == {
        *(f"objective:{o.pk}" for o in (scored.r1, scored.r2, scored.c1, scored.c2)),
        f"initiative:{scored.i1.pk}",
    }


def test_a_goal_is_found_by_its_title_and_by_the_objective_above_it(client, signed_in, scored):
    # given the worked example (c1 sits under r1; i1 serves a live objective)
    signed_in(Role.EXECUTIVE, scored.org)
    # when the picker searches the title of c1, then that of i1's objective
    by_title = search(client, scored.org, q=scored.c1.title)
    by_parent = search(client, scored.org, q=scored.i1.objective.title)
    # then c1 comes first (its own title), and i1 is found through its objective
    assert found(by_title)[0] == f"objective:{scored.c1.pk}"
    assert labels(by_title)[0] == f"{scored.c1.title} (under {scored.r1.title})"
    assert f"initiative:{scored.i1.pk}" in found(by_parent)


def test_goals_that_do_not_align_work_are_not_found(client, signed_in, scored):
    # given the worked example: r3 cancelled, c3 a draft, i2 on hold
    signed_in(Role.EXECUTIVE, scored.org)
    # when the picker searches each of them by title
    for row in (scored.r3, scored.c3, scored.i2):
        # then none is found
        assert found(search(client, scored.org, q=row.title)) == [], row.title


def test_another_organizations_goals_are_never_found(client, signed_in, scored, other_org):
    # given a live objective of another organization
    signed_in(Role.EXECUTIVE, scored.org)
    ObjectiveFactory(organization=other_org, title="Elsewhere", status="active")
    # when the picker searches for it, then it is not found
    assert found(search(client, scored.org, q="elsewhere")) == []


def test_a_search_runs_as_many_queries_for_many_goals_as_for_few(client, signed_in, scored):
    # given a lead on the worked example
    signed_in(Role.LEAD, scored.org)
    url = org_url("alignment_goal_search", scored.org)
    client.get(url)
    few = query_count(client, f"{url}?q=r")
    # when many more live objectives exist
    for number in range(30):
        ObjectiveFactory(organization=scored.org, title=f"r extra {number}", status="active")
    many = query_count(client, f"{url}?q=r")
    # then the queries stay the same: the sign-in, the snapshot, the objectives, the initiatives
    assert few == many <= 7
