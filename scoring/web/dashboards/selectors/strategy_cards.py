"""The facts of a card of the strategy map, read at a glance: progress, staffing against demand and the
actual share of effort against the intended one, each a number in words over a small bar.

Drawn here rather than in a template: the map draws up to a few hundred cards. The bars are
decoration (hidden from screen readers): the words beside them say the same numbers.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from objectives.models import Initiative
from scoring.models import InitiativeScore, ObjectiveScore
from scoring.web.dashboards.selectors.strategy_tasks import TaskSums
from scoring.web.dashboards.words import hours, percent, plural

# A share of effort within this distance of the intended one is as intended (SCORING.md's
# over-invested objective is 0.05 above it; the same distance below is the counterpart).
SHARE_TOLERANCE = 0.05
# Staffing bars: fully staffed from STAFFED_FROM, worth a look from THIN_FROM, else short.
STAFFED_FROM = 0.9
THIN_FROM = 0.5
_PROGRESS_TONES = {"on_track": "ok", "behind": "warn", "at_risk": "bad"}


def _clamp(value: float | None) -> float:
    return max(0.0, min(1.0, value or 0.0))


def bar(value: float | None, tone: str, mark: float | None = None) -> SafeString:
    """A 0–1 value as a filled bar, with an optional mark (what is expected or intended)."""
    marked = (
        format_html(
            '<rect class="bar-mark" x="{}" y="0" width="1.2" height="10" />',
            f"{min(_clamp(mark), 0.988) * 100:.1f}",
        )
        if mark is not None
        else ""
    )
    return format_html(
        '<svg class="card-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"'
        ' focusable="false">'
        '<rect class="bar-track" x="0" y="2" width="100" height="6" rx="3" />'
        '<rect class="bar-fill bar-{}" x="0" y="2" width="{}" height="6" rx="3" />{}</svg>',
        tone, f"{_clamp(value) * 100:.1f}", marked,
    )  # fmt: skip


def _fact(name: str, value: SafeString | str, drawn: SafeString | str = "") -> SafeString:
    return format_html('<div class="card-fact"><dt>{}</dt><dd>{}{}</dd></div>', name, value, drawn)


def _facts(facts: list[SafeString]) -> SafeString:
    return format_html(
        '<dl class="card-facts">{}</dl>', format_html_join("", "{}", ((fact,) for fact in facts))
    )


def _staffing_tone(coverage: float) -> str:
    return "ok" if coverage >= STAFFED_FROM else "warn" if coverage >= THIN_FROM else "bad"


def objective_card(score: ObjectiveScore | None) -> SafeString:
    if score is None:
        return format_html('<p class="card-note">{}</p>', "Not scored yet.")
    expected = score.expected_progress
    status = score.get_progress_status_display() if score.progress_status else "No dates"
    progress = format_html(
        '{} <span class="badge status-{}">{}</span>{}',
        percent(score.progress),
        score.progress_status or "draft",
        status,
        format_html('<span class="card-aside">{} expected by now</span>', percent(expected))
        if expected is not None
        else "",
    )
    facts = [
        _fact(
            "Progress",
            progress,
            bar(score.progress, _PROGRESS_TONES.get(score.progress_status, "plain"), expected),
        )
    ]
    if not score.active_initiatives:
        facts.append(_fact("Staffed", "No active initiative", bar(0, "bad")))
    else:
        staffed = (
            f"{hours(score.covered)} of {hours(score.demand)} h ({percent(score.coverage)})"
            if score.demand
            else f"{percent(score.coverage)}: nothing left to staff"
        )
        facts.append(_fact("Staffed", staffed, bar(score.coverage, _staffing_tone(score.coverage))))
    actual, intended = score.actual_share, score.intended_share
    if actual is None:
        share = f"no aligned effort yet, {percent(intended)} intended"
        tone = "plain"
    else:
        share = f"{percent(actual)} against {percent(intended)} intended"
        tone = "ok" if abs(actual - intended) <= SHARE_TOLERANCE else "warn"
    facts.append(_fact("Effort share", share, bar(actual, tone, intended)))
    return _facts(facts)


def initiative_card(
    initiative: Initiative, score: InitiativeScore | None, tasks: TaskSums | None
) -> SafeString:
    """Its progress is the share of its tasks' hours done (SCORING.md measures no initiative's
    progress: this is what its tasks say now); its staffing the snapshot's, when it is active."""
    done = tasks.done_share if tasks is not None else None
    facts = [
        _fact("Work done", f"{percent(done)} of the task hours", bar(done, "plain"))
        if done is not None
        else _fact("Work done", "No tasks yet")
    ]
    if score is not None:
        until = format_html('<span class="card-aside">until {}</span>', f"{score.end_date:%-d %b %Y}")
        if not score.demand:
            allocated = f", {hours(score.supply)} h allocated" if score.supply else ""
            facts.append(_fact("Staffed", format_html("No hours needed{}{}", allocated, until)))
        else:
            supply, demand, share = hours(score.supply), hours(score.demand), percent(score.coverage)
            staffed = (
                f"{supply} of {demand} h ({share})"
                if score.supply < score.demand
                else f"{supply} h for the {demand} h needed ({share})"
            )
            tone = _staffing_tone(score.coverage)
            facts.append(_fact("Staffed", format_html("{}{}", staffed, until), bar(score.coverage, tone)))
    elif initiative.status != "active":
        facts.append(_fact("Staffed", f"not measured while {initiative.get_status_display().lower()}"))
    else:
        facts.append(_fact("Staffed", "not scored yet"))
    return _facts(facts)


def tasks_card(sums: TaskSums) -> SafeString:
    """A summary of tasks: how many are open and done, with their hours."""
    return _facts(
        [
            _fact("Open", f"{plural(sums.open_tasks, 'task')}, {hours(sums.open_hours)} h"),
            _fact(
                "Done",
                f"{plural(sums.done_tasks, 'task')}, {hours(sums.done_hours)} h",
                bar(sums.done_share, "plain"),
            ),
        ]
    )
