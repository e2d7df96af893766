"""Reads of the plan forms: what deleting a row would do to the rows around it."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db import models

from objectives.models import Initiative, KeyResult, Objective


class Effect(enum.StrEnum):
    BLOCKS = "blocks"  # refuses the deletion while it exists (`PROTECT`)
    DELETED = "deleted"  # deleted with the row (`CASCADE`)
    UNLINKED = "unlinked"  # kept, without its link (`SET_NULL`)


@dataclass(frozen=True)
class DeletionEffect:
    effect: Effect
    count: int
    noun: str  # singular

    @property
    def text(self) -> str:
        things = f"{self.count} {self.noun}{'' if self.count == 1 else 's'}"
        if self.effect is Effect.DELETED:
            return f"{things} will be deleted with it."
        if self.effect is Effect.BLOCKS:
            return f"It still has {things}: move or delete {'it' if self.count == 1 else 'them'} first."
        return f"{things} will lose {'its' if self.count == 1 else 'their'} link to it (and be kept)."


# (relation, noun, effect): the rows that link to each kind of plan row, as its model's on_delete says.
_LINKED: dict[type[models.Model], tuple[tuple[str, str, Effect], ...]] = {
    Objective: (
        ("children", "child objective", Effect.BLOCKS),
        ("initiatives", "initiative", Effect.BLOCKS),
        ("key_results", "key result", Effect.DELETED),
        ("check_ins", "check-in", Effect.DELETED),
        ("feedback", "feedback item", Effect.DELETED),
        ("tasks", "task", Effect.UNLINKED),
    ),
    KeyResult: (("check_ins", "check-in", Effect.DELETED),),
    Initiative: (
        ("allocations", "allocation", Effect.DELETED),
        ("check_ins", "check-in", Effect.DELETED),
        ("feedback", "feedback item", Effect.DELETED),
        ("tasks", "task", Effect.UNLINKED),
    ),
}


def deletion_effects(row: models.Model) -> list[DeletionEffect]:
    """What deleting `row` does to the rows that link to it: blockers first, then what goes with
    it, then what loses its link; relations with no rows are left out. One count query per relation
    (at most six), whatever the number of linked rows."""
    effects = [
        DeletionEffect(effect=effect, count=getattr(row, relation).count(), noun=noun)
        for relation, noun, effect in _LINKED.get(type(row), ())
    ]
    order = list(Effect)
    return sorted((e for e in effects if e.count), key=lambda e: order.index(e.effect))
