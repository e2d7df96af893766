"""The inbox's filters and the preferences table."""

from __future__ import annotations

from django import forms

from notifications.models import Channel, NotificationKind

STATE_CHOICES = [("", "All"), ("unread", "Unread"), ("read", "Read")]


class InboxFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    state = forms.ChoiceField(label="Show", choices=STATE_CHOICES, required=False)
    kind = forms.ChoiceField(
        label="Kind", choices=[("", "Every kind"), *NotificationKind.choices], required=False
    )


class PreferencesForm(forms.Form):
    """One radio group per kind: its channel."""

    def __init__(self, *args: object, current: dict[str, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for kind in NotificationKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                initial=current[kind.value],
                widget=forms.RadioSelect,
            )
