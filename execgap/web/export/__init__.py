"""Every table of the app as CSV: the whole filtered list, streamed, declared once per table.

A table is declared where its page is (`CsvTable`: its columns, the rows as the page filters them,
and the order it is read in), and served by `csv_view(table)` under the page's own URL with the
page's role rule and the organization's tenancy. The download keeps the page's filters and search
(the link is the page's query string, less its page and cursor) and covers the whole filtered list,
not only the page shown: the rows are read in keyset chunks of `CHUNK_SIZE`, one query each (plus
what the table's `prepare` reads per chunk), or, where the selection is costly, from one query through
a server-side cursor (`cursor_chunks`), so that a million tasks never sit in memory. Cells
that a spreadsheet would run as a formula are quoted (`cell_text`); the file is UTF-8 with a byte
order mark, named after the organization, the table and the day.
"""

from execgap.web.export.csv import (
    CHUNK_SIZE,
    cell_text,
    csv_filename,
    csv_lines,
    cursor_chunks,
    keyset_chunks,
)
from execgap.web.export.table import Column, CsvTable, TableRows, csv_view, export_query

__all__ = [
    "CHUNK_SIZE",
    "Column",
    "CsvTable",
    "TableRows",
    "cell_text",
    "csv_filename",
    "csv_lines",
    "csv_view",
    "cursor_chunks",
    "export_query",
    "keyset_chunks",
]
