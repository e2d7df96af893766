"""Which goal each row's task links to: Jira's hierarchy by id first, titles only as a fallback.

A row names its parent by Issue id or key (Parent, Parent id, Parent Link, Epic Link) and by title
(Parent summary; a GitHub issue's milestone), and a GitHub issue may carry labels. In this order:

1. A row that is an epic, or the parent of other rows, and whose key, Issue id or title is mapped
   (`link_map`, or the team's remembered mapping) or is the title of exactly one goal *stands for*
   that goal: it is no task of its own (an existing task of that key is linked to the goal), and
   the rows under it link to the goal.
2. Each parent named by id or key: a row of the file (its goal: the goal it stands for, else the
   one it links to, through its own parents), a mapped reference, a task already imported (its
   goal), or a goal of that title. The first goal found is the task's; another parent naming a
   different goal is a warning.
3. Only when no parent named by id gives a goal: the parent's title (or milestone), mapped or the
   title of one goal; then the labels, mapped or titled like a goal.
4. No goal found: the task is imported without a new link (one made in ExecGap is kept) and a
   warning names what to map: the parent found in the file, or the title no goal has.

Nothing here is an error: a row is never refused for its parents. `LinkResolver.mappables()` lists
every parent, title, milestone and label the rows named, with the goal each gave (or none), for the
page that lets a lead map them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from objectives.imports.inputs import RowInput, RowIssue
from objectives.imports.lookups import Goal, Lookups, goal_of_task
from objectives.imports.options import ImportOptions, normalized

# Issue types above a story (Jira's Epic, and the levels Jira's plans add above it).
PARENT_TYPES = frozenset({"epic", "initiative", "theme", "feature", "capability"})

MappableKind = Literal["parent", "title", "milestone", "label"]


@dataclass(frozen=True)
class Resolution:
    """A row's goal (None: the import leaves its link as it is), and whether the row stands for it."""

    goal: Goal | None
    stands_for: bool = False


@dataclass
class Mappable:
    """Something the rows named that a lead may map to a goal: `refs` are the names it is mapped by
    (a parent's Issue key and Issue id; a title), `goal` the goal it gives now."""

    kind: MappableKind
    refs: tuple[str, ...]
    label: str
    goal: Goal | None
    rows: int = 0


@dataclass
class _Found:
    goals: list[tuple[str, Goal]] = field(default_factory=list)  # (column, goal)
    unlinked_parents: list[tuple[str, RowInput | str]] = field(default_factory=list)


_KEEP = Resolution(None)


class LinkResolver:
    """Each row → its `Resolution`, memoized (a sub-task asks for its story's goal)."""

    def __init__(self, inputs: Sequence[RowInput], lookups: Lookups, options: ImportOptions) -> None:
        self.lookups = lookups
        self.options = options
        self.by_key: dict[str, RowInput] = {}
        self.by_issue_id: dict[str, RowInput] = {}
        for given in inputs:
            if given.external_key:
                self.by_key.setdefault(given.external_key, given)
            if given.issue_id:
                self.by_issue_id.setdefault(given.issue_id, given)
        self.children: dict[int, int] = {}  # a parent row's number → how many rows name it
        for given in inputs:
            for _, reference in given.parent_ids:
                parent = self._row(reference, given)
                if parent is not None:
                    self.children[parent.number] = self.children.get(parent.number, 0) + 1
        self.resolved: dict[int, Resolution] = {}
        self.visiting: set[int] = set()
        self._mappables: dict[tuple[str, str], Mappable] = {}

    # --- the goal of a row ---------------------------------------------------------------------

    def of_row(self, given: RowInput) -> Resolution:
        if given.number in self.resolved:
            return self.resolved[given.number]
        if given.number in self.visiting:  # a loop of parents: none of them gives a goal
            return _KEEP
        self.visiting.add(given.number)
        try:
            resolution = self._resolve(given)
        finally:
            self.visiting.discard(given.number)
        self.resolved[given.number] = resolution
        return resolution

    def _resolve(self, given: RowInput) -> Resolution:
        stands = self.stands_for(given)
        if stands is not None:
            return Resolution(stands, stands_for=True)
        found = self._by_id(given)
        if found.goals:
            return Resolution(self._first(given, found.goals))
        titled = self._by_title(given, quiet=bool(found.unlinked_parents))
        if titled is not None:
            return Resolution(titled)
        for column, parent in found.unlinked_parents:
            given.warnings.append(RowIssue(column, self._unlinked_message(parent)))
        return _KEEP

    def stands_for(self, given: RowInput) -> Goal | None:
        """The goal a row stands for (see the module's docstring), or None."""
        for reference in (given.external_key, given.issue_id):
            mapped = self._mapped(reference)
            if mapped is not None:
                return mapped
        is_parent = normalized(given.issue_type) in PARENT_TYPES or given.number in self.children
        if not is_parent or not given.summary:
            return None
        return self._mapped(given.summary) or self._titled(given.summary)

    def goal_for_children(self, parent: RowInput) -> Goal | None:
        """The goal the rows under `parent` link to: the one it stands for, else its own link, else
        the link its task already has in ExecGap."""
        resolution = self.of_row(parent)
        if resolution.goal is not None:
            return resolution.goal
        stored = self.lookups.tasks_by_key.get(parent.external_key)
        return goal_of_task(stored) if stored is not None else None

    def _by_id(self, given: RowInput) -> _Found:
        found = _Found()
        for column, reference in given.parent_ids:
            parent = self._row(reference, given)
            if parent is not None:
                goal = self.goal_for_children(parent)
                self._note_parent(parent, goal)
                if goal is not None:
                    found.goals.append((column, goal))
                else:
                    found.unlinked_parents.append((column, parent))
                continue
            goal = self._mapped(reference)
            if goal is None and reference in self.lookups.parent_tasks:
                goal = self.lookups.parent_tasks[reference]
                if goal is None:
                    found.unlinked_parents.append((column, reference))
            goal = goal or self._titled(reference)
            if goal is not None or reference in self.lookups.parent_tasks:
                self._note("parent", (reference,), reference, goal)
            if goal is not None:
                found.goals.append((column, goal))
        return found

    def _by_title(self, given: RowInput, *, quiet: bool) -> Goal | None:
        """The goal of the row's parent titles, then of its labels. `quiet`: a parent was found by
        id, so a title no goal has is no news."""
        for column, title in given.parent_titles:
            kind: MappableKind = "milestone" if column == "milestone" else "title"
            goal = self._mapped(title) or self._titled(title)
            if not quiet:  # a parent found by id is the one to map, not its title
                self._note(kind, (title,), title, goal)
            if goal is not None:
                return goal
            if quiet:
                continue
            count = len(self.lookups.goals_by_title.get(normalized(title), []))
            given.warnings.append(RowIssue(column, self._untitled_message(title, count)))
        for _column, label in given.optional_titles:
            goal = self._mapped(label) or self._titled(label)
            self._note("label", (label,), label, goal)
            if goal is not None:
                return goal
        return None

    def _first(self, given: RowInput, goals: list[tuple[str, Goal]]) -> Goal:
        column, goal = goals[0]
        for other_column, other in goals[1:]:
            if other != goal:
                given.warnings.append(
                    RowIssue(
                        other_column,
                        f"{other_column} names {self._describe(other)}, {column} names "
                        f"{self._describe(goal)}: the task links to {self._describe(goal)}.",
                    )
                )
        return goal

    # --- names ---------------------------------------------------------------------------------

    def _row(self, reference: str, child: RowInput) -> RowInput | None:
        parent = self.by_issue_id.get(reference) or self.by_key.get(reference)
        return parent if parent is not None and parent.number != child.number else None

    def _mapped(self, reference: str) -> Goal | None:
        if not reference:
            return None
        mapped = self.options.goal_for(reference)
        return mapped if mapped is not None and self.lookups.goal_row(mapped) is not None else None

    def _titled(self, title: str) -> Goal | None:
        titled = self.lookups.goals_by_title.get(normalized(title), [])
        return titled[0] if len(titled) == 1 else None

    def _describe(self, goal: Goal) -> str:
        return f"{goal[0]} {self.lookups.goal_title(goal)!r}"

    def _unlinked_message(self, parent: RowInput | str) -> str:
        if isinstance(parent, str):
            name = f"The parent task {parent}"
        else:
            kind = parent.issue_type or "parent"
            name = f"The {kind.lower()} {parent.external_key or parent.issue_id}"
            name += f" ({parent.summary!r})" if parent.summary else ""
        return (
            f"{name} links to no goal: map it to a goal on the import page (or in link_map) and "
            "import again. Until then the import does not link this task."
        )

    @staticmethod
    def _untitled_message(title: str, count: int) -> str:
        why = f"{count} goals are titled {title!r}" if count > 1 else f"No goal is titled {title!r}"
        return (
            f"{why}: map it to a goal on the import page (or in link_map) and import again. Until "
            "then the import does not link this task."
        )

    # --- what a lead may map -------------------------------------------------------------------

    def _note_parent(self, parent: RowInput, goal: Goal | None, *, count: bool = True) -> None:
        refs = tuple(ref for ref in (parent.external_key, parent.issue_id) if ref)
        label = " · ".join(filter(None, (parent.external_key, parent.summary)))
        if parent.issue_type:
            label += f" ({parent.issue_type})"
        self._note("parent", refs, label, goal, count=count)

    def _note(
        self, kind: MappableKind, refs: tuple[str, ...], label: str, goal: Goal | None, *, count: bool = True
    ) -> None:
        """Remember that a row named this (`count`: one more row under it)."""
        if not refs:
            return
        key = (kind, normalized(refs[0]))
        mappable = self._mappables.get(key)
        if mappable is None:
            mappable = self._mappables[key] = Mappable(kind=kind, refs=refs, label=label, goal=goal)
        mappable.rows += 1 if count else 0

    def mappables(self) -> list[Mappable]:
        """Every parent, title, milestone and label the rows named (call after every row is
        resolved): those that give no goal first, then by how many rows they hold."""
        for given in self.by_key.values():
            if given.number in self.resolved and self.resolved[given.number].stands_for:
                self._note_parent(given, self.resolved[given.number].goal, count=False)
        return sorted(
            self._mappables.values(), key=lambda item: (item.goal is not None, -item.rows, item.label)
        )
