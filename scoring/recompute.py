"""Keeping the scores current: coalesced, locked recomputes on Celery.

A change marks the organization stale in the database (`organization_mark_scores_stale`) and,
after its transaction commits, calls `scores_request_recompute`, which enqueues a run at once (no
countdown: a lone change is scored as soon as a worker takes it). At most one recompute per
organization waits in the queue (the QUEUED key, SET NX through the shared cache), and the run keeps
the key until it ends, so changes that land while it runs are absorbed; when it ends with the
organization still stale (a change landed after its reads) it asks for exactly one more run. That
run settles first while more than one change has landed since the scores went stale and the last
one is younger than QUIET (a burst still arriving), at most MAX_SETTLE after the first: so a burst
costs at most two recomputes, the first at once and the second after the burst. Two workers never
compute one organization at once (the RUNNING key, SET NX with a time-to-live longer than the task's
hard time limit). Should the broker be down, the change still commits: the stale mark stays in the
database and the minute-by-minute sweep asks again.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from execgap.models import Organization

logger = logging.getLogger(__name__)

# A run waits while a burst is still arriving (more than one change since the scores went stale, the
# last one less than QUIET ago), retrying every SETTLE_RETRY_SECONDS; at most MAX_SETTLE after the
# first change. A run that finds another worker at the organization retries after BUSY_RETRY_SECONDS.
QUIET = timedelta(seconds=1)
MAX_SETTLE = timedelta(seconds=30)
SETTLE_RETRY_SECONDS = 0.5
BUSY_RETRY_SECONDS = 1


def _queued_key(organization_id: int) -> str:
    return f"execgap:scores:queued:{organization_id}"


def _running_key(organization_id: int) -> str:
    return f"execgap:scores:running:{organization_id}"


def _lock_ttl() -> int:
    return int(settings.CELERY_TASK_TIME_LIMIT) + 60


def scores_request_recompute(*, organization_id: int) -> bool:
    """Ask for one recompute of the organization unless one is already waiting. Never raises.

    Call after commit (`transaction.on_commit`). Returns whether a request was sent.
    """
    from scoring.tasks import recompute_scores_task

    try:
        if not cache.add(_queued_key(organization_id), 1, timeout=_lock_ttl()):
            return False
        recompute_scores_task.apply_async(args=(organization_id,), retry=False)
    except (RedisError, KombuOperationalError, OSError):  # the stale mark in the database is the safety net
        logger.warning("Could not request a recompute of organization %s; the sweep will.", organization_id)
        return False
    return True


def scores_recompute_locked(
    *, organization_id: int, as_of: date | None = None, force: bool = False, settle: bool = True
) -> str:
    """Recompute one organization unless another worker is at it or nothing changed.

    Returns what happened:
    - "computed";
    - "busy": another run holds the lock (retry later);
    - "settling": a burst of changes is still arriving (retry later; the QUEUED key stays, so the
      burst adds no requests); `settle=False` where nothing could coalesce, as in-process;
    - "current": not stale and already computed for today (skipped unless `force`).
    """
    from scoring.selectors import snapshot_latest
    from scoring.services import scores_recompute

    if settle and not force and _still_changing(organization_id):
        return "settling"
    if not cache.add(_running_key(organization_id), 1, timeout=_lock_ttl()):
        return "busy"
    try:
        organization = Organization.objects.filter(pk=organization_id).first()
        if organization is None:
            return "current"
        today = timezone.now().date()
        latest = snapshot_latest(organization=organization)
        is_current = (
            organization.scores_stale_since is None
            and as_of in (None, today)
            and latest is not None
            and latest.as_of == today
        )
        if is_current and not force:
            return "current"
        scores_recompute(organization_id=organization_id, as_of=as_of)
    finally:
        cache.delete(_running_key(organization_id))
        cache.delete(_queued_key(organization_id))
    if Organization.objects.filter(pk=organization_id, scores_stale_since__isnull=False).exists():
        scores_request_recompute(organization_id=organization_id)
    return "computed"


def _still_changing(organization_id: int) -> bool:
    """A burst is still arriving: more than one change since the scores went stale (the first one
    sets both marks to the same instant), the last less than QUIET ago, the first less than
    MAX_SETTLE ago. A lone change is never waited for."""
    marks = (
        Organization.objects.filter(pk=organization_id)
        .values("scores_stale_since", "scores_changed_at")
        .first()
    )
    if marks is None or marks["scores_stale_since"] is None or marks["scores_changed_at"] is None:
        return False
    first, last, now = marks["scores_stale_since"], marks["scores_changed_at"], timezone.now()
    return last > first and now - last < QUIET and now - first < MAX_SETTLE


def stale_organizations_sweep() -> list[int]:
    """Ask for a recompute of every organization stale for longer than the grace period.

    This is what makes a lost request (broker down, worker killed) only a delay: it bypasses
    the QUEUED key, since a request that was lost may have left it set.
    """
    from scoring.tasks import recompute_scores_task

    # What became stale very recently is left alone: its own request is still on the way.
    cutoff = timezone.now() - timedelta(seconds=settings.EXECGAP_SCORES_SWEEP_GRACE_SECONDS)
    stale = list(
        Organization.objects.filter(scores_stale_since__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for organization_id in stale:
        recompute_scores_task.apply_async(args=(organization_id,))
    return stale
