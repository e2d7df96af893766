"""Settings of the work done in the background: Redis (the shared cache and Celery's broker) and Celery's
jobs, their routes and their schedule.

Read by `execgap.settings` (which has loaded `.env` already).
"""

import environ
from celery.schedules import crontab

env = environ.Env()

# Cache: Redis when there is one (shared by every process: throttles, locks), else local memory.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis broker in production; without REDIS_URL every task runs in-process, eagerly.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Routes. Priorities (with Redis, 0 is the highest; kombu keeps a list per step of 0, 3, 6, 9 and a
# worker takes from the highest first): the scores' recomputes go ahead of every other job waiting (their
# retries keep it), so that the scores are current again first, however many alert and notification
# jobs a recompute left (the 35,000 alerts a first evaluation may open). Webhook deliveries wait on
# endpoints outside ExecGap (up to their connect and read timeouts): they have a queue of their own,
# OUTBOUND_QUEUE, served by workers of their own (docker-compose.yml's `outbound`), so that a slow
# endpoint never holds up a recompute.
OUTBOUND_QUEUE = "outbound"
CELERY_TASK_ROUTES = {
    "scoring.tasks.recompute_scores_task": {"priority": 0},
    "webhooks.tasks.*": {"queue": OUTBOUND_QUEUE, "priority": 6},
    "*": {"priority": 6},
}
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=660)
# The broker redelivers an unacknowledged task after this; it must outlast the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT * 2}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 3,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker whose broker goes away keeps reconnecting for as long as it takes (Celery's default gives up
# after 100 tries and exits); the tasks it was running are cancelled and delivered again once it is
# back, since their late acknowledgement could never reach the broker (Celery 6's default).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_ENABLE_SOFT_SHUTDOWN_ON_IDLE = True
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 30.0
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The stale-mark sweep leaves alone organizations stale for less than this (their request is on its way).
EXECGAP_SCORES_SWEEP_GRACE_SECONDS = env.int("EXECGAP_SCORES_SWEEP_GRACE_SECONDS", default=30)
# Installed into django-celery-beat's tables by the scheduler at start-up.
CELERY_BEAT_SCHEDULE = {
    # Webhook deliveries whose retry is due (the backoff's shortest step is a minute).
    "webhook-due-deliveries": {"task": "webhooks.tasks.send_due_deliveries_task", "schedule": 30.0},
    # Also sends again the recompute jobs whose worker died: often enough that a recompute lost with its
    # worker is done again within a minute (its lease runs out after 30 s).
    "sweep-stale-scores": {"task": "scoring.tasks.sweep_stale_scores_task", "schedule": 20.0},
    # Before the daily snapshots: a drifted tally is rebuilt (and logged) before the day's scores read it.
    "daily-task-tally-repair": {
        "task": "objectives.tasks.daily_tally_repair_task",
        "schedule": crontab(minute=5, hour=0),
    },
    "daily-score-snapshots": {
        "task": "scoring.tasks.daily_snapshots_task",
        "schedule": crontab(minute=15, hour=0),
    },
    "weekly-checkin-reminders": {
        "task": "feedback.tasks.weekly_checkin_reminders_task",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    # Notification emails whose batch send was lost (a worker gone): sent by the sweep.
    "notification-emails-sweep": {"task": "notifications.tasks.email_sweep_task", "schedule": 300.0},
    "weekly-executive-digest": {
        "task": "notifications.tasks.weekly_digest_task",
        "schedule": crontab(minute=30, hour=7, day_of_week="mon"),
    },
}
