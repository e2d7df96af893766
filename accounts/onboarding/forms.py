"""Forms of sign-up, a new organization and invitations; each is saved through its service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.text import slugify

from accounts.services import EMAIL_TAKEN
from execgap.models import Organization, Role
from execgap.web.forms import OrgForm, ServiceFormMixin

SLUG_MAX_LENGTH = Organization._meta.get_field("slug").max_length or 64

ROLE_HELP = (
    "Viewers read everything; members also add tasks, check-ins and feedback; team leads manage "
    "their team's goals and staffing; executives manage the whole plan; admins also manage "
    "settings, people and memberships."
)


class SignUpForm(ServiceFormMixin, UserCreationForm):
    """Django's user creation form with a required email address, used by no other account.

    The password validators of `AUTH_PASSWORD_VALIDATORS` run on the first password field, so their
    messages appear beside it.
    """

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Invitations and password resets are sent here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password1"].label = "Password"
        self.fields["password2"].label = "Password again"

    def clean_email(self) -> str:
        email: str = get_user_model().objects.normalize_email(self.cleaned_data["email"].strip())
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(EMAIL_TAKEN)
        return email

    def validate_password_for_user(self, user: Any, password_field_name: str = "password1") -> None:  # noqa: S107
        super().validate_password_for_user(user, password_field_name=password_field_name)  # type: ignore[misc]


class OrganizationCreateForm(ServiceFormMixin, forms.Form):
    """A name and the short address of the organization's pages (made from the name when left empty)."""

    name = forms.CharField(
        label="Organization name",
        max_length=Organization._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    slug = forms.SlugField(
        label="Short address",
        max_length=SLUG_MAX_LENGTH,
        required=False,
        help_text=(
            "Lowercase letters, digits and hyphens; it appears in the address of every page "
            "(/o/your-short-address/). Leave it empty to make one from the name."
        ),
    )

    def __init__(self, *args: Any, hint_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if hint_url:  # as the name is typed, the page shows the address it would get (htmx)
            self.fields["name"].widget.attrs.update(
                {
                    "hx-get": hint_url,
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": "#slug-hint",
                    "hx-select": "#slug-hint",
                    "hx-swap": "outerHTML",
                }
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        name = cleaned.get("name")
        if not cleaned.get("slug") and name and "slug" not in self.errors:
            cleaned["slug"] = slugify(name)[:SLUG_MAX_LENGTH].strip("-")
            if not cleaned["slug"]:
                self.add_error(
                    "slug", "Choose a short address: the name has no letters or digits to make one."
                )
                return cleaned
        slug = cleaned.get("slug")
        if slug and Organization.objects.filter(slug=slug).exists():
            self.add_error("slug", f"The short address “{slug}” is taken. Try “{free_slug(slug)}”.")
        return cleaned


def suggested_slug(name: str) -> str:
    """The short address an organization of this name would get: from the name, made free."""
    slug = slugify(name)[:SLUG_MAX_LENGTH].strip("-")
    if not slug:
        return ""
    return free_slug(slug) if Organization.objects.filter(slug=slug).exists() else slug


def free_slug(slug: str) -> str:
    """The first of `slug-2`, `slug-3`, ... that no organization uses (one query)."""
    taken = set(Organization.objects.filter(slug__startswith=f"{slug}-").values_list("slug", flat=True))
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = slug[: SLUG_MAX_LENGTH - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1


class InvitationForm(OrgForm):
    """Whom to invite (an email address) and with which role."""

    email = forms.EmailField(
        label="Email address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.MEMBER, help_text=ROLE_HELP)
