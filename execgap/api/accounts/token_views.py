"""/api/v1/auth/token/ and /api/v1/tokens/: personal API tokens, thin views over `execgap.tokens`.

Tokens belong to users, not to organizations: each user lists, creates and revokes their own,
whatever their roles (the rule table grants every role its OWN tokens). An organization's admin
does not see or revoke its members' tokens, because a token is also the member's way into their
other organizations, and anyone may create an organization and add any user to it: the admin's
control over their organization is the membership (removing or demoting a member applies to the
member's tokens on their next request).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from execgap import tokens
from execgap.api.accounts.common import LockedOutError
from execgap.api.accounts.serializers import (
    NewTokenSerializer,
    TokenCreateSerializer,
    TokenObtainSerializer,
    TokenSerializer,
)
from execgap.api.org_schema import ErrorDetailSerializer, errors
from execgap.api.pagination import StablePagination
from execgap.api.parsers import BoundedJSONParser
from execgap.api.schema import RETRY_AFTER_HEADER, too_many_requests

TOKEN_KEY_PARAMETER = OpenApiParameter(
    "token_key",
    str,
    OpenApiParameter.PATH,
    description="The token's `token_key` (its first characters, as lists show it).",
)
TOO_MANY = {429: too_many_requests(ErrorDetailSerializer)}


@extend_schema(
    tags=["auth"],
    summary="Sign in for a personal API token",
    description=(
        "Exchanges a username and password for a new personal API token (send it as "
        "`Authorization: Token <token>`). The token is in this answer only: ExecGap keeps a digest. "
        "Failed sign-ins are counted per username and address: the failure that reaches the limit "
        "(10 by default) locks the username out from that address for the cool-off time (an hour "
        "by default), even with the right password: 429 with `Retry-After`. This endpoint is also "
        "rate-limited per address (10 a minute by default)."
    ),
    auth=[],
    request={"application/json": TokenObtainSerializer},
    parameters=[RETRY_AFTER_HEADER],
    responses={
        201: NewTokenSerializer,
        400: errors(400)[400],
        429: too_many_requests(
            ErrorDetailSerializer,
            "Too many sign-ins from this address, or this username is locked out from this address "
            "after too many failed sign-ins; wait for `Retry-After` seconds.",
        ),
    },
)
class TokenObtainView(GenericAPIView[Any]):
    # No authentication: a stale token in a script's headers must not stop it from getting a new
    # one, and without a session there is no CSRF to check (the answer is readable by the caller only).
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth_token"
    serializer_class = TokenObtainSerializer
    # A form is read too (`curl -d` or `curl -F`), as a sign-in always has been; the schema offers JSON
    # alone, the one body a generated client sends.
    parser_classes = [BoundedJSONParser, FormParser, MultiPartParser]

    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user = tokens.token_login(request=request, username=data["username"], password=data["password"])
        except tokens.LockedOutError as locked:
            raise LockedOutError(str(locked), retry_after=locked.retry_after) from locked
        created = tokens.token_create(
            user=user, name=data["name"], expires_in_days=data.get("expires_in_days")
        )
        return Response(NewTokenSerializer(created).data, status=status.HTTP_201_CREATED)


class TokenPagination(StablePagination):
    ordering = "-created"  # newest first (ties, tokens made in the same microsecond, page by offset)


@extend_schema_view(
    list=extend_schema(
        tags=["tokens"],
        summary="List your API tokens",
        description="The caller's own tokens, newest first: what names them, never the tokens themselves.",
        parameters=[RETRY_AFTER_HEADER],
        responses={200: TokenSerializer(many=True), **errors(400, 401), **TOO_MANY},
    ),
    create=extend_schema(
        tags=["tokens"],
        summary="Create an API token",
        description=(
            "A new named token of the caller, optionally expiring; the token is in this answer only. "
            f"A user has at most {tokens.MAX_TOKENS_PER_USER} live tokens."
        ),
        parameters=[RETRY_AFTER_HEADER],
        request=TokenCreateSerializer,
        responses={201: NewTokenSerializer, **errors(400, 401), **TOO_MANY},
    ),
    destroy=extend_schema(
        tags=["tokens"],
        summary="Revoke an API token",
        description="The token stops working at once (a request made with it answers 401).",
        parameters=[TOKEN_KEY_PARAMETER, RETRY_AFTER_HEADER],
        responses={204: None, **errors(401, 404), **TOO_MANY},
    ),
)
class TokenViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Any]):
    """The caller's own tokens: list, create, revoke."""

    serializer_class = TokenSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = TokenPagination
    lookup_field = "token_key"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self) -> Any:
        return tokens.tokens_of(user=self.request.user)

    def get_serializer_class(self) -> Any:
        return TokenCreateSerializer if self.action == "create" else TokenSerializer

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = tokens.token_create(
            user=request.user,
            name=serializer.validated_data["name"],
            expires_in_days=serializer.validated_data.get("expires_in_days"),
        )
        return Response(NewTokenSerializer(created).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, token_key: str) -> Response:
        try:
            tokens.token_revoke(user=request.user, token_key=token_key)
        except tokens.TokenNotFound as missing:
            raise NotFound("You have no token with this key.") from missing
        return Response(status=status.HTTP_204_NO_CONTENT)
