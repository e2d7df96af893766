"""Every operation of the API as the generated client calls it (`tests/api/test_generated_client.py`):
in an order where each finds the rows it needs, each with the role that may do it and the status its
schema documents for success."""

from __future__ import annotations

from datetime import date

from tests.api.generated_client_calls import access, cleanup, outreach, plan, scores
from tests.api.generated_client_calls.context import SLUG, Call, Context
from tests.api.organization_rows import OrganizationRows

__all__ = ["SLUG", "Call", "calls"]


def calls(rows: OrganizationRows, today: date) -> list[Call]:
    """Every operation of the API, in an order where each finds what it needs."""
    context = Context(rows=rows, today=today)
    return [
        group_call
        for group in (access, plan, scores, outreach, cleanup)
        for group_call in group.calls(context)
    ]
