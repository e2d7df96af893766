"""A table's CSV declaration and the one view that serves every table."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from execgap.roles import Action, Resource
from execgap.web.export import csv as export_csv
from execgap.web.export.csv import csv_filename, csv_lines, keyset_chunks
from execgap.web.pages import OrgRequest, org_page
from execgap.web.paging import Order


@dataclass(frozen=True)
class Column:
    """A column of a table: its heading and how a row gives its value (see `cell_text`)."""

    header: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class TableRows:
    """The rows a request asks for, filtered as the page filters them.

    A queryset is read in keyset chunks in `order` (a total order, as the page's); anything else is
    iterated (a list short by nature, or a generator reading its own pages: a ranking, the history's
    UNION) and cut in chunks of the same size. `prepare` turns a chunk of rows into what the columns
    read (their scores, fetched for the chunk at once). A filter that is not valid is `error`: the
    download answers 400 with it and writes nothing. `subject` names what the rows belong to in the
    file's name (the objective's title, say).
    """

    rows: QuerySet[Any] | Iterable[Any]
    order: Order | None = None
    prepare: Callable[[list[Any]], Sequence[Any]] | None = None
    error: str = ""
    subject: str = ""

    def chunks(self) -> Iterator[Sequence[Any]]:
        if isinstance(self.rows, QuerySet):
            if self.order is None:
                raise ValueError("A queryset is read in keyset chunks: give its order.")
            chunks: Iterable[list[Any]] = keyset_chunks(self.rows, self.order)
        else:
            chunks = _cut(self.rows)
        for chunk in chunks:
            yield self.prepare(chunk) if self.prepare else chunk


def _cut(rows: Iterable[Any]) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == export_csv.CHUNK_SIZE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True)
class CsvTable:
    """One table of a page as CSV: `name` in the file's name ("tasks"), its columns, and `rows`, the
    page's own selection for a request and the URL's arguments. `resource`/`action` is the page's
    role rule (`org_page`)."""

    name: str
    columns: tuple[Column, ...]
    rows: Callable[..., TableRows]
    resource: Resource = Resource.ORGANIZATION
    action: Action = Action.VIEW

    def values(self, row: Any) -> list[Any]:
        return [column.value(row) for column in self.columns]


def csv_view(table: CsvTable) -> Callable[..., HttpResponse]:
    """The view that downloads `table`: the page's role rule and organization, the page's filters
    (400 with the page's message for one that is not valid), every row they select, streamed."""

    # A fragment for `org_page`: a download shows no scores, so it reads no snapshot first.
    @org_page(table.resource, table.action, fragment=True)
    def download(request: OrgRequest, **kwargs: Any) -> HttpResponse:
        found = table.rows(request, **kwargs)
        if found.error:
            return HttpResponse(f"{found.error}\n", status=400, content_type="text/plain; charset=utf-8")
        headers = [column.header for column in table.columns]
        response = StreamingHttpResponse(
            csv_lines(headers, found.chunks(), table.values), content_type="text/csv; charset=utf-8"
        )
        name = csv_filename(
            request.org.organization.slug, found.subject, table.name, day=timezone.localdate()
        )
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
        response["Cache-Control"] = "private, no-store"
        # `org_page` types its views as answering an HttpResponse; Django serves a streamed one alike.
        return cast(HttpResponse, response)

    return download


# The parameters that place a list's page: a download covers every page, so its link leaves them out.
_PLACE_SUFFIXES = ("cursor", "page")


def export_query(request: HttpRequest) -> str:
    """The request's query (its filters and searches) as a download's link keeps it."""
    query = request.GET.copy()
    for name in list(query):
        if name.endswith(_PLACE_SUFFIXES):
            query.pop(name)
    return query.urlencode()
