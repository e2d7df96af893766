from rest_framework.routers import SimpleRouter

from alerts.api.views import AlertRuleViewSet, AlertViewSet

router = SimpleRouter()
router.register(r"orgs/(?P<org>[-\w]+)/alert-rules", AlertRuleViewSet, basename="alert-rule")
router.register(r"orgs/(?P<org>[-\w]+)/alerts", AlertViewSet, basename="alert")

urlpatterns = router.urls
