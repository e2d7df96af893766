"""The requesting user's notifications and preferences, as the API shows them."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from notifications.models import Channel, Notification, NotificationKind


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    read = serializers.BooleanField(
        help_text="Whether it was read; send `true` to mark it read (a read notification stays read)."
    )

    class Meta:
        model = Notification
        fields = (
            "id",
            "kind",
            "title",
            "body",
            "url_path",
            "event_id",
            "created_at",
            "read",
            "read_at",
            "version",
        )
        read_only_fields = (
            "id",
            "kind",
            "title",
            "body",
            "url_path",
            "event_id",
            "created_at",
            "read_at",
            "version",
        )

    def validate_read(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError("A notification cannot be marked unread: send true.")
        return value


class MarkAllReadSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField(read_only=True, help_text="How many notifications were marked read.")


class NotificationPreferenceSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=NotificationKind.choices, read_only=True)
    title = serializers.CharField(read_only=True, help_text="The kind in words.")
    channel = serializers.ChoiceField(
        choices=Channel.choices, help_text="in_app (the bell), email, both or none."
    )
    chosen = serializers.BooleanField(read_only=True, help_text="False: the default for your role applies.")
    version = serializers.IntegerField(
        read_only=True, help_text="Your choice's version, for If-Match (0 until you make one)."
    )
