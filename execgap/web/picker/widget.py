"""The picker widget, and what a form with pickers does when a Find is pressed (no JavaScript)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.utils import ErrorDict
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from execgap.web.picker.search import FIND, LIMIT, QUERY_MAX_LENGTH, QUERY_SUFFIX, Matches, Source, words_of


class Picker(forms.Select):
    """A select that holds only the chosen option (and, after a Find, the matches), with a search box.

    Only the chosen values' labels are read (one query, none when nothing is chosen): the field's
    queryset is never listed. `fixed` choices are always offered (the empty choice "No team",
    "Nobody" in a filter).
    """

    template_name = "partials/picker.html"

    def __init__(
        self,
        *,
        source: Source,
        fixed: Sequence[tuple[str, str]] = (),
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs=attrs)
        self.source = source
        self.fixed = [(str(value), str(label)) for value, label in fixed]
        self.label = ""  # the field's label, set by `use_picker`
        self.query = ""
        self.finding = False
        self.found: Matches | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> Picker:
        copy: Picker = super().__deepcopy__(memo)
        copy.fixed = list(self.fixed)
        return copy

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> SafeString:
        # The project's templates (templates/partials/), not the form renderer's (Django's own only).
        return mark_safe(render_to_string(template_name, context))  # noqa: S308 (an escaped template)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        # What the box holds and whether its Find was pressed travel beside the value: read them here,
        # where the form hands its data to the widget.
        self.query = " ".join(words_of(str(data.get(f"{name}{QUERY_SUFFIX}", ""))))[:QUERY_MAX_LENGTH]
        self.finding = data.get(FIND) == name
        return super().value_from_datadict(data, files, name)

    def id_for_label(self, id_: str, index: str = "0") -> str:
        return id_  # the label names the search box (the combobox, once enhanced)

    def use_required_attribute(self, initial: Any) -> bool:
        return False  # the server says what is missing, beside the field

    def labels(self, values: Sequence[str]) -> dict[str, str]:
        """The labels of the chosen `values`, read from the field's queryset: a value it does not
        hold (another organization's row, one deleted meanwhile, garbage) has none."""
        if not values:
            return {}
        if self.source.labels is not None:
            return dict(self.source.labels(values))
        choices = self.choices
        if isinstance(choices, ModelChoiceIterator):
            model_field = choices.field
            key = model_field.to_field_name or "pk"
            try:
                rows = list(choices.queryset.filter(**{f"{key}__in": list(values)}))
            except (ValueError, TypeError, ValidationError):
                return {}
            return {str(model_field.prepare_value(row)): model_field.label_from_instance(row) for row in rows}
        return {str(value): str(label) for value, label in choices if str(value) in values}

    def matches(self) -> Matches | None:
        """After a Find (or with text in the box): the best matches, else None."""
        if not (self.query or self.finding):
            return None
        return self.source.search(self.query, LIMIT)

    def optgroups(self, name: str, value: list[str], attrs: dict[str, Any] | None = None) -> list[Any]:
        chosen = [item for item in value if item not in ("", None)]
        fixed = dict(self.fixed)
        labels = self.labels([item for item in chosen if item not in fixed])
        options = [
            self.create_option(
                name, fixed_value, label, fixed_value in value or (not chosen and not fixed_value), index
            )
            for index, (fixed_value, label) in enumerate(self.fixed)
        ]
        for item in chosen:
            if item in labels:
                options.append(self.create_option(name, item, labels[item], True, len(options)))
        self.found = self.matches()
        for match in self.found.rows if self.found is not None else []:
            if match.value not in chosen and match.value not in fixed:
                label = match.described if self.source.described else match.label
                options.append(self.create_option(name, match.value, label, False, len(options)))
        for option in options:
            if option["value"] in fixed:
                option["attrs"]["data-picker-fixed"] = ""
        return [(None, options, 0)]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        attrs = widget["attrs"]
        box_id = attrs.get("id") or f"picker-{name}"
        shared = {key: attrs[key] for key in ("aria-invalid", "aria-describedby") if key in attrs}
        hint_id = f"{box_id}_pickerhint"
        described = " ".join(filter(None, [shared.get("aria-describedby", ""), hint_id]))
        found = self.found
        label = self.label or name
        widget["picker"] = {
            "url": self.source.url,
            "noun": self.source.noun,
            "query": self.query,
            "label": label,
            "box": {"attrs": {**shared, "id": box_id, "aria-describedby": described}},
            "select": {
                "attrs": {
                    **shared,
                    "id": f"{box_id}_choice",
                    "aria-label": f"{label}: the choice",
                    "aria-describedby": described,
                }
            },
            "hint_id": hint_id,
            "listbox_id": f"{box_id}_listbox",
            "found": found,
            "limit": LIMIT,
        }
        return context


def use_picker(
    form: forms.BaseForm,
    name: str,
    source: Source,
    *,
    fixed: Sequence[tuple[str, str]] | None = None,
) -> None:
    """Make field `name` of `form` a picker over `source` (a hidden field stays hidden).

    `fixed` defaults to the field's empty choice (its `empty_label`), when it has one.
    """
    field = form.fields[name]
    if field.widget.is_hidden:
        return
    if fixed is None:
        empty_label = getattr(field, "empty_label", None)
        fixed = [("", str(empty_label))] if empty_label is not None else []
    widget = Picker(source=source, fixed=fixed, attrs=dict(field.widget.attrs))
    widget.is_required = field.required
    widget.label = str(field.label or name.replace("_", " ").capitalize())
    if isinstance(field, forms.ChoiceField):
        widget.choices = field.choices  # type: ignore[assignment]  # a ModelChoiceIterator, read lazily
    field.widget = widget


def pickers_of(form: forms.BaseForm) -> list[str]:
    return [name for name, field in form.fields.items() if isinstance(field.widget, Picker)]


class PickerFormMixin(forms.BaseForm):
    """A form with pickers: a Find (no JavaScript) shows the form again with the matches and saves
    nothing. `is_valid()` is False and the form has no errors, so that a view shows it as it is
    (status 200: nothing is wrong with it).

    A filter form (`holds_on_find = False`) changes nothing: it is read as usual while a picker
    finds, so that the other filters still apply.
    """

    holds_on_find: ClassVar[bool] = True

    @property
    def finding(self) -> bool:
        return self.holds_on_find and self.is_bound and FIND in self.data and bool(pickers_of(self))

    def full_clean(self) -> None:
        if self.finding:
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return not self.finding and super().is_valid()
