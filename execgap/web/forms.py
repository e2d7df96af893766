"""Forms over the services: the page shows the same validation, roles and history as the API.

A page form is an `OrgModelForm` (labels, widgets and field checks from the model), limited to the
rows of the page's organization. The view never saves it: it hands `form.service_data()` to the
service (the one way in) through `form.submit(...)`, which puts whatever the service refuses beside
the field it concerns, keeping everything the user entered. A field that chooses among many rows
is a picker (`execgap.web.picker`): its Find shows the form again with the matches, saving nothing.

Every form of the app is drawn by `FormRenderer` (settings.FORM_RENDERER): one layout for all, each
field through templates/forms/field.html, however a template asks for it (`{{ form }}` or
`{{ field.as_field_group }}`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

from execgap.history import REASON_MAX_LENGTH
from execgap.services import StaleVersionError
from execgap.web.pages import OrgContext
from execgap.web.picker import PickerFormMixin

T = TypeVar("T")

STALE_MESSAGE = (
    "Someone else changed this while you were editing it. Your input is kept below: "
    "open the page again in another tab to see their change, then save yours again."
)


class FormRenderer(TemplatesSetting):
    """The project's form layout: a field is its label directly above it (a checkbox: its label
    beside it, on a line of its own), its help and errors between them and tied to it by
    aria-describedby; a form is its errors, then its fields one under another. The templates come
    from the project's template settings (templates/forms/), Django's widgets from `django.forms`."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def org_limited_choices(form: forms.BaseForm, org: OrgContext) -> None:
    """Offer in every link field only the rows of the organization (never another one's)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
            model = field.queryset.model
            if hasattr(model.objects, "for_org"):
                field.queryset = field.queryset.filter(organization_id=org.organization.pk)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: each message beside its field when the form has
    that field (by name or as `<link>_id`), else at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = name if name in form.fields else name.removesuffix("_id")
        form.add_error(field if field in form.fields else None, errors)


class ServiceFormMixin:
    """`submit` runs the service and turns its refusals into form errors."""

    def submit(self, call: Callable[[], T]) -> T | None:
        """Return what `call` returns, or None with the reasons on the form (nothing was changed).

        A role refusal is not caught: it is a 403 like any refused page.
        """
        form: forms.BaseForm = self  # type: ignore[assignment]
        try:
            return call()
        except ValidationError as error:
            add_service_errors(form, error)
        except StaleVersionError:
            form.add_error(None, STALE_MESSAGE)
        return None


class ReasonField(forms.CharField):
    """The optional "why" of a change to the plan, kept in the plan history."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", REASON_MAX_LENGTH)
        kwargs.setdefault("label", "Reason for the change")
        kwargs.setdefault("help_text", "Optional. Shown in the plan history beside the change.")
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)


class OrgForm(PickerFormMixin, ServiceFormMixin, forms.Form):
    """A plain form of an organization page (an action, a filter): link fields limited to the org."""

    def __init__(self, *args: Any, org: OrgContext, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        org_limited_choices(self, org)


class OrgModelForm(PickerFormMixin, ServiceFormMixin, forms.ModelForm):
    """A form for one row of an organization, saved only through its service.

    An edit carries the version the user read (`expected_version`): a change saved by someone else
    in the meantime is refused with `STALE_MESSAGE` instead of being overwritten.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, org: OrgContext, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        org_limited_choices(self, org)
        if self.instance.pk is None:
            del self.fields["expected_version"]
        else:
            self.fields["expected_version"].initial = self.instance.version
        # Model validation in the form checks the row as it would be in this organization.
        self.instance.organization_id = org.organization.pk

    def service_data(self) -> dict[str, Any]:
        """The model fields the user may change, as the service takes them."""
        return {
            name: self.cleaned_data[name] for name in self._meta.fields or () if name in self.cleaned_data
        }

    @property
    def version(self) -> int | None:
        return self.cleaned_data.get("expected_version")
