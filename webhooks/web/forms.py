"""The form that registers a webhook endpoint."""

from __future__ import annotations

from django import forms

from execgap.web.forms import OrgForm
from webhooks.models import WebhookFormat, WebhookKind


class WebhookEndpointForm(OrgForm):
    url = forms.URLField(
        label="Endpoint URL",
        max_length=2000,
        assume_scheme="https",
        help_text="ExecGap posts each event here. http or https, on a public address.",
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    description = forms.CharField(label="Description", max_length=200, required=False)
    kinds = forms.MultipleChoiceField(
        label="Events",
        choices=WebhookKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None chosen: the endpoint receives only the test events you send.",
    )
    format = forms.ChoiceField(
        label="Format", choices=WebhookFormat.choices, initial=WebhookFormat.JSON, widget=forms.RadioSelect
    )
