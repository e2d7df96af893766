from django.urls import URLPattern, URLResolver, path

from webhooks.web import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("settings/webhooks/", views.webhook_list, name="webhook_list"),
    path("settings/webhooks/<int:pk>/", views.webhook_detail, name="webhook_detail"),
    path("settings/webhooks/<int:pk>/secret/", views.webhook_secret, name="webhook_secret"),
    path("settings/webhooks/<int:pk>/test/", views.webhook_test, name="webhook_test"),
    path("settings/webhooks/<int:pk>/rotate/", views.webhook_rotate, name="webhook_rotate"),
    path("settings/webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
    path(
        "settings/webhooks/<int:pk>/enable/", views.webhook_enabled, {"enabled": True}, name="webhook_enable"
    ),
    path(
        "settings/webhooks/<int:pk>/disable/",
        views.webhook_enabled,
        {"enabled": False},
        name="webhook_disable",
    ),
    path(
        "settings/webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        views.webhook_redeliver,
        name="webhook_redeliver",
    ),
]
