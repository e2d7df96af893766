"""The form that creates a personal API token (through `execgap.tokens.token_create`, as the API does)."""

from __future__ import annotations

from django import forms

from execgap.tokens import MAX_EXPIRY_DAYS, NAME_MAX_LENGTH
from execgap.web.forms import ServiceFormMixin


class TokenCreateForm(ServiceFormMixin, forms.Form):
    name = forms.CharField(
        max_length=NAME_MAX_LENGTH,
        label="Name",
        help_text="What the token is for, so that you recognise it in this list (a script, a tool).",
    )
    expires_in_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        label="Expires after (days)",
        help_text=f"Leave empty for a token that does not expire. At most {MAX_EXPIRY_DAYS} days.",
    )
