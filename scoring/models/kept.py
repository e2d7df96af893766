"""What the engine keeps between recomputes: the marks the database's triggers insert in the
transaction of a write (`scoring.drift_marks`, `scoring.staffing_marks`, `scoring.task_sum_marks`,
`scoring.node_marks`), and the sums a refresh keeps until the next mark (`scoring.drift_kept`,
`scoring.staffing_kept`, `scoring.task_sums_kept`). Marks are insert-only, so that a write never
waits for another's mark, and name their organization by a plain id, not a constraint, so that an
organization's deletion can mark what it deletes.
"""

from __future__ import annotations

from django.db import models

from execgap.tenancy import OrgQuerySet


class DriftMark(models.Model):
    """An initiative whose staffing drift may have changed since `DriftCount` counted it: written by
    the database's triggers (`scoring.drift_kept`) in the transaction of every write that can change
    it, taken by the next recount. `changes` only counts the marking writes: marking updates the row,
    so that a recount taking the mark waits for a write still holding it. The ids are plain numbers,
    not constraints: a deleted initiative is marked by the writes that delete it."""

    organization = models.ForeignKey(
        "execgap.Organization", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    initiative_id = models.BigIntegerField()
    changes = models.BigIntegerField(default=1)

    objects = OrgQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "initiative_id"], name="drift_mark_key")
        ]

    def __str__(self) -> str:
        return f"initiative {self.initiative_id} to recount"


class DriftCount(models.Model):
    """The counted staffing drift of one active initiative that has any (`scoring.engine.inputs.
    InitiativeDrift` with no one listed), kept between recomputes. Valid for the parameters of the
    organization's `DriftCountKey`, except for the initiatives marked since (`DriftMark`)."""

    organization = models.ForeignKey(
        "execgap.Organization", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    initiative_id = models.BigIntegerField()
    unallocated_people = models.BigIntegerField()
    unplanned_effort = models.DecimalField(max_digits=18, decimal_places=2)
    idle_people = models.BigIntegerField()
    idle_allocations = models.BigIntegerField()
    idle_hours = models.DecimalField(max_digits=18, decimal_places=2)

    objects = OrgQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "initiative_id"], name="drift_count_key")
        ]

    def __str__(self) -> str:
        return f"drift of initiative {self.initiative_id}"


class DriftCountKey(models.Model):
    """What the organization's `DriftCount` rows were counted for: D, the activity window's first day,
    the planning horizon's last day and the default effort E (`scoring.drift_kept.count_key`). Any
    other parameters, and the counts are recounted whole."""

    organization = models.OneToOneField("execgap.Organization", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    # D of the key: the nightly check counts again at the D the counts were last kept for.
    as_of = models.DateField(null=True)

    def __str__(self) -> str:
        return f"drift counted for {self.key}"


class StaffingMark(models.Model):
    """A write since the organization's staffing was kept (`StaffingKept`) that may change it: inserted
    by the database's triggers (`scoring.staffing_marks`) in the transaction of the write, taken by
    the next refresh. Insert-only (a write never waits for another's mark); the id is a plain number,
    not a constraint, so that an organization's deletion can mark what it deletes."""

    organization = models.ForeignKey(
        "execgap.Organization", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["organization"], name="staffing_mark_organization")]

    def __str__(self) -> str:
        return f"staffing of organization {self.organization_id} to count again"


class StaffingKept(models.Model):
    """The organization's staffing sums (`scoring.engine.inputs.Staffing`) as the last refresh counted
    them, for `key` (D, H and K: `scoring.staffing_kept.staffing_key`); valid while no `StaffingMark`
    of the organization is left."""

    organization = models.ForeignKey(
        "execgap.Organization", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    key = models.CharField(max_length=100)
    # D of the key: the nightly check counts again at the D the staffing was last kept for.
    as_of = models.DateField()
    # The sums packed as arrays of 64-bit numbers (`scoring.packed`): the very
    # same floats back, read in a millisecond where JSON of as many numbers takes a tenth of a second.
    staffing = models.BinaryField()

    objects = OrgQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"], name="staffing_kept_organization")]

    def __str__(self) -> str:
        return f"staffing kept for {self.key}"


class TaskSumMark(models.Model):
    """A task tally written since the organization's task sums were kept (`TaskSumsKept`): its link
    (objective and initiative, 0 for none), inserted by the database's triggers (`scoring.task_sum_marks`)
    in the transaction of the write, taken by the next refresh, which sums that link again. Insert-only
    (a write never waits for another's mark); plain ids, not constraints, as the other marks."""

    organization = models.ForeignKey(
        "execgap.Organization", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    objective_id = models.BigIntegerField()
    initiative_id = models.BigIntegerField()

    objects = OrgQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["organization"], name="task_sum_mark_organization")]

    def __str__(self) -> str:
        return f"tasks of objective {self.objective_id}, initiative {self.initiative_id} to sum again"


class TaskSumsKept(models.Model):
    """What the organization's kept task sums (`TaskSumsPiece`) are for: `key`, the activity window
    (`scoring.task_sums_kept`); they are valid while no `TaskSumMark` of the organization is left. A
    refresh locks this row, so that two refreshes of one organization take turns."""

    organization = models.ForeignKey(
        "execgap.Organization", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    key = models.CharField(max_length=100)
    as_of = models.DateField()  # D of the key, for the nightly check

    objects = OrgQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"], name="task_sums_kept_organization")]

    def __str__(self) -> str:
        return f"task sums kept for {self.key}"


class TaskSumsPiece(models.Model):
    """One piece of the organization's kept task sums: the rows of the links that fall in it
    (`scoring.task_sums_kept.piece_of`), packed (`scoring.packed`), so that a refresh rewrites the
    pieces of the links written alone."""

    organization = models.ForeignKey(
        "execgap.Organization", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    piece = models.PositiveIntegerField()
    sums = models.BinaryField()

    objects = OrgQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "piece"], name="task_sums_piece_organization")
        ]

    def __str__(self) -> str:
        return f"task sums, piece {self.piece}"


class NodeMark(models.Model):
    """A write to what a recompute reads whole but that rarely changes: the plan's nodes (objectives,
    key results, initiatives, teams, people) or its check-ins (`kind`), inserted by the database's
    triggers (`scoring.node_marks`) in the transaction of the write. A worker keeps what it read of
    them while the organization's marks of that kind are the ones it saw (`scoring.nodes_kept`); a
    recompute folds them into one new mark. Insert-only, plain ids, as the other marks."""

    class Kind(models.TextChoices):
        NODES = "nodes", "plan nodes"
        CHECK_INS = "check_ins", "check-ins"

    organization = models.ForeignKey(
        "execgap.Organization", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)

    objects = OrgQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["organization", "kind", "id"], name="node_mark_organization")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of organization {self.organization_id} changed"
