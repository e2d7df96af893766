from django.urls import URLPattern, URLResolver, path

from notifications.web import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("notifications/", views.inbox, name="notifications"),
    path("notifications/bell/", views.bell, name="notification_bell"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/preferences/", views.preferences_edit, name="notification_preferences"),
    path("notifications/read/", views.notification_read, name="notification_read"),
    path("digest/", views.digest_preview, name="digest"),
]
