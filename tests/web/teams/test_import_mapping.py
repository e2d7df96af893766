"""The mapping shown with a team's dry run: an epic mapped to a goal with the goal picker, the
mapping remembered for the team's next import, the time zone, and a page whose queries do not
grow with the rows."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from objectives.models import Task, TaskImportMapping
from tests.imports.jira import Issue, jira_export
from tests.web.conftest import org_url
from tests.web.teams.test_import import again, dry_run, mapping_fields

pytestmark = pytest.mark.django_db


def export(*issues: Issue) -> SimpleUploadedFile:
    return SimpleUploadedFile("export.csv", jira_export(issues).encode(), content_type="text/csv")


def epic_and_stories(count: int = 2) -> list[Issue]:
    stories = [
        Issue(f"WEB-{n}", f"Story {n}", parent="900", parent_summary="Roadmap") for n in range(2, count + 2)
    ]
    return [Issue("WEB-1", "Roadmap", "To Do", "Epic", issue_id="900"), *stories]


def test_a_lead_maps_an_epic_to_a_goal_and_the_team_remembers_it(client, org, team_setup):
    # given a dry run of an epic no goal is titled like, and its stories
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    page = dry_run(client, org, setup.team, export(*epic_and_stories())).content.decode()
    # then the epic is offered with a goal picker, its stories warned to be imported unlinked
    assert "WEB-1 · Roadmap (Epic) (2 rows)" in page
    assert "links to no goal: map it to a goal on the import page" in page
    fields = mapping_fields(page)
    assert fields["goal_0"] == ""
    # when the lead picks the team's initiative for it and commits
    response = again(client, org, setup.team, page, goal_0=f"initiative:{setup.initiative.pk}")
    # then the stories link to it, the epic is no task, and the team remembers the epic's key and id
    assert response.status_code == 302
    tasks = {task.external_key: task.initiative_id for task in Task.objects.filter(organization=org)}
    assert tasks == {"WEB-2": setup.initiative.pk, "WEB-3": setup.initiative.pk}
    remembered = TaskImportMapping.objects.for_org(org).get(team=setup.team)
    assert remembered.link_map == {
        "WEB-1": {"initiative": setup.initiative.pk}, "900": {"initiative": setup.initiative.pk},
    }  # fmt: skip
    # and the team's next upload shows the mapping chosen, its new story linked
    later = dry_run(client, org, setup.team, export(Issue("WEB-9", "Later", parent="900"))).content.decode()
    assert mapping_fields(later)["goal_0"] == f"initiative:{setup.initiative.pk}"
    assert f"Initiative: {setup.initiative.title}" in later


def test_the_time_zone_of_the_export_is_chosen_on_upload(client, org, team_setup):
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    upload = export(Issue("WEB-1", "Done work", "Done", resolved="18/Nov/26 2:35 PM"))
    page = dry_run(client, org, setup.team, upload, timezone="America/New_York").content.decode()
    assert mapping_fields(page)["timezone"] == "America/New_York"
    again(client, org, setup.team, page)
    completed = Task.objects.get(organization=org, external_key="WEB-1").completed_at
    assert completed.isoformat() == "2026-11-18T19:35:00+00:00"


def test_an_unknown_time_zone_is_refused_beside_its_field(client, org, team_setup):
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    response = dry_run(client, org, setup.team, export(Issue("WEB-1", "Work")), timezone="Mars/Olympus")
    assert response.status_code == 400
    assert not Task.objects.filter(organization=org).exists()


def test_the_dry_run_page_runs_as_many_queries_for_three_times_the_rows(client, org, team_setup):
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    url = org_url("task_import", org, pk=setup.team.pk)
    client.get(url)  # the session's first write is not the page's
    counts = []
    for count in (10, 30):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = dry_run(client, org, setup.team, export(*epic_and_stories(count)))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
