"""The Celery application. Settings come from Django settings under the CELERY_ prefix."""

import os
from typing import Any

from celery import Celery
from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execgap.settings")

app = Celery("execgap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _refuse_a_closed_broker_connection() -> None:
    """A Redis channel used after its connection was closed (acknowledging or restoring a message when
    the broker went away: kombu#582, kombu#970) reads the host of a client that is gone and raises
    AttributeError ("'NoneType' object has no attribute 'hostname'"), which the worker takes for an
    unrecoverable error and exits on. Raised as the connection error it is, the worker reconnects."""
    connparams = kombu_redis.Channel._connparams  # type: ignore[attr-defined]

    def _connparams(self: kombu_redis.Channel, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if self.connection is None or self.connection.client is None:
            raise RedisConnectionError("The broker connection was closed.")
        return connparams(self, *args, **kwargs)

    kombu_redis.Channel._connparams = _connparams  # type: ignore[attr-defined]


_refuse_a_closed_broker_connection()
