from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Alerts"

    def ready(self) -> None:
        # Snapshots are evaluated once stored, and new organizations get the default rules: both
        # reached from below through an event and a hook, never an import of this app.
        from alerts import services, subscribers
        from execgap.services import organization_defaults_create

        subscribers.register()
        organization_defaults_create.provide(services.alert_rules_create_defaults)
