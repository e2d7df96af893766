"""The OpenAPI schema describes the objectives, key results, initiatives and tasks endpoints
truthfully: each operation, the `{org}` slug, If-Match and ETag, the enums, the filters, the
read-only progress, and every error each operation may answer."""

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from objectives.models import InitiativeStatus, ObjectiveStatus, ProgressStatusChoices, TaskStatus

PATHS = ["objectives", "key-results", "initiatives", "tasks"]
LINK = "/api/v1/orgs/{org}/tasks/link/"
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    """The schema of these endpoints alone, with any warning the generator gave."""
    GENERATOR_STATS.reset()
    generated = SchemaGenerator(patterns=[path("api/v1/", include("objectives.api.urls"))]).get_schema(
        request=None, public=True
    )
    return generated, dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)


def _operations(schema):
    for route, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield route, method, operation


def test_the_schema_is_valid_openapi_and_generated_without_warnings(schema):
    generated, warnings, errors = schema
    validate_schema(generated)
    assert (warnings, errors) == ({}, {})


def test_every_endpoint_and_operation_is_there(schema):
    generated, _, _ = schema
    routes = {route: set(operations) - {"parameters"} for route, operations in generated["paths"].items()}
    expected = {f"/api/v1/orgs/{{org}}/{name}/": {"get", "post"} for name in PATHS}
    expected |= {f"/api/v1/orgs/{{org}}/{name}/{{id}}/": {"get", "put", "patch", "delete"} for name in PATHS}
    expected[LINK] = {"post"}
    assert routes == expected


def test_the_organization_is_a_slug_and_the_id_an_integer(schema):
    generated, _, _ = schema
    for route, method, operation in _operations(generated):
        parameters = {(p["in"], p["name"]): p["schema"] for p in operation["parameters"]}
        assert parameters[("path", "org")] == {"type": "string", "pattern": r"^[-\w]+$"}, (route, method)
        if "{id}" in route:
            assert parameters[("path", "id")]["type"] == "integer", (route, method)


def test_every_operation_documents_its_errors(schema):
    generated, _, _ = schema
    for route, method, operation in _operations(generated):
        codes = set(operation["responses"])
        expected = {"401", "404"}
        if method in WRITES or (method == "get" and "{id}" not in route):
            expected.add("400")  # bad input, or a bad filter on lists
        if method in WRITES:
            expected.add("403")
        if method in {"put", "patch", "delete"}:
            expected.add("412")
        if method == "delete" and route.split("/")[-3] in {"objectives", "initiatives"}:
            expected.add("409")  # a goal's deletion that would take rows with it needs ?cascade=true
        assert expected <= codes, (route, method, codes)
        # and nothing else but success (and 429, the rate limit every endpoint may answer)
        assert codes - expected <= {"200", "201", "204", "429"}, (route, method, codes)


def test_the_error_answers_have_their_shapes(schema):
    generated, _, _ = schema
    patch = generated["paths"]["/api/v1/orgs/{org}/tasks/{id}/"]["patch"]["responses"]
    body = {
        code: patch[code]["content"]["application/json"]["schema"] for code in ("400", "403", "404", "412")
    }
    assert body["400"]["additionalProperties"]["anyOf"][0] == {"type": "array", "items": {"type": "string"}}
    assert body["403"] == body["404"] == {"$ref": "#/components/schemas/ErrorDetail"}
    assert body["412"] == {"$ref": "#/components/schemas/StaleVersionError"}


def test_updates_take_if_match_and_answer_with_etag(schema):
    generated, _, _ = schema
    for route, method, operation in _operations(generated):
        if method in {"put", "patch", "delete"}:
            assert ("header", "If-Match") in {(p["in"], p["name"]) for p in operation["parameters"]}, (
                route,
                method,
            )
        if method in {"put", "patch"} or (method == "get" and "{id}" in route):
            assert "ETag" in operation["responses"]["200"]["headers"], (route, method)


def test_statuses_are_enums(schema):
    generated, _, _ = schema
    components = generated["components"]["schemas"]
    for component, choices in [
        ("Objective", ObjectiveStatus),
        ("Initiative", InitiativeStatus),
        ("Task", TaskStatus),
    ]:
        reference = components[component]["properties"]["status"]["$ref"]
        assert set(components[reference.rsplit("/", 1)[1]]["enum"]) == set(choices.values), component


def test_progress_is_read_only_and_may_be_null(schema):
    generated, _, _ = schema
    objective = generated["components"]["schemas"]["Objective"]["properties"]
    assert objective["progress"] | {"description": ""} == {
        "type": "number", "format": "double", "readOnly": True, "nullable": True, "description": "",
    }  # fmt: skip
    status = objective["progress_status"]
    assert (status["readOnly"], status["nullable"]) == (True, True)
    references = [option["$ref"].rsplit("/", 1)[1] for option in status["oneOf"]]
    enums = [generated["components"]["schemas"][name].get("enum") for name in references]
    assert set(enums[0]) == set(ProgressStatusChoices.values)
    # a plan row's change takes a reason (write-only: only in the request body); a task takes none
    components = generated["components"]["schemas"]
    assert "reason" not in components["TaskRequest"]["properties"]
    assert "reason" not in components["Objective"]["properties"]
    assert components["ObjectiveRequest"]["properties"]["reason"]["writeOnly"]
    assert "progress" not in components["ObjectiveRequest"]["properties"]


def test_completed_at_is_writable(schema):
    generated, _, _ = schema
    task = generated["components"]["schemas"]["Task"]["properties"]["completed_at"]
    assert "readOnly" not in task
    assert task["format"] == "date-time"


@pytest.mark.parametrize(
    ("name", "filters"),
    [
        ("objectives", {"status", "team", "owner", "parent", "root", "updated_since", "search"}),
        ("key-results", {"objective", "updated_since", "search"}),
        ("initiatives", {"status", "team", "objective", "owner", "unlinked", "updated_since", "search"}),
        (
            "tasks",
            {
                "status",
                "team",
                "objective",
                "initiative",
                "assignee",
                "unlinked",
                "external_key",
                "updated_since",
                "search",
            },
        ),
    ],
)
def test_lists_document_their_filters_and_pages(schema, name, filters):
    generated, _, _ = schema
    operation = generated["paths"][f"/api/v1/orgs/{{org}}/{name}/"]["get"]
    queries = {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}
    assert set(queries) == filters | {"cursor", "page_size"}
    if "unlinked" in queries:
        assert queries["unlinked"]["type"] == "boolean"
    if "status" in queries:
        assert queries["status"]["enum"]
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert response.startswith("#/components/schemas/Paginated")


def test_the_bulk_link_is_json_in_and_a_list_of_tasks_out(schema):
    generated, _, _ = schema
    operation = generated["paths"][LINK]["post"]
    assert set(operation["requestBody"]["content"]) == {"application/json"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Task"},
    }
    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"]) <= {
        "200", "400", "401", "403", "404", "429",
    }  # fmt: skip
    body = generated["components"]["schemas"]["TaskLinkRequest"]
    assert body["required"] == ["tasks"]
    assert body["properties"]["tasks"]["maxItems"] == 1000


@pytest.mark.django_db
def test_the_served_schema_includes_these_endpoints(client):
    # when the schema is fetched from the API
    response = client.get("/api/v1/schema/", {"format": "json"})
    # then it describes these endpoints
    assert response.status_code == 200
    assert {f"/api/v1/orgs/{{org}}/{name}/" for name in PATHS} | {LINK} <= set(response.json()["paths"])
