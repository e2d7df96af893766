"""The rows of one generated organization, as tuples in each table's column order.

Every id comes from the `Plan` (the first id of each table plus the row's index), so every link is
known before anything is written and always points at a row of the same organization. Each table draws
from its own seeded random stream: the same seed gives the same organization. Dates are relative to
D (`as_of`): open and finished work, within and beyond the activity window, current, future and
ended allocations, fresh and stale check-ins, answered and unanswered blockers.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta

from scoring.benchmark.plan import Plan, Row

BOOKKEEPING = ("id", "organization_id", "version", "created_at", "updated_at")

COLUMNS: Mapping[str, tuple[str, ...]] = {
    "team": (*BOOKKEEPING, "name", "parent_id", "lead_id"),
    "person": (
        *BOOKKEEPING, "name", "email", "user_id", "team_id", "weekly_capacity_hours", "active",
    ),
    "objective": (
        *BOOKKEEPING, "parent_id", "title", "description", "team_id", "owner_id", "status",
        "priority_weight", "start_date", "end_date",
    ),
    "key_result": (
        *BOOKKEEPING, "objective_id", "title", "unit", "start_value", "target_value", "current_value",
        "weight",
    ),
    "initiative": (
        *BOOKKEEPING, "objective_id", "title", "description", "team_id", "owner_id", "status",
        "start_date", "end_date", "estimate_hours",
    ),
    "task": (
        *BOOKKEEPING, "title", "initiative_id", "objective_id", "team_id", "assignee_id", "status",
        "effort_hours", "due_date", "completed_at", "external_key", "external_url",
    ),
    "allocation": (
        *BOOKKEEPING, "person_id", "initiative_id", "hours_per_week", "start_date", "end_date",
    ),
    "check_in": (
        *BOOKKEEPING, "objective_id", "initiative_id", "key_result_id", "author_id", "date", "value",
        "confidence", "note",
    ),
    "feedback": (
        *BOOKKEEPING, "kind", "objective_id", "initiative_id", "author_id", "text", "status", "response",
        "acknowledged_at", "resolved_at", "answered_by_id",
    ),
}  # fmt: skip

OBJECTIVE_BRANCHING = 10
TEAM_BRANCHING = 8
TEAMS_PER_ROOT_TEAM = 40
ACTIVITY_WINDOW_DAYS = 28  # the default W: half the done tasks finish inside it, half before it

OBJECTIVE_STATUSES = (("active", 82), ("draft", 7), ("achieved", 6), ("cancelled", 5))
INITIATIVE_STATUSES = (("active", 70), ("proposed", 10), ("on_hold", 8), ("done", 7), ("cancelled", 5))
# Open 52%, done 38% (18 within the window, 20 before it), cancelled 10%.
TASK_STATUSES = (
    ("todo", 30), ("in_progress", 16), ("blocked", 6), ("done", 18), ("done_before_window", 20),
    ("cancelled", 10),
)  # fmt: skip
FEEDBACK_KINDS = (("blocker", 35), ("risk", 25), ("idea", 25), ("concern", 15))
EFFORTS = (1, 2, 3, 4, 5, 8, 8, 13, 16, 20, 40)
CAPACITIES = (40, 40, 40, 40, 40, 40, 40, 32, 32, 20)
ALLOCATION_HOURS = (4, 8, 8, 10, 16, 20, 20, 40)


def _stamp(moment: datetime | None) -> str | None:
    """A time as ISO 8601 text: what both COPY and the ORM's fields read, and far cheaper to write to
    CSV than the datetime (whose conversion to text would be most of the generator's time)."""
    return None if moment is None else moment.isoformat()


def _chooser(weighted: Sequence[tuple[str, int]]) -> tuple[list[str], list[int]]:
    values = [value for value, _ in weighted]
    cumulative, total = [], 0
    for _, weight in weighted:
        total += weight
        cumulative.append(total)
    return values, cumulative


def teams(plan: Plan) -> Iterator[Row]:
    rng, count = plan.rng("team"), plan.shape.teams
    roots = max(1, count // TEAMS_PER_ROOT_TEAM)
    for index in range(count):
        parent = None if index < roots else plan.id("team", (index - roots) // TEAM_BRANCHING)
        yield (*plan.bookkeeping("team", index), f"Team {index + 1}", parent, plan.maybe_person(rng, 0.9))


def people(plan: Plan) -> Iterator[Row]:
    rng = plan.rng("person")
    for index, team in enumerate(plan.person_teams):
        capacity = 0 if rng.random() < 0.01 else rng.choice(CAPACITIES)
        email = f"person{index + 1}@example.com"
        yield (*plan.bookkeeping("person", index), f"Person {index + 1}", email, None,
               plan.id("team", team), capacity, rng.random() < 0.97)  # fmt: skip


def objectives(plan: Plan) -> Iterator[Row]:
    """A forest: `roots` roots, each objective's parent an earlier one, about three levels deep."""
    rng, shape = plan.rng("objective"), plan.shape
    branching = max(2, min(OBJECTIVE_BRANCHING, (shape.objectives - shape.roots) // shape.roots))
    statuses, cumulative = _chooser(OBJECTIVE_STATUSES)
    for index in range(shape.objectives):
        is_root = index < shape.roots
        parent = None if is_root else plan.id("objective", (index - shape.roots) // branching)
        status = rng.choices(statuses, cum_weights=cumulative)[0]
        if is_root:  # the boardroom keeps its roots active, but for one cancelled in a large cascade
            status = "cancelled" if shape.roots >= 5 and index == shape.roots - 1 else "active"
        start = plan.days(-rng.randint(30, 300)) if rng.random() < 0.8 else None
        ended = rng.random() < 0.1  # active in name, but past its end date: not active at D
        end = None
        if rng.random() < 0.7:
            end = plan.days(-rng.randint(1, 25) if ended else rng.randint(30, 300))
        team = plan.id("team", plan.objective_home_teams[index]) if rng.random() < 0.8 else None
        yield (*plan.bookkeeping("objective", index), parent, f"Objective {index + 1}", "", team,
               plan.maybe_person(rng, 0.9), status, rng.choice((1, 1, 1, 2, 3, 5)), start, end)  # fmt: skip


def key_results(plan: Plan) -> Iterator[Row]:
    rng = plan.rng("key_result")
    for index in range(plan.shape.key_results):
        objective = plan.id("objective", index % plan.shape.objectives)
        yield (*plan.bookkeeping("key_result", index), objective, f"Key result {index + 1}", "%",
               0, 100, rng.randint(0, 120), 1)  # fmt: skip


def initiatives(plan: Plan) -> Iterator[Row]:
    rng, shape = plan.rng("initiative"), plan.shape
    statuses, cumulative = _chooser(INITIATIVE_STATUSES)
    for index in range(shape.initiatives):
        objective = plan.id("objective", rng.randrange(shape.objectives)) if rng.random() < 0.92 else None
        start = plan.days(-rng.randint(0, 200)) if rng.random() < 0.7 else None
        end = None
        if rng.random() < 0.6:  # mostly ahead, some overdue
            end = plan.days(rng.randint(-30, 180))
            if start is not None and end < start:
                end = start + timedelta(days=rng.randint(0, 60))
        estimate = rng.randint(20, 800) if rng.random() < 0.6 else None
        team = plan.id("team", plan.initiative_home_teams[index]) if rng.random() < 0.8 else None
        yield (*plan.bookkeeping("initiative", index), objective, f"Initiative {index + 1}", "", team,
               plan.maybe_person(rng, 0.85), rng.choices(statuses, cum_weights=cumulative)[0], start,
               end, estimate)  # fmt: skip


def tasks(plan: Plan) -> Iterator[Row]:
    """76% in an initiative, 12% straight on an objective, 12% orphan; 18% without an estimate; 88%
    assigned, mostly to someone of the goal's home team (see `Plan.member_of`).

    The hot loop of the generator (a million rows): plain draws and lookups, one helper call.
    """
    shape, first = plan.shape, plan.first_id
    draw = plan.rng("task").random
    statuses, cumulative = _chooser(TASK_STATUSES)
    total_weight = cumulative[-1]
    person_teams, organization_id, moment = plan.person_teams, plan.organization_id, plan.moment_text
    due_dates = [plan.days(offset) for offset in range(-30, 61)]
    days = [f"{plan.days(-days_ago).isoformat()}T" for days_ago in range(366)]  # index: days before D
    minutes = [f"{minute // 60:02}:{minute % 60:02}:00+00:00" for minute in range(24 * 60)]
    window = ACTIVITY_WINDOW_DAYS
    initiative_teams, objective_teams = plan.initiative_home_teams, plan.objective_home_teams
    member_of = plan.member_of
    for index in range(shape.tasks):
        link, initiative, objective, home = draw(), None, None, None
        if link < 0.76:
            initiative = int(draw() * shape.initiatives)
            home, initiative = initiative_teams[initiative], first["initiative"] + initiative
        elif link < 0.88:
            objective = int(draw() * shape.objectives)
            home, objective = objective_teams[objective], first["objective"] + objective
        assignee = member_of(home, draw) if draw() < 0.88 else None
        team = None
        if draw() < 0.4:  # the task names a team: its assignee's, else its goal's (else any)
            if assignee is not None:
                team = person_teams[assignee]
            else:
                team = home if home is not None else int(draw() * shape.teams)
            team += first["team"]
        status = statuses[bisect_right(cumulative, draw() * total_weight)]
        completed = None
        if status == "done":
            completed = days[int(draw() * window)] + minutes[int(draw() * len(minutes))]
        elif status == "done_before_window":
            status = "done"
            completed = (
                days[window + int(draw() * (len(days) - window))] + minutes[int(draw() * len(minutes))]
            )
        yield (
            first["task"] + index, organization_id, 1, moment, moment, f"Task {index + 1}", initiative,
            objective, team, None if assignee is None else first["person"] + assignee, status,
            EFFORTS[int(draw() * len(EFFORTS))] if draw() < 0.82 else None,
            due_dates[int(draw() * len(due_dates))] if draw() < 0.5 else None, completed,
            f"EG-{index + 1}" if draw() < 0.6 else "", "",
        )  # fmt: skip


def allocations(plan: Plan) -> Iterator[Row]:
    """Open-ended and dated, current, ended and future, mostly people of the initiative's home team:
    some people end up over capacity or spread thin."""
    rng, shape = plan.rng("allocation"), plan.shape
    taken: set[tuple[int, int]] = set()  # one person is on one initiative at most once (the model's rule)
    for index in range(shape.allocations):
        start = plan.days(rng.randint(-180, 60)) if rng.random() < 0.55 else None
        end = None
        if rng.random() < 0.5:
            end = (start or plan.as_of) + timedelta(days=rng.randint(-30 if start is None else 0, 240))
        initiative = rng.randrange(shape.initiatives)
        person = plan.member_of(plan.initiative_home_teams[initiative], rng.random)
        first = initiative
        while (person, initiative) in taken:  # the next initiative, or (all taken) the next person
            initiative = (initiative + 1) % shape.initiatives
            if initiative == first:
                person = (person + 1) % shape.people
        taken.add((person, initiative))
        yield (*plan.bookkeeping("allocation", index), plan.id("person", person),
               plan.id("initiative", initiative), rng.choice(ALLOCATION_HOURS), start, end)  # fmt: skip


def check_ins(plan: Plan) -> Iterator[Row]:
    """On initiatives (40%), objectives (30%) and key results (30%), within the last 60 days."""
    rng, shape = plan.rng("check_in"), plan.shape
    for index in range(shape.check_ins):
        target, objective, initiative, key_result = rng.random(), None, None, None
        if target < 0.4:
            initiative = plan.id("initiative", rng.randrange(shape.initiatives))
        elif target < 0.7:
            objective = plan.id("objective", rng.randrange(shape.objectives))
        else:
            key_result = plan.id("key_result", rng.randrange(shape.key_results))
        yield (*plan.bookkeeping("check_in", index), objective, initiative, key_result,
               plan.maybe_person(rng, 0.9), plan.days(-rng.randint(0, 60)),
               rng.randint(0, 100) if rng.random() < 0.5 else None,
               rng.randint(0, 10) if rng.random() < 0.8 else None, "")  # fmt: skip


def feedback(plan: Plan) -> Iterator[Row]:
    """Raised over the last 120 days; half acknowledged within two weeks, some resolved, by someone."""
    rng, shape = plan.rng("feedback"), plan.shape
    kinds, cumulative = _chooser(FEEDBACK_KINDS)
    for index in range(shape.feedback):
        target, objective, initiative = rng.random(), None, None
        if target < 0.3:
            objective = plan.id("objective", rng.randrange(shape.objectives))
        elif target < 0.8:
            initiative = plan.id("initiative", rng.randrange(shape.initiatives))
        created = min(plan.moment, plan.at(-rng.randint(0, 120), rng.randint(0, 86_399)))
        acknowledged = resolved = None
        if rng.random() < 0.5:
            acknowledged = min(plan.moment, created + timedelta(seconds=rng.randint(0, 14 * 86_400)))
        if rng.random() < 0.3:
            resolved = min(plan.moment, (acknowledged or created) + timedelta(days=rng.randint(1, 30)))
        status = "resolved" if resolved else "acknowledged" if acknowledged else "open"
        row_id, organization_id, version, _, updated = plan.bookkeeping("feedback", index)
        kind, author = rng.choices(kinds, cum_weights=cumulative)[0], plan.maybe_person(rng, 0.85)
        answered_by = plan.maybe_person(rng, 0.9) if acknowledged or resolved else None
        yield (row_id, organization_id, version, _stamp(created), updated, kind, objective, initiative,
               author, f"Feedback {index + 1}", status, "", _stamp(acknowledged), _stamp(resolved),
               answered_by)  # fmt: skip


# In the order they are written (a table's links point at tables written before it or with it).
GENERATORS = {
    "team": teams,
    "person": people,
    "objective": objectives,
    "key_result": key_results,
    "initiative": initiatives,
    "task": tasks,
    "allocation": allocations,
    "check_in": check_ins,
    "feedback": feedback,
}
