from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from execgap.events import subscribe
        from notifications.subscribers import NOTIFYING_KINDS, event_enqueue

        subscribe(event_enqueue, kinds=NOTIFYING_KINDS)
