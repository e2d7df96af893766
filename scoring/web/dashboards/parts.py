"""Each score's parts (a snapshot's numerators and denominators, `scoring.engine.explain.parts_of`)
said in plain words, as the health page shows them under the score."""

from __future__ import annotations

from typing import Any

from scoring.models import ScoreSnapshot
from scoring.web.dashboards.words import hours, percent, plural, ratio

Json = dict[str, Any]


def alignment_parts(snapshot: ScoreSnapshot) -> list[str]:
    parts: Json = snapshot.parts.get("alignment") or {}
    window = snapshot.activity_window_days
    if not parts.get("tasks_in_scope"):
        return [f"No work in scope: no open task, and none finished in the last {window} days."]
    lines = [
        f"{percent(parts['traceability'])} of the current effort traces to active goals: "
        f"{hours(parts['aligned_effort'])} of {hours(parts['total_effort'])} hours "
        f"(open work and work finished in the last {window} days).",
        f"{hours(parts['orphan_effort'])} hours ({plural(parts['orphan_tasks'], 'task')}) serve no goal; "
        f"{hours(parts['misaligned_effort'])} hours ({plural(parts['misaligned_tasks'], 'task')}) serve "
        "goals that are not active.",
    ]
    if parts.get("priority_fit") is None:
        lines.append("Priority fit cannot be measured: no active boardroom objective has aligned effort.")
    else:
        lines.append(
            f"The aligned effort is split across the boardroom objectives {percent(parts['priority_fit'])} "
            "as the plan intends (priority fit)."
        )
    return lines


def resources_parts(snapshot: ScoreSnapshot, titles: dict[int, str]) -> list[str]:
    """`titles` names the boardroom objectives (by id) of the snapshot."""
    parts: Json = snapshot.parts.get("resources") or {}
    if not parts.get("active_roots"):
        return ["No active boardroom objective: there is nothing to staff against yet."]
    lines = []
    active = parts.get("active_initiatives", 0)
    if not active:
        lines.append("No active initiative plans work for the boardroom objectives.")
    elif parts["demand"]:
        lines.append(
            f"The {plural(active, 'active initiative')} need {hours(parts['demand'])} hours within their "
            f"planning windows; {hours(parts['covered'])} of them are staffed "
            f"({percent(ratio(parts['covered'], parts['demand']))})."
        )
    else:
        lines.append(f"The {plural(active, 'active initiative')} need no more hours within their windows.")
    lines.extend(
        f"{titles.get(root['objective_id'], 'A boardroom objective')}: {percent(root['coverage'])} covered "
        f"(weighs {percent(root['intended_share'])} of the plan)."
        for root in parts.get("roots", [])
    )
    lines.append(
        f"{plural(parts.get('people_over_capacity', 0), 'person is', 'people are')} allocated beyond their "
        f"capacity; {plural(parts.get('people_spread_thin', 0), 'person is', 'people are')} spread over "
        f"more than {snapshot.spread_thin_allocations} initiatives."
    )
    lines.append(
        f"{hours(parts.get('off_strategy_capacity', 0))} hours a week are allocated to work outside the "
        "live plan."
    )
    return lines


def adaptability_parts(snapshot: ScoreSnapshot) -> list[str]:
    parts: Json = snapshot.parts.get("adaptability") or {}
    cadence = snapshot.checkin_cadence_days
    tracked = parts.get("tracked_items", 0)
    lines = [
        f"{parts['fresh_items']:,} of {plural(tracked, 'tracked goal')} ({percent(parts['freshness'])}) "
        f"had a check-in in the last {cadence} days."
        if tracked
        else "No active objective or initiative to track."
    ]
    due = parts.get("feedback_due", 0)
    lines.append(
        f"{parts['feedback_answered']:,} of {plural(due, 'blocker and risk', 'blockers and risks')} raised "
        f"7 to 89 days ago ({percent(parts['responsiveness'])}) got an answer within 7 days."
        if due
        else "No blocker or risk raised 7 to 89 days ago is waiting to be counted."
    )
    return lines


def people_parts(snapshot: ScoreSnapshot) -> list[str]:
    parts: Json = snapshot.parts.get("people") or {}
    tracked = parts.get("tracked_items", 0)
    if not tracked:
        return ["No active objective or initiative to own."]
    lines = [
        f"{parts['owned_items']:,} of {plural(tracked, 'tracked goal')} ({percent(parts['ownership'])}) "
        f"{'has' if tracked == 1 else 'have'} an active owner."
    ]
    owners = parts.get("owners", 0)
    lines.append(
        f"{parts['owners_checked_in']:,} of {plural(owners, 'owner')} ({percent(parts['participation'])}) "
        f"checked in during the last {snapshot.checkin_cadence_days} days."
        if owners
        else "No tracked goal has an active owner to check in."
    )
    return lines


def health_parts(snapshot: ScoreSnapshot) -> list[str]:
    measured = [
        name
        for name in ("alignment", "resources", "adaptability", "people")
        if getattr(snapshot, name) is not None
    ]
    if not measured:
        return ["None of the four scores can be measured yet."]
    if len(measured) == 4:
        return ["The mean of the four scores below."]
    return [f"The mean of the scores that can be measured: {', '.join(measured)}."]
