"""SCORING.md "People": does every tracked item have an active owner, and do the owners check in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from scoring.engine.adaptability import TrackedItem, mean_of_defined
from scoring.engine.inputs import CheckInFacts, Parameters, PersonNode


@dataclass(frozen=True)
class PeopleResult:
    tracked: int
    owned: int  # tracked items whose owner is an active person
    owners: tuple[int, ...]  # the distinct active people who own a tracked item
    owners_checked_in: tuple[int, ...]  # those of them with a check-in in [D − C + 1, D]
    ownership: float | None
    participation: float | None
    score: float | None


def people_calculate(
    *,
    tracked: Iterable[TrackedItem],
    people: Mapping[int, PersonNode],
    check_ins: CheckInFacts,
    parameters: Parameters,
) -> PeopleResult:
    items = list(tracked)
    active_owners = [
        item.owner_id
        for item in items
        if item.owner_id is not None and item.owner_id in people and people[item.owner_id].active
    ]
    owners = tuple(sorted(set(active_owners)))
    checked_in = tuple(
        person_id
        for person_id in owners
        if parameters.cadence_start <= check_ins.author_last.get(person_id, date.min) <= parameters.as_of
    )
    ownership = len(active_owners) / len(items) if items else None
    participation = len(checked_in) / len(owners) if owners else None
    score = mean_of_defined([ownership, participation])
    return PeopleResult(
        tracked=len(items),
        owned=len(active_owners),
        owners=owners,
        owners_checked_in=checked_in,
        ownership=ownership,
        participation=participation,
        score=None if score is None else 100.0 * score,
    )
