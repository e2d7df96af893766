"""The cascade in the Django admin: written through `objectives.services` (see `execgap.admin`)."""

from __future__ import annotations

from functools import partial

from django.contrib import admin
from django.db import models

from execgap.admin import AdminServices, OrgScopedAdmin, related_only
from execgap.roles import Resource
from objectives import services
from objectives.models import Initiative, KeyResult, Objective, Task


@admin.register(Objective)
class ObjectiveAdmin(OrgScopedAdmin):
    resource = Resource.OBJECTIVE
    services = AdminServices(
        instance_kwarg="objective",
        create=services.objective_create,
        update=services.objective_update,
        # Django's own confirmation page lists what goes with it: confirmed there.
        delete=partial(services.objective_delete, cascade=True),
    )
    list_display = (
        "title",
        "parent",
        "status",
        "priority_weight",
        "team",
        "owner",
        "start_date",
        "end_date",
        "organization",
    )
    list_filter = ("status", *related_only("team", "organization"))
    list_select_related = ("parent", "team", "owner", "organization")
    search_fields = ("title", "description")


@admin.register(KeyResult)
class KeyResultAdmin(OrgScopedAdmin):
    resource = Resource.KEY_RESULT
    services = AdminServices(
        instance_kwarg="key_result",
        create=services.key_result_create,
        update=services.key_result_update,
        delete=services.key_result_delete,
    )
    list_display = (
        "title",
        "objective",
        "unit",
        "start_value",
        "target_value",
        "current_value",
        "weight",
        "organization",
    )
    list_filter = related_only("objective", "organization")
    list_select_related = ("objective", "organization")
    search_fields = ("title", "objective__title")


@admin.register(Initiative)
class InitiativeAdmin(OrgScopedAdmin):
    resource = Resource.INITIATIVE
    services = AdminServices(
        instance_kwarg="initiative",
        create=services.initiative_create,
        update=services.initiative_update,
        delete=partial(services.initiative_delete, cascade=True),
    )
    list_display = (
        "title",
        "objective",
        "status",
        "team",
        "owner",
        "start_date",
        "end_date",
        "estimate_hours",
        "organization",
    )
    list_filter = ("status", *related_only("team", "organization"))
    list_select_related = ("objective", "team", "owner", "organization")
    search_fields = ("title", "description")


@admin.register(Task)
class TaskAdmin(OrgScopedAdmin):
    resource = Resource.TASK
    services = AdminServices(
        instance_kwarg="task",
        create=services.task_create,
        update=services.task_update,
        delete=services.task_delete,
    )
    # A link typed without a scheme is read as https (Django 6's default), as in the task form.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = (
        "title",
        "status",
        "initiative",
        "objective",
        "team",
        "assignee",
        "effort_hours",
        "due_date",
        "completed_at",
        "external_key",
    )
    list_filter = ("status", *related_only("team", "organization"))
    list_select_related = ("initiative", "objective", "team", "assignee")
    search_fields = ("title", "external_key")
