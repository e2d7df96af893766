"""The Django admin: the shared base (`base`) and the organization-level models (`organizations`)."""

from execgap.admin import organizations as organizations
from execgap.admin.base import (
    READ_ONLY,
    AdminServices,
    OrgScopedAdmin,
    WriteRefusedError,
    call_service,
    describe_refusal,
    memberships_of,
    related_only,
    short_text,
)

__all__ = [
    "READ_ONLY",
    "AdminServices",
    "OrgScopedAdmin",
    "WriteRefusedError",
    "call_service",
    "describe_refusal",
    "memberships_of",
    "organizations",
    "related_only",
    "short_text",
]
