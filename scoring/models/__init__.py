"""The scoring app's models: the score snapshots (`snapshots`) and what the engine keeps between
recomputes (`kept`)."""

from scoring.models.kept import (
    DriftCount,
    DriftCountKey,
    DriftMark,
    NodeMark,
    StaffingKept,
    StaffingMark,
    TaskSumMark,
    TaskSumsKept,
    TaskSumsPiece,
)
from scoring.models.snapshots import (
    SNAPSHOT_PARAMETER_FIELDS,
    ImmutableRow,
    InitiativeScore,
    NodeScore,
    ObjectiveScore,
    ScoreSnapshot,
    TeamScore,
)

__all__ = [
    "SNAPSHOT_PARAMETER_FIELDS",
    "DriftCount",
    "DriftCountKey",
    "DriftMark",
    "ImmutableRow",
    "InitiativeScore",
    "NodeMark",
    "NodeScore",
    "ObjectiveScore",
    "ScoreSnapshot",
    "StaffingKept",
    "StaffingMark",
    "TaskSumMark",
    "TaskSumsKept",
    "TaskSumsPiece",
    "TeamScore",
]
