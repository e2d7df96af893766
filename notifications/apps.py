from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from execgap.events import subscribe
        from notifications.subscribers import NOTIFYING_KINDS, events_enqueue

        subscribe(events_enqueue, kinds=NOTIFYING_KINDS)
