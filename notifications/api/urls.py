from rest_framework.routers import SimpleRouter

from notifications.api.views import NotificationViewSet, PreferenceViewSet

router = SimpleRouter()
router.register(r"orgs/(?P<org>[-\w]+)/notifications", NotificationViewSet, basename="notification")
router.register(
    r"orgs/(?P<org>[-\w]+)/notification-preferences", PreferenceViewSet, basename="notification-preference"
)

urlpatterns = router.urls
