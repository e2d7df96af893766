"""The benchmark finds what to measure by itself: every page of an organization in the URL configuration
(a page added later included, its ids filled from the generated organization) and every API collection
in the OpenAPI schema. A page whose ids it cannot fill is listed as not measured, never dropped."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path, resolve

from execgap.models import Role
from execgap.urls import urlpatterns as project_urlpatterns
from scoring.benchmark.pages import Measured, Target, targets_of
from scoring.benchmark.routes import ApiEndpoint, api_collections, organization_pages, unmeasurable
from scoring.benchmark.visitors import Visitors

IDS = {
    "team": 11, "person": 12, "objective": 13, "initiative": 14, "key_result": 15, "task": 16,
    "allocation": 17, "feedback": 18, "membership": 19, "invitation": 20, "job": 21, "scenario": 22,
    "change": 23, "alert": 24, "alert_rule": 25, "webhook": 26, "delivery": 27,
}  # fmt: skip


def _page(request: HttpRequest, org_slug: str, **ids: int) -> HttpResponse:
    return HttpResponse("a page added later")


# The project's URLs, and two pages added later: one with ids of known kinds, one with an id of a new kind.
urlpatterns = [
    path(
        "o/<slug:org_slug>/",
        include([
            path("initiatives/<int:pk>/risks/<int:feedback_pk>/", _page, name="initiative_risk"),
            path("widgets/<int:pk>/", _page, name="widget"),
        ]),
    ),
    *project_urlpatterns,
]  # fmt: skip


def test_every_page_of_the_organization_is_found_and_each_id_is_of_a_known_kind():
    # given the project's URL configuration
    # when the benchmark lists the pages of an organization
    pages = organization_pages()
    names = {page.name for page in pages}
    # then the main pages, the goal pages, a team's import job, the settings and the polled status are there
    assert {
        "health", "strategy_map", "objective_detail", "initiative_detail", "alignment", "resources",
        "teams", "team_workspace", "task_import_job", "my_work", "feedback_list", "feedback_detail",
        "plan_history", "settings", "settings_people", "settings_member_role", "scores_status",
    } <= names  # fmt: skip
    # and nothing outside an organization
    assert "home" not in names
    assert "login" not in names
    # and every id of every page is of a kind the benchmark can fill in
    assert unmeasurable(pages) == []


def test_each_filled_path_opens_the_page_it_was_made_for():
    # given every page, with the ids of an organization
    for page in organization_pages():
        # when its path is filled in
        filled = page.path("acme", IDS)
        # then the URL configuration resolves it to that very page, with the ids in their places
        match = resolve(filled.split("?")[0])
        assert match.url_name == page.name, filled
        assert match.kwargs["org_slug"] == "acme"
    team_import_job = next(page for page in organization_pages() if page.name == "task_import_job")
    assert team_import_job.label == "/o/{org}/teams/{team}/import/{job}/"
    assert team_import_job.path("acme", IDS) == "/o/acme/teams/11/import/21/"


def test_a_page_added_later_is_found_with_its_ids_filled():
    # given a URL configuration where a page was added under the organization's prefix
    # when the benchmark lists the pages
    pages = organization_pages(urlconf=__name__)
    [added] = [page for page in pages if page.name == "initiative_risk"]
    # then the new page is found, each of its ids known by the route (a pk after "initiatives", a feedback_pk)
    assert added.label == "/o/{org}/initiatives/{initiative}/risks/{feedback}/"
    assert added.path("acme", IDS) == "/o/acme/initiatives/14/risks/18/"
    # and the project's own pages are still all there
    assert {page.name for page in organization_pages()} <= {page.name for page in pages}


def test_a_page_with_an_id_of_an_unknown_kind_is_reported_not_dropped():
    # given a page whose id the benchmark cannot tell the kind of (a pk after "widgets")
    pages = organization_pages(urlconf=__name__)
    [widget] = [page for page in pages if page.name == "widget"]
    assert unmeasurable(pages) == [widget]
    # when the benchmark makes its targets
    visitors = Visitors(slug="acme", ids=IDS)
    targets = targets_of(visitors, pages=[widget], api=[])
    # then the page is a target that says why it is not measured
    assert targets == [Target("/o/{org}/widgets/{?}/", "", Role.EXECUTIVE, skipped="no id for pk")]
    skipped = Measured(targets[0], outcome=f"not measured: {targets[0].skipped}")
    assert skipped.problem() == "not measured: no id for pk"


def test_pages_that_need_a_query_are_measured_with_it():
    # given the strategy map, measured whole and fully expanded, and one level of it (which needs `of`)
    pages = organization_pages()
    # when the addresses are filled in
    labels = {page.label: page.path("acme", IDS) for page in pages if page.name.startswith("strategy_map")}
    # then each query is a target of its own, its ids filled in too
    assert labels["/o/{org}/strategy/"] == "/o/acme/strategy/"
    assert labels["/o/{org}/strategy/?expand=all"] == "/o/acme/strategy/?expand=all"
    assert labels["/o/{org}/strategy/level/?of={objective}"] == "/o/acme/strategy/level/?of=13"


def test_the_api_collections_come_from_the_schema():
    # given the API's OpenAPI schema
    # when the benchmark lists the endpoints that take no id but the organization's
    templates = {endpoint.template for endpoint in api_collections()}
    # then every list is there, the scores' too, and the caller's organizations and tokens
    assert {
        "/api/v1/orgs/", "/api/v1/tokens/", "/api/v1/orgs/{org}/tasks/", "/api/v1/orgs/{org}/people/",
        "/api/v1/orgs/{org}/scores/objectives/", "/api/v1/orgs/{org}/scores/history/",
        "/api/v1/orgs/{org}/jobs/",
    } <= templates  # fmt: skip
    # and no endpoint of one row
    assert not [template for template in templates if "{id}" in template]


def test_an_api_collection_added_later_is_found():
    # given a schema with a new list, an endpoint of one row, and a write-only endpoint
    schema = {
        "paths": {
            "/api/v1/orgs/{org}/risks/": {"get": {"operationId": "v1_orgs_risks_list"}, "post": {}},
            "/api/v1/orgs/{org}/risks/{id}/": {"get": {"operationId": "v1_orgs_risks_retrieve"}},
            "/api/v1/auth/token/": {"post": {"operationId": "v1_auth_token_create"}},
        }
    }
    # when the benchmark lists the collections
    found = api_collections(schema)
    # then only the new list is one, and its path is filled with the organization's slug
    assert found == [ApiEndpoint("v1_orgs_risks_list", "/api/v1/orgs/{org}/risks/")]
    assert found[0].path("acme") == "/api/v1/orgs/acme/risks/"
