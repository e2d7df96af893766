"""The staffing drift's shapes in the API (SCORING.md "Signals beyond the scores"): the people working
on an initiative without an allocation and those allocated to it without work, by name, as a snapshot
keeps them (each initiative's first ten of each in `scores/initiatives/`, the first ten initiatives of
each kind in `signals/`)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from scoring.api.numbers import MeasureField


class UnallocatedWorkerSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="The person.")
    name = serializers.CharField()
    effort = MeasureField(help_text="Hours of their open and recently done tasks of it.")
    tasks = serializers.IntegerField()


class IdleAllocationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="The person.")
    name = serializers.CharField()
    hours_per_week = MeasureField(help_text="Of their allocations to it without work.")
    allocations = serializers.IntegerField()


class UnplannedWorkSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="The initiative.")
    title = serializers.CharField()
    unallocated_people = serializers.IntegerField(help_text="People working on it without an allocation.")
    unplanned_effort = MeasureField(help_text="Hours of their work on it.")
    people = UnallocatedWorkerSerializer(many=True, help_text="The first ten, most effort first.")


class IdleAllocationsSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="The initiative.")
    title = serializers.CharField()
    idle_people = serializers.IntegerField(help_text="People allocated to it without work on it.")
    idle_allocations = serializers.IntegerField(help_text="Their allocations (begun 14 days before D).")
    idle_hours = MeasureField(help_text="Their hours per week.")
    people = IdleAllocationSerializer(many=True, help_text="The first ten, most hours first.")


class StaffingDriftSerializer(serializers.Serializer[Any]):
    unplanned_work_count = serializers.IntegerField(
        allow_null=True, help_text="Active initiatives with people working on them without an allocation."
    )
    people_working_without_allocation = serializers.IntegerField(allow_null=True)
    total_unplanned_effort = MeasureField(allow_null=True, help_text="Hours.")
    idle_allocation_count = serializers.IntegerField(
        allow_null=True, help_text="Active initiatives with people allocated to them without work."
    )
    people_allocated_without_work = serializers.IntegerField(allow_null=True)
    allocations_without_work = serializers.IntegerField(allow_null=True)
    unplanned_work = UnplannedWorkSerializer(many=True, help_text="Most unplanned effort first.")
    idle_allocations = IdleAllocationsSerializer(many=True, help_text="Most hours per week first.")


def staffing_drift_of(parts: dict[str, Any], drivers: dict[str, Any]) -> dict[str, Any]:
    """A snapshot's staffing drift from its signal parts and drivers (counts null in a snapshot older
    than them)."""
    return {
        "unplanned_work_count": parts.get("unplanned_work_initiatives"),
        "people_working_without_allocation": parts.get("people_working_without_allocation"),
        "total_unplanned_effort": parts.get("total_unplanned_effort"),
        "idle_allocation_count": parts.get("idle_allocation_initiatives"),
        "people_allocated_without_work": parts.get("people_allocated_without_work"),
        "allocations_without_work": parts.get("allocations_without_work"),
        "unplanned_work": drivers.get("unplanned_work_initiatives", []),
        "idle_allocations": drivers.get("idle_allocation_initiatives", []),
    }
