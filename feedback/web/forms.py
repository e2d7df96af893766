"""The forms of check-ins, feedback, its answers and recognitions: each one goes through its service.

The person a row is written as (`author`, `from_person`) is a field preset to the member's own
person: the service decides who may name someone else. A role that writes only as itself (a
member) is not offered the choice: the field travels hidden, and the service still refuses
anyone else in it. People and goals are chosen with pickers (`execgap.web.picker`) that search as
the member types: the page never lists them all.
"""

from __future__ import annotations

from typing import Any

from django import forms

from execgap.roles import Action, Resource, Scope, scope_of
from execgap.web.forms import OrgForm, OrgModelForm
from feedback.models import CheckIn, FeedbackItem, FeedbackKind, FeedbackStatus, Recognition
from objectives.web.goal_search import goal_picker
from resources.web.search import TeamFilterForm, person_picker


def _people(
    form: OrgForm | OrgModelForm,
    name: str,
    *,
    label: str,
    help_text: str,
    empty_label: str | None = None,
    picker: bool = True,
) -> None:
    """Offer the organization's active people (already limited to the organization) with a picker."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    assert field.queryset is not None
    field.queryset = field.queryset.filter(active=True).order_by("name", "id")
    field.label = label
    field.help_text = help_text
    if empty_label is not None:
        field.empty_label = empty_label
    if picker:
        person_picker(form, name, form.org)


def _writer(form: OrgModelForm, name: str, resource: Resource, *, label: str) -> None:
    """The person the row is written as: chosen by roles that may write for others, else hidden."""
    own_only = scope_of(form.org.membership, resource, Action.CREATE) == Scope.OWN
    help_text = "Leave as yourself unless you write this for a colleague."
    _people(form, name, label=label, help_text=help_text, empty_label="Myself", picker=False)
    form.fields[name].required = False  # unchosen: the service writes it as the member's own person
    if own_only:
        form.fields[name].widget = forms.HiddenInput()
    else:
        person_picker(form, name, form.org)


def _empty_label(form: forms.BaseForm, name: str, label: str) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.empty_label = label


class CheckInForm(OrgModelForm):
    """A check-in on one key result, initiative or objective: value (key results only), confidence, note."""

    class Meta:
        model = CheckIn
        fields = ("key_result", "initiative", "objective", "value", "confidence", "note", "author")
        labels = {
            "value": "Current value",
            "confidence": "Confidence (0 to 10)",
            "note": "Note",
        }
        help_texts = {
            "value": "Key results only: the value measured today, in the key result's unit.",
            "confidence": "How sure you are the goal will be reached: 0 not at all, 10 certain.",
            "note": "What changed, what is in the way, what comes next.",
        }
        widgets = {
            "confidence": forms.NumberInput(attrs={"min": 0, "max": 10, "step": 1}),
            "note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, target_given: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _writer(self, "author", Resource.CHECK_IN, label="Checking in as")
        for name in ("key_result", "initiative", "objective"):
            self.fields[name].help_text = "Choose one of key result, initiative and objective."
            if target_given:  # the page names what is checked in on: the choice travels along, unseen
                self.fields[name].widget = forms.HiddenInput()
            else:
                goal_picker(self, name, self.org, kind=name)
        key_result = self.fields["key_result"]
        assert isinstance(key_result, forms.ModelChoiceField)
        assert key_result.queryset is not None
        key_result.queryset = key_result.queryset.select_related("objective")

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        if cleaned.get("value") is not None and cleaned.get("key_result") is None:
            self.add_error("value", "A value is measured on a key result only: leave it empty here.")
        return cleaned


class FeedbackForm(OrgModelForm):
    """Raise a blocker, risk, idea or concern, about an objective, an initiative or neither."""

    class Meta:
        model = FeedbackItem
        fields = ("kind", "text", "objective", "initiative", "author")
        labels = {
            "kind": "Kind",
            "text": "What is it?",
            "objective": "About objective",
            "initiative": "About initiative",
        }
        help_texts = {
            "kind": "A blocker stops work now; a risk may; ideas and concerns are for the leads to weigh.",
            "text": "Say what is in the way and what would help.",
            "objective": "Optional: the objective it concerns (or choose an initiative, not both).",
            "initiative": "Optional: the initiative it concerns. Its team's lead answers it.",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _writer(self, "author", Resource.FEEDBACK, label="Raised by")
        _empty_label(self, "objective", "Not about an objective")
        _empty_label(self, "initiative", "Not about an initiative")
        goal_picker(self, "objective", self.org, kind="objective")
        goal_picker(self, "initiative", self.org, kind="initiative")
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = list(FeedbackKind.choices)  # no empty choice: a kind is required


class RecognitionForm(OrgModelForm):
    """Recognize a colleague, optionally for the objective or initiative the work served."""

    class Meta:
        model = Recognition
        fields = ("to_person", "message", "objective", "initiative", "from_person")
        labels = {
            "to_person": "Colleague",
            "message": "Message",
            "objective": "For objective",
            "initiative": "For initiative",
        }
        help_texts = {
            "message": "What they did and why it mattered.",
            "objective": "Optional: the objective their work served (or an initiative, not both).",
            "initiative": "Optional: the initiative their work served.",
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _people(self, "to_person", label="Colleague", help_text="Who you recognize.")
        _writer(self, "from_person", Resource.RECOGNITION, label="From")
        _empty_label(self, "objective", "No objective")
        _empty_label(self, "initiative", "No initiative")
        goal_picker(self, "objective", self.org, kind="objective")
        goal_picker(self, "initiative", self.org, kind="initiative")


class FeedbackAnswerForm(OrgForm):
    """The lead's answer: acknowledge or resolve (response optional), respond (response required).

    `expected_version` is the version of the item the lead read: a change in between is refused.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    response = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Response",
        help_text="Seen by the person who raised it. When given, it replaces the previous response.",
    )

    def __init__(self, *args: Any, required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["response"].required = required


class FeedbackFilterForm(TeamFilterForm):
    """The filters of the feedback list (all optional; an unknown value is ignored by the view)."""

    status = forms.ChoiceField(choices=[("", "Any status"), *FeedbackStatus.choices], required=False)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *FeedbackKind.choices], required=False)

    field_order = ("status", "kind", "team")
