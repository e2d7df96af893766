"""The plan history page's read: a keyset page of the revisions that match the filters, newest
first, in words, grouped by change set (`query`: which records; `words`: how they read)."""

from __future__ import annotations

from execgap.models import Organization
from execgap.web.paging import Pager, Params, keyset_pager
from objectives.web.plan.history.query import (
    ACTIONS,
    HISTORY_ORDER,
    KIND_NOUNS,
    HistoryFilters,
    history_records_page,
)
from objectives.web.plan.history.words import (
    HistoryEntry,
    HistoryGroup,
    history_entries,
    history_groups,
    revisions_by_key,
)

__all__ = [
    "ACTIONS",
    "HISTORY_PAGE_SIZE",
    "KIND_NOUNS",
    "HistoryEntry",
    "HistoryFilters",
    "HistoryGroup",
    "plan_history_page",
]

HISTORY_PAGE_SIZE = 25
RESULTS_ID = "history-results"


def plan_history_page(
    *, organization: Organization, filters: HistoryFilters, params: Params, per_page: int | None = None
) -> tuple[Pager, list[HistoryGroup]]:
    """The keyset page of the revisions that match `filters` that the request's cursor names (the
    newest without one), its pager, and its entries in words, grouped by change set. About a dozen
    queries, whatever the history holds. A cursor that cannot be read gives the newest page, with the
    pager's error."""
    per_page = per_page or HISTORY_PAGE_SIZE
    page = history_records_page(
        organization_id=organization.pk, filters=filters, params=params, per_page=per_page
    )
    pager = keyset_pager(
        params=params,
        order=HISTORY_ORDER,
        label="Pages of the plan history",
        page_keys=page.order_values,
        has_previous=page.has_previous,
        has_next=page.has_next,
        error=page.error,
        target=RESULTS_ID,
        texts=("Newer changes", "Older changes"),
    )
    revisions = revisions_by_key(page.keys)
    entries = history_entries(organization, [revisions[key] for key in page.keys if key in revisions])
    return pager, history_groups(entries, continues=page.following, continued=page.preceding)
