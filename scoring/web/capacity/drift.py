"""The resources page's staffing drift: the active initiatives of the latest snapshot with people
working on them without an allocation or people allocated to them without work (SCORING.md "Signals
beyond the scores"), most unplanned hours first, then most hours a week allocated without work.

Read from the snapshot's InitiativeScore rows (their counts and hours), in keyset pages ordered and
cut in the database, with the first ten people of each listed for the page's rows
(`scoring.drift_people`): a page costs the same queries however many initiatives, people and tasks
the organization has.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from execgap.web.paging import Key, Order
from scoring.models import InitiativeScore, ScoreSnapshot
from scoring.web.capacity.selectors import initiative_coverage

DRIFT_ORDER = Order(
    Key("unplanned_effort", descending=True),
    Key("drift_idle_hours", descending=True),
    Key("title"),
    Key("id"),
)


def initiative_drift(
    *, snapshot: ScoreSnapshot, team_ids: frozenset[int] | None = None
) -> QuerySet[InitiativeScore]:
    """The snapshot's active initiatives (of `team_ids`, where given) with any staffing drift, to be
    read in DRIFT_ORDER."""
    return initiative_coverage(snapshot=snapshot, team_ids=team_ids).filter(
        Q(drift_unallocated_people__gt=0) | Q(drift_idle_people__gt=0)
    )
