"""No input makes a write answer 500 (issue 11): every write operation of the API (every POST, PUT,
PATCH and DELETE under /api/v1/orgs/{org}/ that the OpenAPI schema documents, the task import too)
is fed bodies built from its own request schema with hostile values: numbers too large for a float or
for the field (`1e400`, `1e27`, 10^30, `"NaN"`), negative and tiny ones, dates in 1900, 2999 and at the
calendar's ends (with offsets that overflow them), wrong types, nesting past the bound, long strings
and NUL characters, sent as raw JSON text. Every answer is below 500 (a 4xx says why).

Unlike `test_schemathesis.py` (which generates from the schema and so mostly stays near valid input),
the values here are chosen to break parsers and arithmetic; half the links name real rows of the
organization, so validation reaches the rules across fields and rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from tests.api.organization_rows import OrganizationRows, rows_of_every_kind, unthrottled
from tests.factories import OrganizationFactory

ORG_PREFIX = "/api/v1/orgs/{org}/"
WRITES = ("post", "put", "patch", "delete")
LINKS = {
    "team": "teams", "lead": "people", "owner": "people", "assignee": "people", "author": "people",
    "person": "people", "from_person": "people", "to_person": "people", "objective": "objectives",
    "key_result": "key-results", "initiative": "initiatives", "tasks": "tasks",
}  # fmt: skip

# Raw JSON fragments: what a careless or hostile client sends.
HUGE_NUMBERS = ["1e400", "-1e400", "1e27", "1e308", str(10**30), str(-(10**30)), "99999999.99", "2000.01",
                "1e-30", "-1", "0", "-0", "0.001", "168.01", "10000"]  # fmt: skip
NOT_NUMBERS = ['"NaN"', '"Infinity"', '"-Infinity"', '"1e27"', '"1e400"', '"0x10"', '"1_000"', '""', '" 7 "']
DATES = ['"9999-12-31"', '"0001-01-01"', '"2999-01-01"', '"1900-01-01"', '"1999-12-31"', '"2027-02-30"',
         '"2027-13-01"', '"9999-12-31T23:59:59-12:00"', '"0001-01-01T00:00:00+14:00"',
         '"2999-01-01T00:00:00Z"', '"1900-01-01T00:00:00Z"', '"2027-01-01T25:00:00Z"', '"today"']  # fmt: skip
WRONG_TYPES = ["null", "true", "[]", "{}", '"x"', "[1, 2]", '{"id": 1}', '"' + "x" * 10_000 + '"',
               '"a\\u0000b"', "[" * 40 + "]" * 40, '{"a": ' * 40 + "1" + "}" * 40]  # fmt: skip
HOSTILE = HUGE_NUMBERS + NOT_NUMBERS + DATES + WRONG_TYPES
HOSTILE_BODIES = ["[]", "1e400", "null", '"x"', "[" * 50_000 + "]" * 50_000, "{" * 1000, '{"a": NaN}']


def _write_operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, item in schema["paths"].items():
        if not path.startswith(ORG_PREFIX):
            continue
        for method, spec in item.items():
            if method in WRITES:
                body = spec.get("requestBody", {}).get("content", {}).get("application/json", {})
                operations.append((method, path, _resolved(schema, body.get("schema", {}))))
    return operations


def _resolved(schema: dict[str, Any], node: Any, depth: int = 0) -> Any:
    """The request schema with its `$ref`s inlined (six deep: enough to reach every field)."""
    if depth > 6:
        return {}
    if isinstance(node, dict):
        if "$ref" in node:
            return _resolved(
                schema, schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]], depth + 1
            )
        return {key: _resolved(schema, value, depth) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolved(schema, value, depth) for value in node]
    return node


OPERATIONS = _write_operations()


def _value(draw: Any, name: str, prop: dict[str, Any], rows: OrganizationRows, collection: str) -> str:
    """A raw JSON value for the field: mostly hostile, sometimes a real row's id or a plain value."""
    target = collection if name == "parent" else LINKS.get(name)
    ids = rows.ids.get(target or "", [])
    choice = draw(st.integers(0, 9))
    if ids and choice < 3:
        picked = draw(st.sampled_from(ids))
        return json.dumps([picked]) if prop.get("type") == "array" else str(picked)
    if choice == 3 and prop.get("enum"):
        return json.dumps(draw(st.sampled_from([v for v in prop["enum"] if v is not None] or [""])))
    if choice == 4 and prop.get("type") == "array" and isinstance(prop.get("items"), dict):
        items = prop["items"]
        return (
            "["
            + ", ".join(_object(draw, items, rows, collection) for _ in range(draw(st.integers(1, 3))))
            + "]"
        )
    return draw(st.sampled_from(HOSTILE))


def _object(draw: Any, node: dict[str, Any], rows: OrganizationRows, collection: str) -> str:
    variants = node.get("oneOf") or node.get("anyOf")
    if variants:
        node = draw(st.sampled_from(variants))
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        count = draw(st.integers(1, 3))
        return "[" + ", ".join(_object(draw, node["items"], rows, collection) for _ in range(count)) + "]"
    properties = {k: v for k, v in node.get("properties", {}).items() if not v.get("readOnly")}
    if not properties:
        return draw(st.sampled_from(["{}", *HOSTILE_BODIES]))
    names = draw(
        st.lists(st.sampled_from(sorted(properties)), min_size=1, max_size=len(properties), unique=True)
    )
    fields = [
        f"{json.dumps(name)}: {_value(draw, name, properties[name], rows, collection)}" for name in names
    ]
    required = [
        n
        for n in node.get("required", [])
        if n not in names and properties.get(n, {}).get("type") == "string"
    ]
    fields += [f'{json.dumps(name)}: "Fuzzed"' for name in required]
    return "{" + ", ".join(fields) + "}"


@pytest.fixture
def rows(db: None) -> OrganizationRows:
    return rows_of_every_kind(OrganizationFactory(slug="acme", name="Acme"))


@pytest.fixture(autouse=True)
def _unthrottled(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from unthrottled(monkeypatch)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "body_schema"), OPERATIONS, ids=[f"{m.upper()} {p}" for m, p, _ in OPERATIONS]
)
@settings(
    max_examples=10, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(data=st.data())
def test_no_hostile_body_makes_a_write_answer_500(rows, method, path, body_schema, data):
    # given an admin of an organization with rows of every kind
    client = APIClient()
    client.force_authenticate(rows.admin.user)
    collection = path.removeprefix(ORG_PREFIX).split("/")[0]
    row_id = data.draw(st.sampled_from([*rows.ids.get(collection, [])[:3], 0, 987654321, 10**30]))
    url = path.replace("{org}", "acme").replace("{id}", str(row_id))
    if method == "delete":
        url += data.draw(st.sampled_from(["", "?cascade=true", "?cascade=1e400", "?cascade=%00"]))
    # when it sends a hostile body (or, one time in eight, a hostile body of another shape)
    if method != "delete" and data.draw(st.integers(0, 7)) == 0:
        body = data.draw(st.sampled_from(HOSTILE_BODIES))
    elif method != "delete":
        body = _object(data.draw, body_schema, rows, collection)
    else:
        body = ""
    response = client.generic(method.upper(), url, body.encode(), content_type="application/json")
    # then the answer is never a server error
    assert response.status_code < 500, (method, url, body[:500], response.content[:500])
