"""The OpenAPI schema describes the account endpoints truthfully: each operation, the token scheme,
the `{org}` slug, If-Match, and every error each may answer."""

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from execgap.api.schema import document_throttling

ERRORS_OF = {
    ("/api/v1/auth/token/", "post"): {"201", "400", "429"},
    ("/api/v1/tokens/", "get"): {"200", "400", "401", "429"},
    ("/api/v1/tokens/", "post"): {"201", "400", "401", "429"},
    ("/api/v1/tokens/{token_key}/", "delete"): {"204", "401", "404", "429"},
    ("/api/v1/orgs/", "get"): {"200", "400", "401", "429"},
    ("/api/v1/orgs/", "post"): {"201", "400", "401", "429"},
    ("/api/v1/orgs/{org}/", "get"): {"200", "401", "404", "429"},
    ("/api/v1/orgs/{org}/", "patch"): {"200", "400", "401", "403", "404", "412", "429"},
    ("/api/v1/orgs/{org}/memberships/", "get"): {"200", "400", "401", "403", "404", "429"},
    ("/api/v1/orgs/{org}/memberships/", "post"): {"201", "400", "401", "403", "404", "429"},
    ("/api/v1/orgs/{org}/memberships/{id}/", "get"): {"200", "401", "403", "404", "429"},
    ("/api/v1/orgs/{org}/memberships/{id}/", "patch"): {"200", "400", "401", "403", "404", "429"},
    ("/api/v1/orgs/{org}/memberships/{id}/", "delete"): {"204", "400", "401", "403", "404", "429"},
}


@pytest.fixture(scope="module")
def schema():
    """The schema of the account endpoints alone, with any warning the generator gave."""
    GENERATOR_STATS.reset()
    patterns = [path("api/v1/", include("execgap.api.account_urls"))]
    generated = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    return generated, dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)


def test_the_schema_is_valid_openapi_and_generated_without_warnings(schema):
    generated, warnings, errors = schema
    validate_schema(generated)
    assert (warnings, errors) == ({}, {})


def test_every_operation_is_there_with_every_answer_it_gives(schema):
    generated, _, _ = schema
    found = {
        (route, method): set(operation["responses"])
        for route, operations in generated["paths"].items()
        for method, operation in operations.items()
    }
    assert found == ERRORS_OF


def test_the_token_scheme_is_the_authorization_header(schema):
    generated, _, _ = schema
    scheme = generated["components"]["securitySchemes"]["tokenAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert "Token <token>" in scheme["description"]
    assert "knoxApiToken" not in generated["components"]["securitySchemes"]
    tokens = generated["paths"]["/api/v1/tokens/"]["get"]
    assert {"tokenAuth": []} in tokens["security"]


def test_signing_in_needs_no_authentication(schema):
    generated, _, _ = schema
    operation = generated["paths"]["/api/v1/auth/token/"]["post"]
    assert operation.get("security", []) in ([], [{}])
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    fields = generated["components"]["schemas"][body]
    assert (set(fields["properties"]), set(fields["required"])) == (
        {"username", "password", "name", "expires_in_days"},
        {"username", "password"},
    )
    assert operation["responses"]["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}


def test_a_new_token_is_the_only_answer_with_the_token(schema):
    generated, _, _ = schema
    components = generated["components"]["schemas"]
    assert set(components["NewToken"]["properties"]) == {"token", "name", "token_key", "created", "expiry"}
    listed = components["Token"]["properties"]
    assert set(listed) == {"name", "token_key", "created", "expiry"}
    assert "PaginatedTokenList" in components


def test_the_organization_is_a_slug_and_its_changes_honour_if_match(schema):
    generated, _, _ = schema
    for route, operations in generated["paths"].items():
        if "{org}" not in route:
            continue
        for method, operation in operations.items():
            parameters = {(p["in"], p["name"]): p["schema"] for p in operation.get("parameters", [])}
            assert parameters[("path", "org")] == {"type": "string", "pattern": r"^[-\w]+$"}, (route, method)
    patch = generated["paths"]["/api/v1/orgs/{org}/"]["patch"]
    assert ("header", "If-Match") in {(p["in"], p["name"]) for p in patch["parameters"]}
    assert "ETag" in patch["responses"]["200"]["headers"]


def test_roles_are_an_enum(schema):
    generated, _, _ = schema
    components = generated["components"]["schemas"]
    role = components["Membership"]["properties"]["role"]
    enum = components[role["$ref"].rsplit("/", 1)[-1]] if "$ref" in role else role
    assert enum["enum"] == ["admin", "executive", "lead", "member", "viewer"]


def test_the_throttling_hook_gives_every_operation_its_429():
    # given a schema whose one operation says nothing of 429 and another that does
    own_429 = {"description": "Locked out", "content": {}}
    generated = {
        "paths": {
            "/a/": {"get": {"responses": {"200": {}}}, "parameters": []},
            "/b/": {"post": {"responses": {"201": {}, "429": own_429}}},
        }
    }
    # when the hook runs
    result = document_throttling(generated, None, None, True)
    # then the first now answers 429 with Retry-After, the second keeps its own, and the result is valid
    added = result["paths"]["/a/"]["get"]["responses"]["429"]
    assert added["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorDetail"}
    assert "Retry-After" in added["headers"]
    assert result["paths"]["/b/"]["post"]["responses"]["429"] is own_429
    assert "ErrorDetail" in result["components"]["schemas"]


def test_the_whole_api_schema_stays_valid_with_the_throttling_hook():
    generated = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(document_throttling(generated, None, None, True))
