from django.urls import URLPattern, URLResolver, path

from notifications.web import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="notification_unsubscribe"),
]
