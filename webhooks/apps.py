from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from execgap.events import EventKind, subscribe
        from webhooks.subscribers import KINDS, on_event

        subscribe(on_event, kinds=frozenset(EventKind(kind) for kind in KINDS))
