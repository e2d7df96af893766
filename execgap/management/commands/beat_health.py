"""`manage.py beat_health [--within SECONDS]`: beat's health check (docker-compose.yml).

Healthy (exit 0) when Celery beat has sent the stale-score sweep, which it sends every 20 seconds,
within the last SECONDS; else it says when it last did and exits 1. Beat writes when it last sent a
task to the database every few minutes (django-celery-beat's `sync_every`, 3 minutes), so SECONDS
must be longer than that.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

SWEEP = "sweep-stale-scores"


class Command(BaseCommand):
    help = "Exit 0 when Celery beat has sent the stale-score sweep lately, else 1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--within", type=int, default=300, help="seconds (default 300)")

    def handle(self, *args: Any, within: int, **options: Any) -> None:
        task = settings.CELERY_BEAT_SCHEDULE[SWEEP]["task"]
        last = (
            PeriodicTask.objects.filter(task=task, last_run_at__isnull=False)
            .order_by("-last_run_at")
            .values_list("last_run_at", flat=True)
            .first()
        )
        if last is None or timezone.now() - last > timedelta(seconds=within):
            raise CommandError(f"beat has not sent {task} within {within} s (last: {last or 'never'}).")
        self.stdout.write(f"beat sent {task} at {last.isoformat()}.")
