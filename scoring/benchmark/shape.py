"""How big each part of a generated organization is, from its number of tasks."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# The cascade of the 1,000,000-task organization; smaller ones are scaled down in proportion.
PER_MILLION_TASKS = {
    "objectives": 1_000,
    "initiatives": 20_000,
    "teams": 200,
    "people": 50_000,
    "allocations": 200_000,
    "check_ins": 50_000,
    "feedback": 10_000,
}
# Floors that keep a tiny organization a real one: a tree of objectives, more than one team.
MINIMUM = {
    "objectives": 6,
    "initiatives": 4,
    "teams": 2,
    "people": 8,
    "allocations": 8,
    "check_ins": 8,
    "feedback": 8,
}
KEY_RESULTS_PER_OBJECTIVE = 2


@dataclass(frozen=True)
class Shape:
    """Row counts of one generated organization (`roots` of its `objectives` have no parent)."""

    tasks: int
    objectives: int
    roots: int
    key_results: int
    initiatives: int
    teams: int
    people: int
    allocations: int
    check_ins: int
    feedback: int

    @classmethod
    def for_tasks(cls, tasks: int) -> Shape:
        """1,000,000 tasks: 1,000 objectives (10 roots), 20,000 initiatives, 50,000 people in 200 teams,
        200,000 allocations, 50,000 check-ins and 10,000 feedback items; fewer tasks, fewer of each."""
        if tasks < 1:
            raise ValueError("An organization to benchmark has at least one task.")
        counts = {
            name: max(MINIMUM[name], round(tasks * per_million / 1_000_000))
            for name, per_million in PER_MILLION_TASKS.items()
        }
        objectives = counts["objectives"]
        roots = max(2, min(objectives // 3, round(objectives / 100)))
        return cls(
            tasks=tasks,
            roots=roots,
            key_results=objectives * KEY_RESULTS_PER_OBJECTIVE,
            **counts,
        )

    def rows(self) -> int:
        """All the rows the organization is made of."""
        return sum(value for name, value in asdict(self).items() if name != "roots")
