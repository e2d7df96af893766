"""The OpenAPI schema describes the score and job endpoints truthfully: each operation, its enums,
nullable numbers and errors; and what the endpoints answer conforms to it (schemathesis, over a
real token and the worked example)."""

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from execgap.models import ApiToken, Role
from scoring.api.headline import ScoresSerializer
from tests.factories import MembershipFactory

SCORES = "/api/v1/orgs/{org}/scores/"
JOBS = "/api/v1/orgs/{org}/jobs/"


@pytest.fixture(scope="module")
def schema():
    patterns = [
        path("api/v1/", include("scoring.api.urls")),
        path("api/v1/", include("execgap.api.job_urls")),
    ]
    GENERATOR_STATS.reset()
    generated = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    return generated, dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)


def test_the_schema_is_valid_openapi_and_generated_without_warnings(schema):
    generated, warnings, errors = schema
    validate_schema(generated)
    assert (warnings, errors) == ({}, {})


def test_every_endpoint_and_operation_is_there(schema):
    generated, _, _ = schema
    routes = {route: set(operations) - {"parameters"} for route, operations in generated["paths"].items()}
    assert routes == {
        SCORES: {"get"},
        **{
            f"{SCORES}{name}/": {"get"}
            for name in ("objectives", "initiatives", "teams", "drivers", "history")
        },
        f"{SCORES}recompute/": {"post"},
        "/api/v1/orgs/{org}/signals/": {"get"},
        "/api/v1/orgs/{org}/capacity/cut-line/": {"get"},
        JOBS: {"get"},
        f"{JOBS}{{id}}/": {"get"},
    }


def test_every_operation_documents_its_answers(schema):
    generated, _, _ = schema
    codes = {  # less 429 (throttled), which every operation of the API documents
        (route, method): set(operation["responses"]) - {"429"}
        for route, operations in generated["paths"].items()
        for method, operation in operations.items()
    }
    assert codes.pop((f"{SCORES}recompute/", "post")) == {"202", "400", "401", "403", "404"}
    assert codes.pop((f"{JOBS}{{id}}/", "get")) == {"200", "401", "404"}
    assert set(map(frozenset, codes.values())) == {frozenset({"200", "400", "401", "404"})}


def test_undefined_numbers_are_nullable_and_statuses_are_enums(schema):
    generated, _, _ = schema
    components = generated["components"]["schemas"]
    assert components["Scores"]["properties"]["execution_health"]["nullable"] is True
    assert components["AlignmentScore"]["properties"]["score"]["nullable"] is True
    assert components["AlignmentParts"]["properties"]["traceability"]["nullable"] is True
    assert components["ObjectiveScore"]["properties"]["actual_share"]["nullable"] is True
    assert components["TeamScore"]["properties"]["score"]["nullable"] is True
    assert components["ProgressStatusEnum"]["enum"] == ["on_track", "behind", "at_risk"]
    assert components["ObjectiveScore"]["properties"]["progress_status"]["nullable"] is True
    state = components["Job"]["properties"]["state"]["allOf"][0]["$ref"].rsplit("/", 1)[-1]
    assert components[state]["enum"] == ["queued", "running", "succeeded", "failed"]
    kind = components["Job"]["properties"]["kind"]["allOf"][0]["$ref"].rsplit("/", 1)[-1]
    assert components[kind]["enum"] == ["recompute", "task_import", "scenario_evaluation"]


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, keeping the test's database connection across requests (as
    Django's test client does: the end of a request would close a connection inside a transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_what_the_endpoints_answer_conforms_to_the_schema(example, schema, wsgi_app):
    # given the worked example's snapshot and a lead's real token
    membership = MembershipFactory(organization=example.org, role=Role.LEAD)
    _, token = ApiToken.objects.create(user=membership.user, name="schema test")
    api = schemathesis.openapi.from_dict(schema[0])
    api.app = wsgi_app
    failures = []
    # when schemathesis sends what the schema allows (in the organization, and with made-up ids)
    for result in api.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(), slug=st.sampled_from([example.org.slug, "globex"]))
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case, slug):
            case.path_parameters["org"] = slug
            response = case.call(headers={"Authorization": f"Token {token}"})
            # then no answer is a server error and every answer conforms to the schema
            try:
                case.validate_response(response, checks=_checks())
            except AssertionError as failure:
                failures.append(f"{case.method} {case.formatted_path} {case.query}: {failure}")

        check()
    assert failures == []


def _checks():
    from schemathesis.specs.openapi import checks

    return [
        checks.status_code_conformance,
        checks.content_type_conformance,
        checks.response_schema_conformance,
        schemathesis.checks.not_a_server_error,
    ]


@pytest.mark.django_db
def test_the_scores_answer_has_exactly_the_fields_of_its_schema(example, client_as):
    # given the worked example's answer, built as plain data
    answer = example.client.get("/api/v1/orgs/acme/scores/").json()
    # when it is read through the serializer that the schema describes, then nothing is added or lost
    assert json.loads(json.dumps(ScoresSerializer(answer).data)) == answer
    assert set(answer["alignment"]["parts"]["roots"][0]) == {
        "objective_id",
        "title",
        "intended_share",
        "actual_share",
    }
    assert set(answer["resources"]["parts"]["roots"][0]) == {
        "objective_id",
        "title",
        "intended_share",
        "coverage",
    }
