from rest_framework.routers import SimpleRouter

from objectives.api.views import InitiativeViewSet, KeyResultViewSet, ObjectiveViewSet, TaskViewSet

router = SimpleRouter()
router.register(r"orgs/(?P<org>[-\w]+)/objectives", ObjectiveViewSet, basename="objective")
router.register(r"orgs/(?P<org>[-\w]+)/key-results", KeyResultViewSet, basename="key-result")
router.register(r"orgs/(?P<org>[-\w]+)/initiatives", InitiativeViewSet, basename="initiative")
router.register(r"orgs/(?P<org>[-\w]+)/tasks", TaskViewSet, basename="task")

urlpatterns = router.urls
