"""Task tallies: the tasks of an organization counted and summed per key, kept current by the database.

The scores read tasks only through sums (SCORING.md sums efforts per link, per team and per window),
so the sums are kept instead of recounted: one `TaskTally` row per (objective link, initiative link,
effective team, kind, day), where the effective team is the task's team, else its assignee's, and
the kind is `open` (to do, in progress, blocked), `done` (every done task, whenever; summed over
all teams, team 0: only its link matters), `day` (the done tasks of one completion day, as a UTC
date) or `recent` (the done tasks completed within the organization's `TallyWindow`: its activity
window, summed over its days so that a recompute reads one row per key; see `window`). Cancelled
tasks count nowhere. A row holds the number of tasks, the sum of their `effort_hours` and the number
without an estimate (so that the organization's default effort E applies at read time, and a
change of E needs no recount). Missing links are 0, a missing day 0001-01-01: every key column is
NOT NULL so that the key is unique.

Database triggers keep the rows current in the same transaction as every write of a task, whatever
writes it (the services, the imports' bulk paths, the cascades of a deletion, the admin, COPY): on
PostgreSQL one statement-level trigger per event over its transition tables (a bulk write costs one
grouped upsert), on SQLite row-level triggers. A person's move to another team moves the tallies of
their tasks that have no team of their own. `tallies_rebuild` recounts an organization from its
tasks and `tallies_drift` says where the kept rows differ from a recount (see the `task_tallies`
command and the daily job, which also rolls each organization's window to the new day).

Beside them, the assignee tallies (`assignees`) sum the work of each (initiative, assignee) pair the
same way, for the staffing drift; rebuilt, repaired, checked and rolled with the task tallies.
"""

from objectives.tallies.assignees import assignee_triggers_install, assignee_triggers_remove
from objectives.tallies.counts import (
    Tally,
    assignee_tallies_drift,
    assignee_tallies_kept,
    assignee_tallies_recount,
    tallies_drift,
    tallies_kept,
    tallies_of_deleted_organizations_remove,
    tallies_rebuild,
    tallies_recount,
    tallies_repair,
)
from objectives.tallies.statements import NO_DAY, triggers_install, triggers_remove
from objectives.tallies.window import tallies_window, tallies_window_ensure, tallies_window_roll

__all__ = [
    "NO_DAY",
    "Tally",
    "assignee_tallies_drift",
    "assignee_tallies_kept",
    "assignee_tallies_recount",
    "assignee_triggers_install",
    "assignee_triggers_remove",
    "tallies_drift",
    "tallies_kept",
    "tallies_of_deleted_organizations_remove",
    "tallies_rebuild",
    "tallies_recount",
    "tallies_repair",
    "tallies_window",
    "tallies_window_ensure",
    "tallies_window_roll",
    "triggers_install",
    "triggers_remove",
]
