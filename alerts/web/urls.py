from django.urls import URLPattern, URLResolver, path

from alerts.web import exports, views
from execgap.web.export import csv_view

urlpatterns: list[URLPattern | URLResolver] = [
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("alerts.csv", csv_view(exports.ALERTS), name="alert_list_csv"),
    path("settings/alert-rules/", views.rule_list, name="settings_alert_rules"),
    path("settings/alert-rules/new/", views.rule_create, name="settings_alert_rule_create"),
    path("settings/alert-rules/<int:pk>/edit/", views.rule_edit, name="settings_alert_rule_edit"),
    path("settings/alert-rules/<int:pk>/delete/", views.rule_delete, name="settings_alert_rule_delete"),
]
