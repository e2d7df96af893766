"""The whole API's schema is one a generated client can use: valid and generated without warnings,
every operation named once by its resource and action, every request body JSON alone (but the task
import's), a request body without the fields only the server writes, enums named, and each operation
documenting the answers of its own method only."""

import re

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

METHODS = {"get", "put", "post", "patch", "delete"}
IMPORT = "/api/v1/orgs/{org}/imports/tasks/"


@pytest.fixture(scope="module")
def schema():
    GENERATOR_STATS.reset()
    patterns = [path("api/v1/", include("execgap.api.routes"))]
    generated = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    return generated, dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)


def operations(generated):
    for route, by_method in generated["paths"].items():
        for method, operation in by_method.items():
            if method in METHODS:
                yield route, method, operation


def test_the_schema_is_valid_and_generated_without_warnings(schema):
    generated, warnings, errors = schema
    validate_schema(generated)
    assert (warnings, errors) == ({}, {})


def test_each_operation_id_is_unique_and_names_resource_and_action(schema):
    generated, _, _ = schema
    ids = [operation["operationId"] for _, _, operation in operations(generated)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", name) for name in ids), ids
    assert not [name for name in ids if name.startswith(("v1_", "api_", "orgs_orgs"))]
    named = {(route, method): operation["operationId"] for route, method, operation in operations(generated)}
    assert named[("/api/v1/orgs/{org}/teams/", "post")] == "teams_create"
    assert named[("/api/v1/orgs/{org}/scores/history/", "get")] == "scores_history_list"
    assert named[("/api/v1/orgs/{org}/", "get")] == "orgs_retrieve"
    assert named[("/api/v1/auth/token/", "post")] == "auth_token_create"


def test_request_bodies_are_json_only_but_the_imports(schema):
    generated, _, _ = schema
    offered = {
        (route, method): set(operation["requestBody"]["content"])
        for route, method, operation in operations(generated)
        if "requestBody" in operation
    }
    assert offered.pop((IMPORT, "post")) == {"application/json", "multipart/form-data", "text/csv"}
    assert set(map(frozenset, offered.values())) == {frozenset({"application/json"})}


def test_a_request_body_has_no_field_the_server_writes(schema):
    generated, _, _ = schema
    components = generated["components"]["schemas"]
    team = components["TeamRequest"]
    assert team["required"] == ["name"]
    assert not {"id", "version", "created_at", "updated_at"} & set(team["properties"])
    assert "required" not in components["PatchedTeamRequest"]
    for name, component in components.items():
        if name.endswith("Request"):
            assert not [
                field for field, spec in component.get("properties", {}).items() if spec.get("readOnly")
            ]


def test_each_operation_documents_the_answers_of_its_method(schema):
    generated, _, _ = schema
    for route, method, operation in operations(generated):
        successes = {code for code in operation["responses"] if code.startswith("2")}
        if method == "get":
            assert successes == {"200"}, (route, method)
            assert "requestBody" not in operation, route
        if method == "post":
            assert successes <= {"200", "201", "202"}, route
            queries = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            assert not {"cursor", "page_size", "search"} & queries, route
        if method == "delete":
            assert successes == {"204"}, route


def test_enums_are_named(schema):
    generated, _, _ = schema
    components = generated["components"]["schemas"]
    assert components["ScoreBandEnum"]["enum"] == ["healthy", "watch", "critical"]
    unnamed = [name for name in components if re.search(r"[0-9a-f]{3}Enum$", name)]
    assert unnamed == []
