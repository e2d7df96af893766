"""The OpenAPI schema is truthful: every operation, fed data generated from the schema itself, never
answers 5xx, and every answer is documented (status code, content type, body schema).

Schemathesis reads `/api/v1/schema/` from the Django application in-process (WSGI) and runs each
operation as its own test, signed in with a real personal token of an admin of a small organization
that has rows of every kind, so reads, updates and deletes reach real rows as well as missing ones.
Generated data is both valid and invalid for the schema (both must be answered as documented).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from execgap import tokens
from execgap.wsgi import application
from tests.api.organization_rows import OrganizationRows, rows_of_every_kind, unthrottled
from tests.factories import OrganizationFactory

SLUG = "acme"

CONFIG = schemathesis.Config.from_dict(
    {
        # The same requests on every run (a failure reproduces; a pass is not luck of the draw).
        "seed": 20270104,
        # Data that fits the schema and data that does not: both must get a documented answer.
        "generation": {"mode": "all"},
        # The explicit examples and the fuzzer (bounded by max_examples below); the coverage phase's
        # exhaustive boundary cases and stateful sequences would take far longer than a test run may.
        "phases": {
            "examples": {"enabled": True},
            "fuzzing": {"enabled": True},
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
        # Every organization-scoped path is asked about the seeded organization.
        "parameters": {"org": SLUG},
    }
)

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def rows() -> OrganizationRows:
    return rows_of_every_kind(OrganizationFactory(slug=SLUG, name="Acme"))


@pytest.fixture
def credentials(rows: OrganizationRows) -> dict[str, str]:
    """A real personal token of the admin, as a script would send it; and a second one, spare, that
    the token operations may read and revoke without signing the run out."""
    token = tokens.token_create(user=rows.admin.user, name="schemathesis", expires_in_days=1)
    spare = tokens.token_create(user=rows.admin.user, name="spare", expires_in_days=1)
    return {"token": token.token, "spare_key": spare.instance.token_key}


@pytest.fixture(autouse=True)
def _one_connection() -> Iterator[None]:
    """Requests keep the test's database connection, as Django's test client does: the end of a
    request would otherwise close a connection inside the test's transaction (on PostgreSQL, losing
    the seeded rows)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _unthrottled(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from unthrottled(monkeypatch)


# Body fields that link to a row, by the collection of that row (`parent`: the path's own collection).
LINKS = {
    "team": "teams",
    "lead": "people",
    "owner": "people",
    "assignee": "people",
    "author": "people",
    "person": "people",
    "from_person": "people",
    "to_person": "people",
    "objective": "objectives",
    "initiative": "initiatives",
    "key_result": "key-results",
    "tasks": "tasks",
}


def _real_id(generated: object, ids: list[int]) -> object:
    """Even integers become one of `ids`; anything else stays as generated (mostly a missing row)."""
    if isinstance(generated, int) and not isinstance(generated, bool) and generated % 2 == 0 and ids:
        return ids[(generated // 2) % len(ids)]
    return generated


def aim_at_real_rows(case: Any, rows: OrganizationRows, spare_key: str) -> None:
    """Half of the generated row ids (the even ones), in the path and in the body's links, become ids
    of the seeded organization's rows (and half of the token keys the spare token's), so reads, writes
    and deletes reach real rows and links hold; the rest stay as generated (mostly rows that do not
    exist: 404 in the path, 400 in a body)."""
    collection = case.operation.path.removeprefix("/api/v1/orgs/{org}/").split("/")[0]
    parameters = case.path_parameters or {}
    if isinstance(parameters.get("token_key"), str) and len(parameters["token_key"]) % 2 == 0:
        parameters["token_key"] = spare_key
    if "id" in parameters:
        parameters["id"] = _real_id(parameters["id"], rows.ids.get(collection, []))
    if isinstance(case.body, dict):
        for name, value in case.body.items():
            ids = rows.ids.get(collection if name == "parent" else LINKS.get(name, ""), [])
            case.body[name] = (
                [_real_id(v, ids) for v in value] if isinstance(value, list) else _real_id(value, ids)
            )


# The test's own transaction, rolled back after each operation, is all the database it needs: requests
# run in-process on the test's connection. What a request leaves for after its commit (a recompute, an
# import job) does not run here; tests/api/scores and tests/imports run those.
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_operation_answers_as_its_schema_says(case, rows, credentials):
    # given the seeded organization and the admin's token
    aim_at_real_rows(case, rows, credentials["spare_key"])
    # when the generated request is sent / then the answer is no 5xx and matches the schema
    case.call_and_validate(headers={"Authorization": f"Token {credentials['token']}"}, checks=CHECKS)
