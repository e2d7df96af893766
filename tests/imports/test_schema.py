"""The OpenAPI schema describes the import truthfully: its three request bodies, its options, the
report, the 202 job answer and every error."""

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

ROUTE = "/api/v1/orgs/{org}/imports/tasks/"


@pytest.fixture(scope="module")
def schema():
    GENERATOR_STATS.reset()
    patterns = [path("api/v1/", include("objectives.api.import_urls"))]
    generated = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    return generated, dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)


def test_the_schema_is_valid_openapi_and_generated_without_warnings(schema):
    generated, warnings, errors = schema
    validate_schema(generated)
    assert (warnings, errors) == ({}, {})
    assert {route: set(operations) for route, operations in generated["paths"].items()} == {ROUTE: {"post"}}


def test_the_request_is_a_file_a_csv_body_or_json(schema):
    generated, _, _ = schema
    operation = generated["paths"][ROUTE]["post"]
    content = operation["requestBody"]["content"]
    assert set(content) == {"multipart/form-data", "text/csv", "application/json"}
    components = generated["components"]["schemas"]
    upload = components["TaskImportUploadRequest"]
    assert "file" in upload["required"]
    assert upload["properties"]["file"]["format"] == "binary"
    # the JSON body is the object with `tasks` (a bare list is read too, but a generated client could
    # not tell a list from its other bodies)
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/TaskImportJsonRequest"}
    tasks = components["TaskImportJsonRequest"]["properties"]["tasks"]
    assert tasks["items"] == {"$ref": "#/components/schemas/TaskImportRowRequest"}
    assert components["TaskImportRowRequest"]["required"] == ["external_key"]
    options = {p["name"]: p["schema"]["type"] for p in operation["parameters"] if p["in"] == "query"}
    assert options == {
        "dry_run": "boolean", "all_or_nothing": "boolean", "skip_errors": "boolean", "status_map": "string",
        "link_map": "string",
        "team": "integer", "base_url": "string", "timezone": "string",
    }  # fmt: skip


def test_the_answers_are_the_report_a_job_or_an_error(schema):
    generated, _, _ = schema
    responses = generated["paths"][ROUTE]["post"]["responses"]
    assert {"200", "202", "400", "401", "403", "404"} <= set(responses)
    assert responses["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/TaskImportReport"
    }
    assert responses["202"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/TaskImportAccepted"
    }
    refused = responses["400"]["content"]["application/json"]["schema"]["oneOf"]
    assert refused[0] == {"$ref": "#/components/schemas/TaskImportReport"}
    components = generated["components"]["schemas"]
    row = components["TaskImportRowReport"]["properties"]
    action = row["action"]["allOf"][0]["$ref"].rsplit("/", 1)[-1]
    assert components[action]["enum"] == ["created", "updated", "unchanged", "goal", "error"]
    assert set(row) == {"row", "external_key", "action", "task", "link", "changes", "errors", "warnings"}
