"""Two organizations never see or change each other's rows, through any operation of the API.

The operations are read from the OpenAPI schema itself (every path under /api/v1/orgs/{org}/ and
every method it documents), so an endpoint added later is walked too. Acme and Globex each have
rows of every kind; an admin of Acme (the role that may do the most) asks, with Acme's slug, for
Globex's rows by id, reads every list, names Globex's rows in request bodies and list filters, and
uses Globex's slug. A row of the other organization must be indistinguishable from a row that does
not exist (the same status, the same answer but for the id) and nothing is written anywhere.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.api.organization_rows import (
    ROW_COLLECTIONS,
    OrganizationRows,
    fingerprint,
    rows_of_every_kind,
    unthrottled,
)
from tests.factories import OrganizationFactory

ORG_PREFIX = "/api/v1/orgs/{org}/"
METHODS = ("get", "post", "put", "patch", "delete")
MISSING_ID = 987654321  # no row has this id
MISSING_SLUG = "no-such-organization"
OTHER = "Globex"  # starts every title and name of the other organization's rows

# Fields (in request bodies and list filters) that name a row, by the collection of that row;
# `parent` names a row of the path's own collection.
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
    "key_result": "key-results",
    "initiative": "initiatives",
    "tasks": "tasks",
    "snapshot": "snapshots",
}

Body = Callable[[int], Any]  # the request body that names the given id in the field under test


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def collection(self) -> str:
        """The path's first segment under the organization (`""` for the organization itself)."""
        return self.path.removeprefix(ORG_PREFIX).split("/")[0]

    @property
    def by_id(self) -> bool:
        return "{id}" in self.path

    def url(self, slug: str, row_id: int | None = None) -> str:
        return self.path.replace("{org}", slug).replace("{id}", str(row_id))

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


@dataclass
class World:
    acme: OrganizationRows
    globex: OrganizationRows
    client: APIClient  # an admin of Acme

    def send(
        self, operation: Operation, url: str, body: Any = None, query: dict[str, Any] | None = None
    ) -> Any:
        call = getattr(self.client, operation.method)
        if operation.method == "get":
            return call(url, query or {})
        if query:
            url = f"{url}?" + "&".join(f"{name}={value}" for name, value in query.items())
        return call(url, body if body is not None else {}, format="json")

    def unchanged(self) -> Callable[[], bool]:
        """A check that neither organization changed since this call."""
        before = (fingerprint(self.acme.organization), fingerprint(self.globex.organization))
        return lambda: (fingerprint(self.acme.organization), fingerprint(self.globex.organization)) == before


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture(scope="module")
def operations(schema: dict[str, Any]) -> list[Operation]:
    """Every operation under /api/v1/orgs/{org}/, from the schema."""
    return [
        Operation(method, path, spec)
        for path, item in schema["paths"].items()
        if path.startswith(ORG_PREFIX)
        for method, spec in item.items()
        if method in METHODS
    ]


@pytest.fixture
def world(db: None) -> World:
    acme = rows_of_every_kind(OrganizationFactory(slug="acme", name="Acme"), prefix="Acme ")
    globex = rows_of_every_kind(OrganizationFactory(slug="globex", name=OTHER), prefix=f"{OTHER} ")
    client = APIClient()
    client.force_authenticate(acme.admin.user)
    return World(acme=acme, globex=globex, client=client)


@pytest.fixture(autouse=True)
def _unthrottled(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from unthrottled(monkeypatch)


def answer(response: Any, row_id: int | str) -> tuple[int, Any]:
    """The status and the body with `row_id` written as `<id>` wherever it appears (in a message, or
    as a value), so that the answers about two different ids can be compared."""
    number = re.compile(rf"(?<![\w-]){re.escape(str(row_id))}(?![\w-])")

    def blind(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: blind(item) for key, item in value.items()}
        if isinstance(value, list):
            return [blind(item) for item in value]
        if isinstance(value, str):
            return number.sub("<id>", value)
        if isinstance(value, int) and not isinstance(value, bool) and str(value) == str(row_id):
            return "<id>"
        return value

    body = json.loads(response.content) if response.content else None
    return response.status_code, blind(body)


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def link_fields(schema: dict[str, Any], node: dict[str, Any], own: str) -> list[tuple[str, str, Body]]:
    """(field, collection it names, body builder) for each writable link field of a JSON request body
    schema, nested lists of objects too (such as the rows of an import). Every body also carries the
    required strings, and each link field may be tried next to another one (`with_other`)."""
    node = resolve(schema, node)
    found: list[tuple[str, str, Body]] = []
    for variant in node.get("oneOf", []) + node.get("anyOf", []):
        found += link_fields(schema, variant, own)
    if node.get("type") != "object":
        return found
    properties = {name: resolve(schema, prop) for name, prop in node.get("properties", {}).items()}
    base = {
        name: "ISO-1" for name in node.get("required", []) if properties.get(name, {}).get("type") == "string"
    }
    for name, prop in properties.items():
        if prop.get("readOnly"):
            continue
        target = own if name == "parent" else LINKS.get(name)
        items = resolve(schema, prop.get("items", {}))
        if target and prop.get("type") == "integer":
            found.append((name, target, lambda i, name=name, base=base: {**base, name: i}))
        elif target and prop.get("type") == "array" and items.get("type") == "integer":
            found.append((name, target, lambda i, name=name, base=base: {**base, name: [i]}))
        elif prop.get("type") == "array" and items.get("type") == "object":
            for label, nested_target, build in link_fields(schema, items, own):
                nested: Body = lambda i, n=name, b=build, base=base: {**base, n: [b(i)]}  # noqa: E731
                found.append((f"{name}[].{label}", nested_target, nested))
    return found


def request_links(schema: dict[str, Any], operation: Operation) -> list[tuple[str, str, Body]]:
    content = operation.spec.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return []
    return link_fields(schema, content["application/json"]["schema"], operation.collection)


def query_links(operation: Operation) -> list[tuple[str, str]]:
    """(parameter, collection it names) for each query parameter that names a row."""
    return [
        (p["name"], operation.collection if p["name"] == "parent" else LINKS[p["name"]])
        for p in operation.spec.get("parameters", [])
        if p["in"] == "query" and (p["name"] in LINKS or p["name"] == "parent")
    ]


def test_the_walk_covers_every_endpoint_of_the_schema(operations):
    # given the operations under /api/v1/orgs/{org}/ that the schema documents
    by_id = [operation for operation in operations if operation.by_id]
    collections = {operation.collection for operation in by_id}
    # then there are enough of them that the walk cannot silently test nothing
    assert len(operations) >= 60, [str(operation) for operation in operations]
    assert len(by_id) >= 40
    # and each collection whose rows are addressed by id has rows in both organizations
    assert collections == set(ROW_COLLECTIONS), (
        "Give the new collection rows in tests/api/organization_rows.py",
        collections ^ set(ROW_COLLECTIONS),
    )


def test_another_organizations_rows_are_not_found_by_id(world, operations, subtests):
    # given an admin of Acme, and Globex's rows
    checked = 0
    for operation in (operation for operation in operations if operation.by_id):
        with subtests.test(msg=str(operation)):
            own_row = world.client.get(operation.url("acme", world.acme.first(operation.collection)))
            body = own_row.json() if operation.method in ("put", "patch") else {}
            unchanged = world.unchanged()
            for row_id in world.globex.ids[operation.collection]:
                # when the admin asks for a Globex row through Acme
                response = world.send(operation, operation.url("acme", row_id), body)
                missing = world.send(operation, operation.url("acme", MISSING_ID), body)
                # then it is a 404, the same answer as for a row that does not exist
                assert response.status_code == 404, (row_id, response.content)
                assert answer(response, row_id) == answer(missing, MISSING_ID)
                checked += 1
            # and nothing was written in either organization
            assert unchanged()
    assert checked >= 80


def test_lists_hold_none_of_another_organizations_rows(world, operations, subtests):
    # given an admin of Acme, and Globex's rows
    reads = [operation for operation in operations if operation.method == "get" and not operation.by_id]
    filters = 0
    for operation in reads:
        with subtests.test(msg=str(operation)):
            # when the admin reads the list (or the scores) of Acme
            response = world.send(operation, operation.url("acme"))
            # then it answers, and nothing of Globex is in it
            assert response.status_code == 200, response.content
            assert OTHER not in response.content.decode()
            results = response.json().get("results") if isinstance(response.json(), dict) else None
            if results is not None and operation.collection in world.globex.ids:
                assert not {row.get("id") for row in results} & set(world.globex.ids[operation.collection])
            # and filtering by a Globex row finds what filtering by a row that does not exist finds
            for name, collection in query_links(operation):
                for row_id in world.globex.ids[collection]:
                    filtered = world.send(operation, operation.url("acme"), query={name: row_id})
                    missing = world.send(operation, operation.url("acme"), query={name: MISSING_ID})
                    assert answer(filtered, row_id) == answer(missing, MISSING_ID), name
                    assert OTHER not in filtered.content.decode()
                    filters += 1
    assert len(reads) >= 15
    assert filters >= 30


def test_links_to_another_organizations_rows_are_refused_like_a_missing_id(
    world, schema, operations, subtests
):
    # given an admin of Acme, and Globex's rows
    writes = [
        operation
        for operation in operations
        if (operation.method == "post" and not operation.by_id) or operation.method in ("put", "patch")
    ]
    links = refused = 0
    for operation in writes:
        fields = request_links(schema, operation)
        parameters = query_links(operation)
        if not fields and not parameters:
            continue
        with subtests.test(msg=str(operation)):
            url = operation.url("acme", world.acme.first(operation.collection) if operation.by_id else None)
            unchanged = world.unchanged()
            for field, collection, build in fields:
                # each link alone, and next to each other link naming a row of Acme (so that checks
                # made only once the rest of the request is valid are reached too)
                others = [(name, target) for name, target, _ in fields if name != field and "[]" not in name]
                for other in [None, *others]:
                    extra = {other[0]: world.acme.first(other[1])} if other else {}
                    # when a request names a Globex row in that field
                    for row_id in world.globex.ids[collection]:
                        response = world.send(operation, url, {**build(row_id), **extra})
                        missing = world.send(operation, url, {**build(MISSING_ID), **extra})
                        # then it answers as for a row that does not exist, word for word
                        assert answer(response, row_id) == answer(missing, MISSING_ID), (field, other)
                        assert OTHER not in response.content.decode()
                        links += 1
                        refused += response.status_code == 400
            for name, collection in parameters:
                for row_id in world.globex.ids[collection]:
                    response = world.send(operation, url, query={name: row_id})
                    missing = world.send(operation, url, query={name: MISSING_ID})
                    assert answer(response, row_id) == answer(missing, MISSING_ID), name
                    links += 1
                    refused += response.status_code == 400
            # and nothing was written in either organization
            assert unchanged()
    assert links >= 60
    assert refused >= 40


def test_another_organizations_slug_is_not_found_on_every_path(world, operations, subtests):
    # given an admin of Acme, who is not a member of Globex
    for operation in operations:
        with subtests.test(msg=str(operation)):
            row_id = world.globex.first(operation.collection) if operation.by_id else None
            unchanged = world.unchanged()
            # when the admin uses Globex's slug
            response = world.send(operation, operation.url("globex", row_id))
            missing = world.send(operation, operation.url(MISSING_SLUG, row_id))
            # then it is a 404, the same answer as for an organization that does not exist
            assert response.status_code == 404, response.content
            assert answer(response, "globex") == answer(missing, MISSING_SLUG)
            assert unchanged()


def test_the_organizations_list_holds_only_ones_own(world):
    # when the admin of Acme lists their organizations
    response = world.client.get("/api/v1/orgs/")
    # then Globex is not among them
    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == ["acme"]
