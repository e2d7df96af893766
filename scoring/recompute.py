"""Keeping the scores current: coalesced, locked recomputes on Celery.

A change marks the organization stale in the database (`organization_mark_scores_stale`) and,
after its transaction commits, calls `scores_request_recompute`, which enqueues a run at once (no
countdown: a lone change is scored as soon as a worker takes it). At most one recompute per
organization waits in the queue (the QUEUED key, SET NX through the shared cache), and the run keeps
the key until it ends, so changes that land while it runs are absorbed; when it ends with the
organization still stale (a change landed after its reads) it asks for exactly one more run. A run
settles first while changes are still arriving: the last one younger than QUIET, and more than one
since the scores went stale or the last run ended just before it (a stream resuming after a pause).
It settles at most MAX_SETTLE after the first change (or after the last run started): so a burst
shorter than MAX_SETTLE costs at most two recomputes, the first at once and the second after the
burst, and a longer stream of changes one per MAX_SETTLE. Two workers never compute one organization
at once (the RUNNING key, SET NX).

Both keys are leases (`scoring.lease`): short-lived and renewed by a heartbeat while the run goes on,
so a worker killed mid-run holds nothing for longer than LEASE_SECONDS and leaves no "requested" mark
behind for longer than QUEUED_SECONDS. Should the broker be down, the change still commits: the stale
mark stays in the database and the sweep asks again.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from execgap.models import Organization
from scoring.lease import LEASE_SECONDS, heartbeat
from scoring.models import ScoreSnapshot

logger = logging.getLogger(__name__)

# A run waits while changes are still arriving (the last one less than QUIET ago: longer than a
# busy machine stalls a client between two writes), retrying every SETTLE_RETRY_SECONDS; at most
# MAX_SETTLE after the first change (or after the last run started, in a longer stream): a burst of
# a thousand edits through the services takes about half a minute on a small machine. A run that
# finds another worker at the organization retries after BUSY_RETRY_SECONDS.
QUIET = timedelta(seconds=2)
MAX_SETTLE = timedelta(seconds=60)
SETTLE_RETRY_SECONDS = 0.5
BUSY_RETRY_SECONDS = 1
# How long a request is remembered without a run renewing it: longer than the longest settle and the
# busy retries between two renewals, short enough that a request lost with its worker is soon forgotten.
QUEUED_SECONDS = 60
# What a run retries rather than fails on: the database or Redis gone for a moment. The waits grow
# 1, 2, 4, ... seconds, at most BACKOFF_MAX_SECONDS apart.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, RedisError, KombuOperationalError, OSError)
BACKOFF_MAX_SECONDS = 30


def backoff_seconds(failures: int) -> int:
    """The wait before retry number `failures + 1` of a run that lost the database or Redis."""
    return int(min(BACKOFF_MAX_SECONDS, 2 ** min(failures, 10)))


def _queued_key(organization_id: int) -> str:
    return f"execgap:scores:queued:{organization_id}"


def _running_key(organization_id: int) -> str:
    return f"execgap:scores:running:{organization_id}"


def scores_request_forget(*, organization_id: int) -> None:
    """Forget that a recompute was requested (a run that gave up): the next change asks anew."""
    with suppress(RedisError, OSError):
        cache.delete(_queued_key(organization_id))


def scores_request_recompute(*, organization_id: int) -> bool:
    """Ask for one recompute of the organization unless one is already waiting. Never raises.

    Call after commit (`transaction.on_commit`). Returns whether a request was sent.
    """
    from scoring.tasks import recompute_scores_task

    try:
        if not cache.add(_queued_key(organization_id), 1, timeout=QUEUED_SECONDS):
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
    - "current": not stale and already computed for today (skipped unless `force`), or gone.

    A lost database or cache connection is raised (the task retries it); the request stays
    remembered meanwhile, for at most QUEUED_SECONDS.
    """
    from scoring.selectors import snapshot_latest
    from scoring.services import scores_recompute

    if settle and not force and _still_changing(organization_id):
        _renew(_queued_key(organization_id), QUEUED_SECONDS)
        return "settling"
    if not cache.add(_running_key(organization_id), 1, timeout=LEASE_SECONDS):
        _renew(_queued_key(organization_id), QUEUED_SECONDS)
        return "busy"
    try:
        with heartbeat(lambda: _leases_renew(organization_id)):
            organization = Organization.objects.filter(pk=organization_id).first()
            today = timezone.now().date()
            latest = snapshot_latest(organization=organization) if organization is not None else None
            is_current = organization is not None and (
                organization.scores_stale_since is None
                and as_of in (None, today)
                and latest is not None
                and latest.as_of == today
            )
            if organization is None or (is_current and not force):
                scores_request_forget(organization_id=organization_id)
                return "current"
            scores_recompute(organization_id=organization_id, as_of=as_of)
        scores_request_forget(organization_id=organization_id)
    finally:
        with suppress(RedisError, OSError):  # else the lease ends by itself
            cache.delete(_running_key(organization_id))
    if Organization.objects.filter(pk=organization_id, scores_stale_since__isnull=False).exists():
        scores_request_recompute(organization_id=organization_id)
    return "computed"


def _renew(key: str, seconds: int) -> None:
    with suppress(RedisError, OSError):
        cache.touch(key, seconds)


def _leases_renew(organization_id: int) -> None:
    """The heartbeat of a run: it still holds the organization, and its request is still in hand."""
    cache.touch(_running_key(organization_id), LEASE_SECONDS)
    cache.touch(_queued_key(organization_id), QUEUED_SECONDS)


def _still_changing(organization_id: int) -> bool:
    """Changes are still arriving: the last one less than QUIET ago, and either more than one since
    the scores went stale (the first one sets both marks to the same instant) or the last run ended
    less than QUIET before it (a change right after a run is the same stream resuming: a stream that
    paused for a moment is not scored twice more). The wait lasts at most MAX_SETTLE: from the first
    change, or from the last run's start where changes kept arriving through it (a long stream is
    scored once per MAX_SETTLE, not run after run). A lone change after a quiet while is never
    waited for."""
    marks = (
        Organization.objects.filter(pk=organization_id)
        .values("scores_stale_since", "scores_changed_at")
        .first()
    )
    if marks is None or marks["scores_stale_since"] is None or marks["scores_changed_at"] is None:
        return False
    first, last, now = marks["scores_stale_since"], marks["scores_changed_at"], timezone.now()
    if now - last >= QUIET:
        return False
    last_run = (
        ScoreSnapshot.objects.for_org(organization_id)
        .order_by("-computed_at", "-id")
        .values("started_at", "computed_at")
        .first()
    )
    if last_run is None:
        return last > first and now - first < MAX_SETTLE
    resumed = last - last_run["computed_at"] < QUIET
    return (last > first or resumed) and now - max(first, last_run["started_at"]) < MAX_SETTLE


def stale_organizations_sweep() -> list[int]:
    """Ask for a recompute of every organization stale for longer than the grace period; returns them.

    This is what makes a lost request (broker down, worker killed) only a delay. It asks as a change
    does, through the QUEUED key: a request waiting or a run going on (which keeps renewing the key)
    absorbs it, so a sweep in the middle of a long burst adds no recompute; a lost request's key is
    a lease that lapses within QUEUED_SECONDS, after which the sweep's request goes through.
    """
    # What became stale very recently is left alone: its own request is still on the way.
    cutoff = timezone.now() - timedelta(seconds=settings.EXECGAP_SCORES_SWEEP_GRACE_SECONDS)
    stale = list(
        Organization.objects.filter(scores_stale_since__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for organization_id in stale:
        scores_request_recompute(organization_id=organization_id)
    return stale
