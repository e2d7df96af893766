"""What the benchmark measures: every page of an organization and every API collection, found in
the URL configuration and the OpenAPI schema, so that a page added tomorrow is measured too.

A page is any URL pattern under `/o/<slug:org_slug>/` (those answering GET with 405 are actions,
set aside when measured). Its other parameters are ids, and what each one is the id of is read
from the route: a parameter named `<kind>_pk` is a `kind` (`job_pk`: a job), and `pk` is the kind
of the segment before it (`teams/<int:pk>/`: a team). A route with a parameter of no known kind is
still listed, with the kind None, so that the report says what it could not fill in.

Some pages are also measured with a query string (QUERIES, by URL name: the strategy map fully
expanded, a level of it, the pickers' searches), its ids filled in the same way ({objective}).

An API collection is a GET operation of the schema whose path has no parameter but `{org}`: every
list, and the organization's, scores' and drivers' summaries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

ORGANIZATION_PREFIX = "o/<slug:org_slug>/"
# The segment before a `pk`, and what the pk is then the id of.
SEGMENT_KINDS: Mapping[str, str] = {
    "objectives": "objective",
    "key-results": "key_result",
    "initiatives": "initiative",
    "tasks": "task",
    "teams": "team",
    "people": "person",
    "allocations": "allocation",
    "check-ins": "check_in",
    "feedback": "feedback",
    "recognitions": "recognition",
    "members": "membership",
    "memberships": "membership",
    "invitations": "invitation",
    "jobs": "job",
    "scenarios": "scenario",
    "alerts": "alert",
    "alert-rules": "alert_rule",
    "webhooks": "webhook",
}
# Query strings a page is measured with (besides none): those a page needs (a level of the map) or
# that make it do the most (the whole map; searches matching every row of their kind).
QUERIES: Mapping[str, tuple[str, ...]] = {
    "strategy_map": ("", "?expand=all"),
    "strategy_map_level": ("?of=top", "?of={objective}"),
    "goal_search": ("?q=Objective",),
    "people_search": ("?q=Person",),
    "team_search": ("?q=Team",),
}
_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_API_PARAMETER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Parameter:
    name: str  # as in the route: pk, job_pk
    kind: str | None  # what it is the id of (a key of SEGMENT_KINDS' values), None when unknown


@dataclass(frozen=True)
class Page:
    """One URL pattern of an organization's pages."""

    name: str  # the URL name, or the route when it has none
    route: str  # below /o/<slug>/, as written in the URL configuration: teams/<int:pk>/
    parameters: tuple[Parameter, ...]
    query: str = ""  # a query string it is measured with, "?of={objective}", or none

    @property
    def label(self) -> str:
        """The page's address with the kinds of its ids: /o/{org}/teams/{team}/import/{job}/."""
        kinds = iter(self.parameters)
        route = _PARAMETER.sub(lambda _: "{" + (next(kinds).kind or "?") + "}", self.route)
        return f"/o/{{org}}/{route}{self.query}"

    @property
    def unknown(self) -> list[str]:
        """The parameters whose kind could not be told."""
        return [parameter.name for parameter in self.parameters if parameter.kind is None]

    def path(self, slug: str, ids: Mapping[str, int]) -> str:
        """The page's path for organization `slug`, each id taken from `ids` (by kind). KeyError
        names the first kind that `ids` lacks (or the parameter of unknown kind)."""
        values = iter(self.parameters)

        def fill(_: re.Match[str]) -> str:
            parameter = next(values)
            if parameter.kind is None:
                raise KeyError(parameter.name)
            return str(ids[parameter.kind])

        return f"/o/{slug}/" + _PARAMETER.sub(fill, self.route) + self.query.format_map(ids)


@dataclass(frozen=True)
class ApiEndpoint:
    """A GET operation of the API that needs no id but the organization's slug."""

    operation: str  # its operationId in the schema
    template: str  # /api/v1/orgs/{org}/tasks/

    @property
    def label(self) -> str:
        return self.template

    def path(self, slug: str) -> str:
        return self.template.replace("{org}", slug)


def organization_pages(urlconf: str | None = None) -> list[Page]:
    """Every URL pattern under /o/<slug>/ of `urlconf` (default: the project's), in its order; one
    per query string of QUERIES where it has some."""
    pages = []
    for route, pattern in _patterns(get_resolver(urlconf).url_patterns, prefix=""):
        if route is None or not route.startswith(ORGANIZATION_PREFIX):
            continue
        below = route.removeprefix(ORGANIZATION_PREFIX)
        name = pattern.name or below
        for query in QUERIES.get(name, ("",)):
            pages.append(Page(name, below, _parameters(below), query))
    return pages


def _patterns(
    patterns: Iterable[URLPattern | URLResolver], *, prefix: str | None
) -> Iterable[tuple[str | None, URLPattern]]:
    """(full route, pattern) of every pattern below `patterns`; the route is None below a regular
    expression (re_path), which has no route to fill in."""
    for pattern in patterns:
        own = str(pattern.pattern) if isinstance(pattern.pattern, RoutePattern) else None
        route = prefix + own if prefix is not None and own is not None else None
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix=route)
        else:
            yield route, pattern


def _parameters(route: str) -> tuple[Parameter, ...]:
    parameters = []
    for match in _PARAMETER.finditer(route):
        name = match.group("name")
        if name.endswith("_pk"):
            kind: str | None = name.removesuffix("_pk")
        elif name in ("pk", "id"):
            before = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
            kind = SEGMENT_KINDS.get(before)
        else:
            kind = None
        parameters.append(Parameter(name, kind))
    return tuple(parameters)


def api_collections(schema: Mapping[str, object] | None = None) -> list[ApiEndpoint]:
    """Every GET operation of the API schema (default: the one served at /api/v1/schema/) whose
    path takes no parameter but the organization: the lists and the summaries."""
    if schema is None:
        from drf_spectacular.generators import SchemaGenerator

        schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema.get("paths", {})
    assert isinstance(paths, Mapping)
    endpoints = []
    for template, operations in paths.items():
        if "get" not in operations or not set(_API_PARAMETER.findall(template)) <= {"org"}:
            continue
        endpoints.append(ApiEndpoint(str(operations["get"].get("operationId", template)), template))
    return endpoints


def unmeasurable(pages: Sequence[Page]) -> list[Page]:
    """The pages with a parameter of no known kind: they need SEGMENT_KINDS to learn it."""
    return [page for page in pages if page.unknown]
