"""Teams, people and allocations as the API reads and writes them (fields as SPEC.md names them).

Links are ids of rows of the caller's organization (`OrgRowSerializer` scopes them); a person's
`user` is the id of a member of the organization.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from execgap.api.base import OrgRowSerializer, PlanRowSerializer
from resources.models import Allocation, Person, Team

ROW_FIELDS = ("version", "created_at", "updated_at")


class TeamSerializer(OrgRowSerializer):
    """A team of the organization; teams form a tree through `parent`."""

    class Meta:
        model = Team
        fields = ("id", "name", "parent", "lead", *ROW_FIELDS)
        read_only_fields = ROW_FIELDS
        extra_kwargs = {
            "parent": {"help_text": "The team above this one (teams form a tree); null at the top."},
            "lead": {"help_text": "The person who leads the team."},
        }


class PersonSerializer(OrgRowSerializer):
    """Someone whose time the plan uses."""

    class Meta:
        model = Person
        fields = ("id", "name", "email", "team", "weekly_capacity_hours", "active", "user", *ROW_FIELDS)
        read_only_fields = ROW_FIELDS
        extra_kwargs = {
            "weekly_capacity_hours": {"help_text": "Hours per week this person can work (default 40)."},
            "user": {"help_text": "The user account of this person: a member of the organization."},
            "active": {"help_text": "Inactive people keep their history but take no new work."},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only members of the organization; any other user id is refused as if it did not exist,
        # so that who has an account elsewhere is never revealed.
        organization = self.context.get("organization")
        users = get_user_model().objects
        field: Any = self.fields["user"]
        field.queryset = (
            users.filter(memberships__organization=organization) if organization else users.none()
        )


class AllocationSerializer(PlanRowSerializer):
    """A person's hours per week on an initiative over a period (either end may be open)."""

    class Meta:
        model = Allocation
        fields = (
            "id", "person", "initiative", "hours_per_week", "start_date", "end_date", "reason", *ROW_FIELDS,
        )  # fmt: skip
        read_only_fields = ROW_FIELDS
        extra_kwargs = {
            "hours_per_week": {"help_text": "Hours per week the person gives the initiative."},
            "start_date": {"help_text": "First day of the allocation; null when open."},
            "end_date": {"help_text": "Last day of the allocation (not before start_date); null when open."},
        }
