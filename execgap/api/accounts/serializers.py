"""Tokens, organizations and memberships as the API reads and writes them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from execgap.models import ApiToken, Membership, Organization, Role
from execgap.tokens import MAX_EXPIRY_DAYS, NAME_MAX_LENGTH

# --- tokens ------------------------------------------------------------------------------------

DEFAULT_TOKEN_NAME = "API token"


def _expires_in_days() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        help_text="Days until the token expires; absent or null: it never expires.",
    )


class TokenSerializer(serializers.ModelSerializer[ApiToken]):
    """One of the caller's tokens: what names it, never the token itself."""

    class Meta:
        model = ApiToken
        fields = ("name", "token_key", "created", "expiry")
        read_only_fields = fields
        extra_kwargs = {
            "token_key": {"help_text": "The token's first characters: how lists and logs name it."},
            "expiry": {"help_text": "When it stops working; null: never."},
        }


class TokenCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=NAME_MAX_LENGTH, help_text="What the token is for.")
    expires_in_days = _expires_in_days()


class TokenObtainSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(
        max_length=4096, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    name = serializers.CharField(
        max_length=NAME_MAX_LENGTH,
        required=False,
        default=DEFAULT_TOKEN_NAME,
        help_text=f'What the token is for (default "{DEFAULT_TOKEN_NAME}").',
    )
    expires_in_days = _expires_in_days()


class NewTokenSerializer(serializers.Serializer[Any]):
    """A token just created (an `execgap.tokens.CreatedToken`): the only answer that holds the token."""

    token = serializers.CharField(
        read_only=True,
        help_text="The token: send it as `Authorization: Token <token>`. It is shown this once only.",
    )
    name = serializers.CharField(source="instance.name", read_only=True)
    token_key = serializers.CharField(
        source="instance.token_key", read_only=True, help_text="The token's first characters."
    )
    created = serializers.DateTimeField(source="instance.created", read_only=True)
    expiry = serializers.DateTimeField(
        source="instance.expiry", read_only=True, allow_null=True, help_text="null: never expires."
    )


# --- organizations -----------------------------------------------------------------------------

ORG_PARAMETERS = (
    "activity_window_days",
    "planning_horizon_days",
    "checkin_cadence_days",
    "default_task_effort_hours",
    "spread_thin_allocations",
)


class OrganizationSerializer(serializers.ModelSerializer[Organization]):
    """An organization with its scoring parameters and the caller's role in it."""

    role = serializers.ChoiceField(
        choices=Role.choices, read_only=True, help_text="The caller's role in this organization."
    )

    class Meta:
        model = Organization
        fields = (
            "id", "slug", "name", *ORG_PARAMETERS, "role", "scores_stale_since", "version", "created_at",
            "updated_at",
        )  # fmt: skip
        read_only_fields = ("slug", "scores_stale_since", "version", "created_at", "updated_at")
        extra_kwargs = {"slug": {"help_text": "Names the organization in paths: /api/v1/orgs/{slug}/."}}


SLUG_TAKEN = "This slug is taken: choose another."


class OrganizationCreateSerializer(serializers.ModelSerializer[Organization]):
    class Meta:
        model = Organization
        fields = ("slug", "name")
        extra_kwargs = {
            "slug": {
                "help_text": "Letters, digits, hyphens and underscores; names it in paths.",
                "validators": [UniqueValidator(Organization.objects.all(), message=SLUG_TAKEN)],
            }
        }


# --- memberships -------------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    """A user's membership of the organization, with their role."""

    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "user", "username", "email", "role", "created_at")
        read_only_fields = ("id", "user", "created_at")
        extra_kwargs = {"user": {"help_text": "The member's user id."}}


class MembershipCreateSerializer(serializers.Serializer[Any]):
    """Add a user by `username` or by `email` (one of the two) with a role."""

    username = serializers.CharField(required=False, max_length=150)
    email = serializers.EmailField(required=False)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [field for field in ("username", "email") if attrs.get(field)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": ["Give the user's username or their email (one of the two)."]}
            )
        field = given[0]
        users = get_user_model().objects.filter(is_active=True)
        found = list(
            users.filter(username=attrs[field])[:2]
            if field == "username"
            else users.filter(email__iexact=attrs[field])[:2]
        )
        if not found:
            raise serializers.ValidationError({field: [f"No user has this {field}."]})
        if len(found) > 1:
            raise serializers.ValidationError({field: ["Several users have this email: give the username."]})
        organization = self.context["organization"]
        if Membership.objects.filter(organization=organization, user=found[0]).exists():
            raise serializers.ValidationError({field: ["This user is already a member."]})
        return {"user": found[0], "role": attrs["role"]}


class MembershipUpdateSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=Role.choices)
