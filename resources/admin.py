"""Teams, people and allocations in the Django admin: written through `resources.services`."""

from __future__ import annotations

from django.contrib import admin

from execgap.admin import AdminServices, OrgScopedAdmin, related_only
from execgap.roles import Resource
from resources import services
from resources.models import Allocation, Person, Team


@admin.register(Team)
class TeamAdmin(OrgScopedAdmin):
    resource = Resource.TEAM
    services = AdminServices(
        instance_kwarg="team",
        create=services.team_create,
        update=services.team_update,
        delete=services.team_delete,
    )
    list_display = ("name", "parent", "lead", "organization")
    list_filter = related_only("organization")
    list_select_related = ("parent", "lead", "organization")
    search_fields = ("name",)


@admin.register(Person)
class PersonAdmin(OrgScopedAdmin):
    resource = Resource.PERSON
    services = AdminServices(
        instance_kwarg="person",
        create=services.person_create,
        update=services.person_update,
        delete=services.person_delete,
    )
    list_display = ("name", "email", "team", "weekly_capacity_hours", "active", "user", "organization")
    list_filter = ("active", *related_only("team", "organization"))
    list_select_related = ("team", "user", "organization")
    search_fields = ("name", "email", "user__username")


@admin.register(Allocation)
class AllocationAdmin(OrgScopedAdmin):
    resource = Resource.ALLOCATION
    services = AdminServices(
        instance_kwarg="allocation",
        create=services.allocation_create,
        update=services.allocation_update,
        delete=services.allocation_delete,
    )
    list_display = ("person", "initiative", "hours_per_week", "start_date", "end_date", "organization")
    list_filter = related_only("initiative", "organization")
    list_select_related = ("person", "initiative", "organization")
    search_fields = ("person__name", "initiative__title")
