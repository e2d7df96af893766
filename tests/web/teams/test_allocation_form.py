"""The staffing form as a lead reads it: one layout, its heading naming the initiative it staffs
before and after a refused save, and its labels each above its own field."""

from __future__ import annotations

import re

import pytest

from tests.factories import InitiativeFactory, PersonFactory
from tests.web.conftest import org_url, query_count

pytestmark = pytest.mark.django_db


def test_a_refused_form_keeps_the_initiative_in_its_heading(client, org, team_setup):
    # given a lead on the staffing form of their team's initiative
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    url = org_url("allocation_create", org) + f"?initiative={setup.initiative.pk}"
    assert f"Add an allocation to {setup.initiative.title}</h1>" in client.get(url).content.decode()
    # when they save it without hours
    response = client.post(url, {"initiative": setup.initiative.pk, "person": setup.member_person.pk})
    # then it is refused, and the heading still names the initiative
    page = response.content.decode()
    assert response.status_code == 400
    assert f"Add an allocation to {setup.initiative.title}</h1>" in page


def test_each_field_is_its_label_then_its_notes_then_the_field(client, org, team_setup):
    # given a lead on the staffing form
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    url = org_url("allocation_create", org) + f"?initiative={setup.initiative.pk}"
    # when they send it without hours
    page = client.post(url, {"initiative": setup.initiative.pk}).content.decode()
    # then the hours are a group of their own: the label, the help, the error, then the box, which
    # names the help and the error it is described by
    group = re.search(r'<div class="field field-number field-invalid">(.*?)</div>\s*</?div', page, re.S)
    assert group is not None
    hours = group.group(1)
    assert hours.index('<label for="id_hours_per_week">') < hours.index('id="id_hours_per_week_helptext"')
    assert hours.index('id="id_hours_per_week_helptext"') < hours.index('id="id_hours_per_week_error"')
    assert 'aria-describedby="id_hours_per_week_helptext id_hours_per_week_error"' in hours
    # and the buttons are a row of their own after the fields
    assert page.index('<div class="form-actions">') > page.index('id="id_hours_per_week"')


def test_the_refused_form_runs_as_many_queries_in_a_larger_organization(client, org, team_setup):
    # given a lead on the staffing form, refused once
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    url = org_url("allocation_create", org) + f"?initiative={setup.initiative.pk}"
    client.get(url)  # the session's first write is not the page's
    sent = {"initiative": setup.initiative.pk, "person": setup.member_person.pk}
    small = query_count(client, url, method="post", data=sent, status=400)
    # when the organization has many more people and initiatives
    PersonFactory.create_batch(20, organization=org)
    InitiativeFactory.create_batch(20, organization=org, team=setup.team)
    # then the refused form runs the same queries
    assert query_count(client, url, method="post", data=sent, status=400) == small
