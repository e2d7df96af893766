"""The cut line is kept in the shared cache while nothing it reads changes, and drawn anew after a
change through the services (which moves the organization's `scores_changed_at`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from execgap.models import Role
from objectives.services import initiative_update
from scoring.cut_line import cut_line_read
from tests.factories import InitiativeFactory, MembershipFactory, ObjectiveFactory, TaskFactory
from tests.scoring.builders import D

pytestmark = pytest.mark.django_db


def test_a_kept_line_is_read_without_queries_and_a_change_draws_it_anew(org, django_assert_num_queries):
    # given an active initiative of 40 h and the line read once
    objective = ObjectiveFactory(organization=org, status="active")
    initiative = InitiativeFactory(organization=org, objective=objective, title="Billing")
    TaskFactory(organization=org, initiative=initiative, effort_hours=Decimal(40))
    first = cut_line_read(organization=org, as_of=D)
    assert first.total_demand == 40
    # when it is read again with nothing changed, then it comes from the cache, with no query
    with django_assert_num_queries(0):
        assert cut_line_read(organization=org, as_of=D) == first
    # when the initiative is estimated at 120 h through the service
    admin = MembershipFactory(organization=org, role=Role.ADMIN)
    initiative_update(actor=admin, initiative=initiative, data={"estimate_hours": "120"})
    org.refresh_from_db()
    # then the line is drawn anew: the estimate is the initiative's demand
    assert cut_line_read(organization=org, as_of=D).total_demand == 120
