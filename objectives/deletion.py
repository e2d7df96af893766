"""What deleting a goal takes with it, and the rule that nothing goes without saying so.

Deleting an objective or an initiative deletes its key results, check-ins, feedback and (an
initiative's) allocations with it (`on_delete=CASCADE`). The services refuse that unless the caller
confirmed it (`cascade`): pages show the list and ask, the API answers 409 listing them until the
client sends `?cascade=true`. Open blockers (a blocker not yet resolved) are never deleted with a
goal: the deletion is refused until they are resolved or moved to another goal, so the person who
raised one always gets an answer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from execgap.services import ConfirmationRequiredError
from feedback.models import FeedbackKind, FeedbackStatus
from objectives.models import Initiative, KeyResult, Objective

# Feedback still waiting for an answer: a blocker in this state refuses its goal's deletion.
UNRESOLVED = (FeedbackStatus.OPEN, FeedbackStatus.ACKNOWLEDGED)
MAX_IDS = 50  # the ids a refusal lists per kind of row (the counts are exact)


class Effect(enum.StrEnum):
    BLOCKS = "blocks"  # refuses the deletion while it exists (`PROTECT`, and open blockers)
    DELETED = "deleted"  # deleted with the row (`CASCADE`)
    UNLINKED = "unlinked"  # kept, without its link (`SET_NULL`)


@dataclass(frozen=True)
class DeletionEffect:
    effect: Effect
    count: int
    noun: str  # singular
    kind: str = ""  # the API's name for the rows: "key_results", "check_ins", ...
    ids: tuple[int, ...] = ()  # the first MAX_IDS of them, for DELETED
    remedy: str = "move or delete"

    @property
    def things(self) -> str:
        return f"{self.count} {self.noun}{'' if self.count == 1 else 's'}"

    @property
    def text(self) -> str:
        if self.effect is Effect.DELETED:
            return f"{self.things} will be deleted with it."
        if self.effect is Effect.BLOCKS:
            return f"It still has {self.things}: {self.remedy} {'it' if self.count == 1 else 'them'} first."
        return f"{self.things} will lose {'its' if self.count == 1 else 'their'} link to it (and be kept)."


@dataclass(frozen=True)
class _Linked:
    relation: str
    noun: str
    effect: Effect
    kind: str
    remedy: str = "move or delete"
    only: models.Q | None = None  # the linked rows this entry counts (None: all)


_OPEN_BLOCKER = models.Q(kind=FeedbackKind.BLOCKER, status__in=UNRESOLVED)
_FEEDBACK = (
    _Linked("feedback", "open blocker", Effect.BLOCKS, "open_blockers", "resolve or move", _OPEN_BLOCKER),
    _Linked("feedback", "feedback item", Effect.DELETED, "feedback", only=~_OPEN_BLOCKER),
)
# The rows that link to each kind of plan row, as its model's on_delete (and the blocker rule) says.
_LINKED: dict[type[models.Model], tuple[_Linked, ...]] = {
    Objective: (
        _Linked("children", "child objective", Effect.BLOCKS, "child_objectives"),
        _Linked("initiatives", "initiative", Effect.BLOCKS, "initiatives"),
        _Linked("key_results", "key result", Effect.DELETED, "key_results"),
        _Linked("check_ins", "check-in", Effect.DELETED, "check_ins"),
        *_FEEDBACK,
        _Linked("tasks", "task", Effect.UNLINKED, "tasks"),
    ),
    KeyResult: (_Linked("check_ins", "check-in", Effect.DELETED, "check_ins"),),
    Initiative: (
        _Linked("allocations", "allocation", Effect.DELETED, "allocations"),
        _Linked("check_ins", "check-in", Effect.DELETED, "check_ins"),
        *_FEEDBACK,
        _Linked("tasks", "task", Effect.UNLINKED, "tasks"),
    ),
}


def deletion_effects(row: models.Model) -> list[DeletionEffect]:
    """What deleting `row` does to the rows that link to it: blockers first, then what goes with
    it (with the first ids), then what loses its link; relations with no rows are left out. One
    query per relation, whatever the number of linked rows."""
    effects = []
    for linked in _LINKED.get(type(row), ()):
        rows = getattr(row, linked.relation).all()
        if linked.only is not None:
            rows = rows.filter(linked.only)
        if linked.effect is Effect.DELETED:
            ids = list(rows.order_by("pk").values_list("pk", flat=True)[: MAX_IDS + 1])
            count = len(ids) if len(ids) <= MAX_IDS else rows.count()
            found = DeletionEffect(linked.effect, count, linked.noun, linked.kind, tuple(ids[:MAX_IDS]))
        else:
            found = DeletionEffect(
                linked.effect, rows.count(), linked.noun, linked.kind, remedy=linked.remedy
            )
        effects.append(found)
    order = list(Effect)
    return sorted((e for e in effects if e.count), key=lambda e: order.index(e.effect))


def deletion_fingerprint(effects: list[DeletionEffect]) -> str:
    """What a deletion takes with it, as a short text: a page confirms exactly what it showed."""
    return ";".join(f"{e.kind}:{e.count}" for e in effects if e.effect is Effect.DELETED)


class DeletionNotConfirmedError(ConfirmationRequiredError):
    """Deleting the row would delete `effects` with it, and the caller did not confirm that."""

    def __init__(self, row: models.Model, effects: list[DeletionEffect]) -> None:
        self.effects = effects
        things = _joined([effect.things for effect in effects])
        super().__init__(
            f"Deleting this {row._meta.verbose_name} also deletes {things}.",
            [{"kind": e.kind, "noun": e.noun, "count": e.count, "ids": list(e.ids)} for e in effects],
        )


def deletion_check(row: models.Model, cascade: bool | str) -> None:
    """Refuse (ValidationError) while open blockers remain; refuse (DeletionNotConfirmedError) to delete
    what goes with the row unless `cascade` is True, or the fingerprint of exactly what goes."""
    effects = deletion_effects(row)
    blocking = [effect for effect in effects if effect.effect is Effect.BLOCKS]
    if blocking:
        raise ValidationError({NON_FIELD_ERRORS: " ".join(effect.text for effect in blocking)})
    going = [effect for effect in effects if effect.effect is Effect.DELETED]
    if going and cascade is not True and cascade != deletion_fingerprint(effects):
        raise DeletionNotConfirmedError(row, going)


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
