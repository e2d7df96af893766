"""The OpenAPI schema describes the teams, people, allocations, check-ins, feedback and recognitions
endpoints truthfully: each operation, the `{org}` slug, If-Match, and every error it may answer."""

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

PATHS = ["teams", "people", "allocations", "check-ins", "feedback", "recognitions"]
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    """The schema of these endpoints alone, with any warning the generator gave."""
    patterns = [
        path("api/v1/", include("resources.api.urls")),
        path("api/v1/", include("feedback.api.urls")),
    ]
    GENERATOR_STATS.reset()
    generated = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
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
    expected["/api/v1/orgs/{org}/recognitions/{id}/"] = {"get", "delete"}
    expected |= {
        f"/api/v1/orgs/{{org}}/feedback/{{id}}/{answer}/": {"post"}
        for answer in ("acknowledge", "respond", "resolve")
    }
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
        expected = {"401", "404", "429"}  # every operation may be throttled
        if method in WRITES or route.endswith(
            ("/{org}/teams/", "people/", "allocations/", "check-ins/", "feedback/", "recognitions/")
        ):
            expected.add("400")  # bad input, or a bad filter on lists
        if method in WRITES:
            expected.add("403")
        if method in {"put", "patch", "delete"} or route.endswith(("acknowledge/", "respond/", "resolve/")):
            expected.add("412")
        assert expected <= codes, (route, method, codes)
        assert codes - expected <= {"200", "201", "204"}, (route, method, codes)


def test_updates_take_if_match_and_answer_with_etag(schema):
    generated, _, _ = schema
    for route, method, operation in _operations(generated):
        if method in {"put", "patch", "delete"} or route.endswith(("acknowledge/", "respond/", "resolve/")):
            assert ("header", "If-Match") in {(p["in"], p["name"]) for p in operation["parameters"]}, (
                route,
                method,
            )
        if method in {"put", "patch"} or (method == "get" and "{id}" in route):
            assert "ETag" in operation["responses"]["200"]["headers"], (route, method)


def test_the_error_shapes_are_components(schema):
    generated, _, _ = schema
    components = generated["components"]["schemas"]
    assert components["ErrorDetail"]["required"] == ["detail"]
    assert components["StaleVersionError"]["required"] == ["current_version", "detail"]


@pytest.mark.django_db
def test_the_served_schema_includes_these_endpoints(client):
    # when the schema is fetched from the API
    response = client.get("/api/v1/schema/", {"format": "json"})
    # then it describes these endpoints
    assert response.status_code == 200
    assert {f"/api/v1/orgs/{{org}}/{name}/" for name in PATHS} <= set(response.json()["paths"])
