"""Every table's download, found from the URL configuration: each runs the same queries for a small
organization and for one three times its size (within a chunk, no query per row), and answers CSV to
the role of its page. A download added later is covered without a line here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from execgap.models import Role
from scenarios.models import Scenario
from scoring.services import scores_recompute
from tests.factories.scenarios import ScenarioFactory
from tests.web.conftest import org_url
from tests.web.dashboards.conftest import organization_of_size
from tests.web.export.downloads import download_queries

pytestmark = pytest.mark.django_db


def _downloads() -> Iterator[URLPattern]:
    def walk(patterns: list[URLPattern | URLResolver]) -> Iterator[URLPattern]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif str(pattern.pattern).endswith(".csv"):
                yield pattern

    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and "org_slug" in str(entry.pattern):
            yield from walk(entry.url_patterns)


DOWNLOADS = sorted(pattern.name for pattern in _downloads() if pattern.name)
EVALUATION = {"scores": {"resources": {"baseline": 50.0, "scenario": 60.0, "difference": 10.0}}}


def test_the_downloads_are_found():
    # then the walk finds them (a broken walk would make the test below vacuous)
    assert {"objective_tasks_csv", "team_tasks_csv", "feedback_list_csv", "plan_history_csv"} <= set(
        DOWNLOADS
    )


def _ids(name: str, built, scenario: Scenario) -> dict[str, int]:
    """The row a download with an id is about: the first objective, initiative or team built."""
    if name.startswith("objective_"):
        return {"pk": built.objectives[0].pk}
    if name.startswith("initiative_"):
        return {"pk": built.initiatives[0].pk}
    if name.startswith("team_"):
        return {"pk": built.objectives[0].team_id}
    if name.startswith("scenarios_evaluation"):
        return {"pk": scenario.pk}
    return {}


@pytest.mark.parametrize("name", DOWNLOADS)
def test_every_download_runs_as_many_queries_for_three_times_the_rows(client, signed_in, org, name):
    # given an admin (every page is theirs) and a small organization with scores and a scenario
    signed_in(Role.ADMIN)
    built = organization_of_size(org, 1)
    scenario = ScenarioFactory(organization=org, evaluation=EVALUATION)
    scores_recompute(organization_id=org.pk)
    url = org_url(name, org, **_ids(name, built, scenario))
    download_queries(client, url)  # the first request of the session also saves its organization
    small = download_queries(client, url)
    # when the organization grows to three times its rows (scored again)
    organization_of_size(org, 2)
    ScenarioFactory.create_batch(2, organization=org, evaluation=EVALUATION)
    scores_recompute(organization_id=org.pk)
    # then the download runs the same queries
    assert download_queries(client, url) == small, name
