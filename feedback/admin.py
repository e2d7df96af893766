"""Check-ins, feedback, recognitions and the plan history in the Django admin.

Writes go through `feedback.services`; the plan history (django-simple-history's records of
objectives, key results, initiatives and allocations) is read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from execgap.admin import (
    READ_ONLY,
    AdminServices,
    OrgScopedAdmin,
    WriteRefusedError,
    call_service,
    memberships_of,
    related_only,
    short_text,
)
from execgap.roles import Action, Resource, is_allowed
from feedback import services
from feedback.models import CheckIn, FeedbackItem, Recognition
from objectives.models import Initiative, KeyResult, Objective
from resources.models import Allocation


@admin.register(CheckIn)
class CheckInAdmin(OrgScopedAdmin):
    resource = Resource.CHECK_IN
    services = AdminServices(
        instance_kwarg="check_in",
        create=services.check_in_create,
        update=services.check_in_update,
        delete=services.check_in_delete,
    )
    list_display = (
        "date",
        "objective",
        "initiative",
        "key_result",
        "author",
        "value",
        "confidence",
        "organization",
    )
    list_filter = ("date", *related_only("author", "organization"))
    list_select_related = ("objective", "initiative", "key_result", "author", "organization")
    search_fields = ("note", "author__name")


@admin.register(FeedbackItem)
class FeedbackItemAdmin(OrgScopedAdmin):
    resource = Resource.FEEDBACK
    services = AdminServices(
        instance_kwarg="item",
        create=services.feedback_create,
        update=services.feedback_update,
        delete=services.feedback_delete,
    )
    list_display = (
        "kind", "status", short_text("text"), "objective", "initiative", "author", "created_at",
        "acknowledged_at", "resolved_at", "organization",
    )  # fmt: skip
    list_filter = ("kind", "status", *related_only("organization"))
    list_select_related = ("objective", "initiative", "author", "organization")
    search_fields = ("text", "response")
    actions = ("acknowledge", "resolve")

    def has_answer_permission(self, request: HttpRequest) -> bool:
        """May the user answer feedback (acknowledge, resolve) in some organization? (admin actions)"""
        return any(is_allowed(m, self.resource, Action.ANSWER) for m in memberships_of(request).values())

    def _answer(
        self, request: HttpRequest, queryset: QuerySet[FeedbackItem], service: Any, done: str
    ) -> None:
        try:
            with transaction.atomic():
                for item in queryset:
                    call_service(service, actor=self.actor_for(request, item), item=item)
        except WriteRefusedError as error:
            self.message_user(request, error.message, level=messages.ERROR)
            return
        self.message_user(request, f"{queryset.count()} feedback items {done}.", level=messages.SUCCESS)

    @admin.action(description="Acknowledge the selected feedback", permissions=["answer"])
    def acknowledge(self, request: HttpRequest, queryset: QuerySet[FeedbackItem]) -> None:
        self._answer(request, queryset, services.feedback_acknowledge, "acknowledged")

    @admin.action(description="Resolve the selected feedback", permissions=["answer"])
    def resolve(self, request: HttpRequest, queryset: QuerySet[FeedbackItem]) -> None:
        self._answer(request, queryset, services.feedback_resolve, "resolved")


@admin.register(Recognition)
class RecognitionAdmin(OrgScopedAdmin):
    resource = Resource.RECOGNITION
    services = AdminServices(
        instance_kwarg="recognition", create=services.recognition_create, delete=services.recognition_delete
    )
    list_display = (
        "from_person",
        "to_person",
        short_text("message"),
        "objective",
        "initiative",
        "created_at",
    )
    list_filter = related_only("organization")
    list_select_related = ("from_person", "to_person", "objective", "initiative")
    search_fields = ("message", "from_person__name", "to_person__name")


class PlanHistoryAdmin(OrgScopedAdmin):
    """One kind of plan revision: who changed what, when and why. Read-only: history is not edited."""

    services = READ_ONLY
    list_filter = ("history_type", "history_date")
    list_select_related = ("history_user",)
    date_hierarchy = "history_date"
    ordering = ("-history_date", "-history_id")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [field.name for field in self.model._meta.fields]


_LABELS = {Objective: "title", KeyResult: "title", Initiative: "title", Allocation: "hours_per_week"}
_RESOURCES = {
    Objective: Resource.OBJECTIVE,
    KeyResult: Resource.KEY_RESULT,
    Initiative: Resource.INITIATIVE,
    Allocation: Resource.ALLOCATION,
}
for _model, _resource in _RESOURCES.items():
    _history = _model.history.model  # type: ignore[attr-defined]
    admin.site.register(
        _history,
        type(
            f"{_history.__name__}Admin",
            (PlanHistoryAdmin,),
            {
                "resource": _resource,
                "list_display": (
                    "history_date",
                    "history_type",
                    "id",
                    _LABELS[_model],
                    "history_user",
                    "history_change_reason",
                ),
                "search_fields": (_LABELS[_model], "history_change_reason")
                if _model is not Allocation
                else (),
            },
        ),
    )
