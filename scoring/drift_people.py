"""The people of a snapshot's staffing drift, for the initiatives a page or the API shows.

A snapshot keeps each active initiative's drift counted (how many people work on it without an
allocation and their effort, how many are allocated to it without work); listing every such person
of every initiative on each recompute would write hundreds of thousands of names that no page reads.
The people are listed when shown instead: the first DRIFT_LIMIT of each list of the initiatives on
the page, at the snapshot's D and parameters, from the kept assignee tallies and the allocations
(`drift_lists_fetch`), in two queries per page however large the organization. They are the plan as
it is now at that D: within a recompute of an edit, the counts catch up.
"""

from __future__ import annotations

from collections.abc import Iterable

from resources.models import Person
from scoring.engine.explain import drift_people
from scoring.engine.inputs import InitiativeDrift
from scoring.fetch_drift import drift_lists_fetch
from scoring.models import InitiativeScore, ScoreSnapshot


def initiative_drift_people(*, snapshot: ScoreSnapshot, scores: Iterable[InitiativeScore]) -> None:
    """List the drift's people on each of `scores` (rows of `snapshot`), as `drift_lists`, by name:
    nothing is read for rows without drift."""
    rows = list(scores)
    drifting = [row for row in rows if row.drift_unallocated_people or row.drift_idle_people]
    lists = drift_lists_fetch(
        organization_id=snapshot.organization_id,
        parameters=snapshot.parameters,
        initiative_ids=[row.initiative_id for row in drifting if row.initiative_id is not None],
    )
    person_ids = {row.person_id for drift in lists.values() for row in drift.unallocated}
    person_ids |= {row.person_id for drift in lists.values() for row in drift.idle}
    people = Person.objects.for_org(snapshot.organization_id).filter(pk__in=person_ids)
    names = dict(people.values_list("pk", "name")) if person_ids else {}
    for row in rows:
        initiative_id = row.initiative_id or 0
        row.drift_lists = drift_people(lists.get(initiative_id) or InitiativeDrift(initiative_id), names)
