"""The account routes under /api/v1/: tokens, organizations and memberships."""

from django.urls import URLPattern, URLResolver, path, re_path
from rest_framework.routers import SimpleRouter

from execgap.api.accounts.organization_views import (
    MembershipViewSet,
    OrganizationDetailViewSet,
    OrganizationViewSet,
)
from execgap.api.accounts.token_views import TokenObtainView, TokenViewSet

router = SimpleRouter()
router.register(r"tokens", TokenViewSet, basename="token")
router.register(r"orgs/(?P<org>[-\w]+)/memberships", MembershipViewSet, basename="membership")

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenObtainView.as_view(), name="auth-token"),
    path("orgs/", OrganizationViewSet.as_view({"get": "list", "post": "create"}), name="organization-list"),
    re_path(
        r"^orgs/(?P<org>[-\w]+)/$",
        OrganizationDetailViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="organization-detail",
    ),
    *router.urls,
]
