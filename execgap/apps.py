from django.apps import AppConfig


class ExecgapConfig(AppConfig):
    name = "execgap"
    verbose_name = "Organizations"
