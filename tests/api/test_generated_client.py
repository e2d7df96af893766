"""A client generated from the served OpenAPI schema works unedited.

openapi-python-client (a dev dependency; it generates code locally, offline) generates a client from
`/api/v1/schema/` of a live server into a temporary directory; every module of it imports, and every
operation, called through it against that server with a token of the role it needs (a viewer for every
read, an admin or lead for the writes) on rows made by factories, answers its documented status with a
body that parses into the generated model the schema names, holding no field the schema leaves out.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from django.core.cache import cache
from django.utils import timezone

from execgap import tokens
from execgap.celery import app as celery_app
from execgap.models import Role
from tests.api.generated_client_calls import SLUG, Call, calls
from tests.api.organization_rows import rows_of_every_kind, unthrottled
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

PACKAGE = "execgap_client"
# The generator writes the import's `text/csv` body nowhere (it cannot send one): said once, on purpose.
EXPECTED_WARNING = "Unsupported content type text/csv"


@pytest.fixture
def served(live_server, settings, monkeypatch) -> Iterator[str]:
    """The live server's URL; jobs run in the server's thread as the request commits (the embedded
    default), on a local cache, with no rate limits (a walk over the whole API asks more than a client
    may)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    cache.clear()
    throttles = unthrottled(monkeypatch)
    next(throttles)
    yield live_server.url
    next(throttles, None)
    celery_app.conf.task_always_eager = eager


def generate(base_url: str, into: Path) -> tuple[ModuleType, dict[str, Any], str]:
    """The client generated from the served schema, imported (its package, the schema, the warnings)."""
    schema = httpx.get(f"{base_url}/api/v1/schema/", params={"format": "json"}, timeout=30).json()
    (into / "schema.json").write_text(json.dumps(schema))
    (into / "config.yaml").write_text("post_hooks: []\n")  # no formatter is needed to run the code
    generator = Path(sys.executable).with_name("openapi-python-client")
    done = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(into / "schema.json"),
            "--meta",
            "none",
            "--output-path",
            str(into / PACKAGE),
            "--config",
            str(into / "config.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(into))
    return importlib.import_module(PACKAGE), schema, done.stdout + done.stderr


@pytest.fixture
def generated(served, tmp_path) -> Iterator[tuple[ModuleType, dict[str, Any], str]]:
    yield generate(served, tmp_path)
    sys.path.remove(str(tmp_path))
    for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def operations_of(package: ModuleType) -> dict[str, ModuleType]:
    """Every module of the generated package imported; the operations by operationId."""
    operations = {}
    for found in pkgutil.walk_packages(package.__path__, f"{PACKAGE}."):
        module = importlib.import_module(found.name)
        if found.name.startswith(f"{PACKAGE}.api.") and not found.ispkg:
            operations[found.name.rsplit(".", 1)[1]] = module
    return operations


def documented(schema: dict[str, Any], operation_id: str) -> dict[str, Any]:
    """The operation of the schema with that operationId."""
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            if method != "parameters" and operation["operationId"] == operation_id:
                return operation
    raise AssertionError(f"No operation {operation_id} in the schema.")


def undocumented_fields(value: Any, models: ModuleType, schema: dict[str, Any]) -> list[str]:
    """The fields of a parsed answer, at any depth, that its component in the schema does not name."""
    components = schema["components"]["schemas"]
    found: list[str] = []
    if isinstance(value, list):
        for item in value:
            found += undocumented_fields(item, models, schema)
    elif hasattr(value, "additional_properties"):
        name = type(value).__name__
        if "properties" in components.get(name, {}) and value.additional_properties:
            found.append(f"{name}: {sorted(value.additional_properties)}")
        for field in value.__attrs_attrs__:
            if field.name != "additional_properties":
                found += undocumented_fields(getattr(value, field.name), models, schema)
    return found


def check_answer(
    response: Any, call: Call, operation: dict[str, Any], package: ModuleType, schema: dict[str, Any]
) -> None:
    """The status is the one expected and documented; the body parses into the model the schema names."""
    answer = f"{call.operation}: {response.status_code} {response.content[:300]!r}"
    assert response.status_code == call.status, answer
    documented_answer = operation["responses"].get(str(call.status))
    assert documented_answer is not None, answer
    body = documented_answer.get("content", {}).get("application/json", {}).get("schema")
    if body is None:
        assert response.parsed is None, answer
        return
    reference = body.get("items", body).get("$ref", "")
    model = getattr(package.models, reference.rsplit("/", 1)[-1])
    parsed = response.parsed
    items = parsed if body.get("type") == "array" else [parsed]
    assert isinstance(items, list), answer
    assert all(isinstance(item, model) for item in items), f"{answer}: parsed as {type(parsed)}"
    assert undocumented_fields(parsed, package.models, schema) == [], answer


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_imports_and_runs_every_operation(served, generated):
    package, schema, warnings = generated
    # given an organization with rows of every kind, and tokens of a viewer, a lead and an admin
    rows = rows_of_every_kind(OrganizationFactory(slug=SLUG, name="Acme"))
    viewer = MembershipFactory(organization=rows.organization, role=Role.VIEWER)
    lead = next(member for member in rows.organization.memberships.all() if member.role == Role.LEAD)
    clients = {
        role: package.AuthenticatedClient(
            base_url=served,
            token=tokens.token_create(user=membership.user, name="client", expires_in_days=1).token,
            prefix="Token",
            raise_on_unexpected_status=True,
            timeout=httpx.Timeout(60),
        )
        for role, membership in (("viewer", viewer), ("lead", lead), ("admin", rows.admin))
    }
    made: dict[str, Any] = {
        "newcomer": UserFactory().username,
        "File": importlib.import_module(f"{PACKAGE}.types").File,  # an upload, as the client takes it
    }
    # when every module of the generated client is imported
    operations = operations_of(package)
    # then it generated every operation of the schema, with no warning but the one about CSV bodies
    in_schema = {
        operation["operationId"]
        for operations_of_path in schema["paths"].values()
        for method, operation in operations_of_path.items()
        if method != "parameters"
    }
    assert set(operations) == in_schema
    assert warnings.count("WARNING") == 1
    assert EXPECTED_WARNING in warnings
    # and when each operation is called through it, each answers as documented
    plan = calls(rows, timezone.localdate())
    for call in plan:
        response = operations[call.operation].sync_detailed(
            client=clients[call.role], **call.arguments(package.models, made)
        )
        check_answer(response, call, documented(schema, call.operation), package, schema)
        if call.keep:
            made[call.keep] = response.parsed
    # and no operation was left out
    assert {call.operation for call in plan} == in_schema
