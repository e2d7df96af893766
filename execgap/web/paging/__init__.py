"""Lists a page at a time, searchable on the server: one helper, one pager and one search box for
every list of every page.

A list that can be long (tasks, people, feedback, plan revisions) is read in keyset pages: the rows
after (or before) the row a cursor names, in a total order, `LIMIT size + 1`; never an OFFSET that
the database walks row by row, and never a COUNT of the whole filtered set, so that a page costs the
same at ten rows and at a million. The cursor is opaque: the order's values of the row it starts
from, signed, so that a damaged or forged one is refused with a clear message (and the first page)
instead of being read. A list that is short by nature (the teams, a person's check-ins due) may
use numbered pages instead, through the same pager.

Each list names its parameters with a prefix, so that a page with several lists (an objective's
tasks and its check-ins) pages and searches each one on its own: `<prefix>cursor`, `<prefix>page`,
`<prefix>q`. Every other parameter of the request (the filters, the other lists' pages) is kept in
the links. The templates are `partials/pager.html` (after a list) and `partials/search.html` (a
search form with its optional small filters) or `partials/search_field.html` (the search input alone,
inside a list's own filter form).
"""

from execgap.web.paging.keyset import (
    BAD_CURSOR,
    BadCursorError,
    Key,
    Order,
    decode_cursor,
    encode_cursor,
    keyset_page,
    keyset_pager,
)
from execgap.web.paging.pager import PAGE_SIZE, ListPage, Pager, PagerLink, Params, numbered_page, rows_of
from execgap.web.paging.search import (
    SEARCH_MAX_LENGTH,
    Choice,
    SearchBox,
    choice_value,
    search_box,
    search_term,
)

__all__ = [
    "BAD_CURSOR",
    "PAGE_SIZE",
    "SEARCH_MAX_LENGTH",
    "BadCursorError",
    "Choice",
    "Key",
    "ListPage",
    "Order",
    "Pager",
    "PagerLink",
    "Params",
    "SearchBox",
    "choice_value",
    "decode_cursor",
    "encode_cursor",
    "keyset_page",
    "keyset_pager",
    "numbered_page",
    "rows_of",
    "search_box",
    "search_term",
]
