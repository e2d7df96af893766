"""The plan's forms: objectives, key results, initiatives and tasks, saved through `objectives.services`.

Every link field offers only the organization's rows (`OrgModelForm`), and where the role is
limited to the member's teams, only those teams. Goals, people and teams are chosen with pickers
(`execgap.web.picker`) that search as the member types: the page never lists them all. A change the
role would not allow (a lead moving an objective to another team, a member giving their task away)
is refused beside the field that decides it, before the service is called, instead of answering the
whole page with a 403.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db.models import Q

from execgap.models import Membership
from execgap.roles import Action, Resource, Scope, scope_of
from execgap.roles import noun as resource_noun
from execgap.web.forms import OrgForm, OrgModelForm, ReasonField
from execgap.web.pages import OrgContext
from execgap.web.picker import KeyedChoiceField, PickerFormMixin, use_picker
from objectives.models import Initiative, KeyResult, Objective, Task
from objectives.web.goal_search import goal_field, goal_picker, goal_source, objective_choices
from objectives.web.plan.history import ACTIONS, KIND_NOUNS, HistoryFilters
from resources.models import Person, Team
from resources.web.search import member_picker, person_picker, team_choices, team_picker

DATE = forms.DateInput(attrs={"type": "date"})


class PlanForm(OrgModelForm):
    """A form of one row of the plan (or of a task) that knows the role rule it is saved under."""

    resource: ClassVar[Resource]
    # The field that decides whether a TEAM-scoped role may save the row, and what to tell them.
    scope_field: str | None = "team"
    scope_hint: str = "choose one of your teams"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_id = getattr(self.instance, "team_id", None) or _id_of(self.initial.get("team"))
        for name in ("owner", "assignee"):
            people = self.fields.get(name)
            if isinstance(people, forms.ModelChoiceField) and people.queryset is not None:
                # People who left are not offered, except the one the row already names.
                current = getattr(self.instance, f"{name}_id", None)
                people.queryset = people.queryset.filter(Q(active=True) | Q(pk=current))
                # The row's team's people come first.
                person_picker(self, name, self.org, team_id=team_id)
        team = self.fields.get("team")
        if isinstance(team, forms.ModelChoiceField):
            scope = "mine" if self._team_scoped() else "all"
            team.queryset = team_choices(self.org, scope=scope)
            team_picker(self, "team", self.org, scope=scope)

    @property
    def action(self) -> Action:
        return Action.CREATE if self.instance.pk is None else Action.CHANGE

    def _team_scoped(self) -> bool:
        scope = scope_of(self.org.membership, self.resource, self.action)
        return scope is not None and Scope.ANY not in scope and Scope.TEAM in scope

    def within_role(self) -> bool:
        """After `is_valid()`: may the member save the row as entered? If not, say so beside the
        field that decides it (the service would refuse it with a 403)."""
        if self.org.can(self.resource, self.action, self.instance):
            return True
        field = self.scope_field if self.scope_field in self.fields else None
        what = resource_noun(self.resource)
        self.add_error(
            field,
            f"Your role ({self.org.membership.get_role_display().lower()}) may not save this {what} "
            f"as entered: {self.scope_hint}.",
        )
        return False


class PlanRowForm(PlanForm):
    """Objectives, key results and initiatives: each change carries an optional reason."""

    reason = ReasonField()


class ObjectiveForm(PlanRowForm):
    resource = Resource.OBJECTIVE

    class Meta:
        model = Objective
        fields = (
            "title", "description", "parent", "team", "owner", "status", "priority_weight",
            "start_date", "end_date",
        )  # fmt: skip
        labels = {"parent": "Parent objective", "priority_weight": "Priority weight"}
        help_texts = {
            "parent": "The objective this one serves; leave empty for a boardroom (top-level) objective.",
            "team": "The team that owns the objective.",
            "owner": "The person accountable for the objective.",
            "priority_weight": "Relative weight among its siblings (greater than 0): its intended share "
            "of effort.",
            "end_date": "Not before the start date. Leave both empty for an open objective.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "start_date": DATE,
            "end_date": DATE,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        # Neither the objective itself nor one below it can become its parent (a cycle).
        not_under = self.instance.pk
        parent.queryset = objective_choices(self.org, not_under=not_under)
        goal_picker(self, "parent", self.org, kind="objective", not_under=not_under)


class KeyResultForm(PlanRowForm):
    """The objective of a key result is the one whose page it was added from; it does not move."""

    resource = Resource.KEY_RESULT
    scope_field = None
    scope_hint = "it belongs to another team's objective"

    class Meta:
        model = KeyResult
        fields = ("title", "unit", "start_value", "target_value", "current_value", "weight")
        help_texts = {
            "unit": "The unit of the values (%, users, EUR, ...).",
            "start_value": "The value when the work started.",
            "target_value": "The value that means done.",
            "current_value": "The value now (check-ins update it too).",
            "weight": "Weight among the objective's key results (greater than 0).",
        }


class InitiativeForm(PlanRowForm):
    resource = Resource.INITIATIVE
    scope_hint = "choose one of your teams, or an objective of one of your teams"

    class Meta:
        model = Initiative
        fields = (
            "title", "description", "objective", "team", "owner", "status", "start_date", "end_date",
            "estimate_hours",
        )  # fmt: skip
        labels = {"estimate_hours": "Estimate (hours)"}
        help_texts = {
            "objective": "The objective the initiative serves; leave empty when it serves none yet.",
            "team": "The team that runs the initiative (empty: the team of its objective).",
            "owner": "The person accountable for the initiative.",
            "end_date": "Not before the start date.",
            "estimate_hours": "Hours of work the initiative needs in all.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "start_date": DATE,
            "end_date": DATE,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goal_picker(self, "objective", self.org, kind="objective")


class TaskForm(PlanForm):
    """A task: no reason (tasks are daily work, not plan history)."""

    resource = Resource.TASK
    external_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label="External link",
        help_text="The task's address in the tool it came from.",
    )

    class Meta:
        model = Task
        fields = (
            "title", "initiative", "objective", "team", "assignee", "status", "effort_hours", "due_date",
            "external_key", "external_url",
        )  # fmt: skip
        labels = {
            "effort_hours": "Effort (hours)",
            "external_key": "External key",
        }
        help_texts = {
            "initiative": "The initiative the task serves (give this or an objective, not both).",
            "objective": "The objective the task serves directly (give this or an initiative, not both).",
            "team": "The team doing the task; empty: the team of its goal.",
            "effort_hours": "Empty: no estimate (scores use the organization's default effort).",
            "external_key": "The task's key in the tool it came from (a Jira issue key, say).",
        }
        widgets = {"title": forms.TextInput(), "due_date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goal_picker(self, "initiative", self.org, kind="initiative")
        goal_picker(self, "objective", self.org, kind="objective")
        scope = scope_of(self.org.membership, self.resource, self.action)
        if scope is not None and Scope.TEAM not in scope and Scope.ANY not in scope:
            # A member changes only the tasks assigned to them.
            self.scope_field = "assignee"
            self.scope_hint = "keep yourself as the assignee"
        elif scope is not None and Scope.ANY not in scope:
            self.scope_hint = "choose one of your teams, or keep yourself as the assignee"

    def _team_scoped(self) -> bool:
        # A lead's own tasks (assigned to them) may be in any team: every team stays on offer.
        return False

    def clean_external_key(self) -> str:
        # The database's constraint would say only that it "is violated", on no field.
        value: str = self.cleaned_data["external_key"]
        if value:
            others = Task.objects.for_org(self.org.organization).filter(external_key=value)
            if self.instance.pk is not None:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise forms.ValidationError("A task with this external key already exists.")
        return value


class DeleteForm(OrgForm):
    """Confirm a deletion of the version the member saw."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @property
    def version(self) -> int | None:
        return self.cleaned_data.get("expected_version")


class PlanDeleteForm(DeleteForm):
    reason = ReasonField(label="Reason for deleting")


def _id_of(value: Any) -> int | None:
    """The id of an initial value (a row or its id), if it is one."""
    pk = getattr(value, "pk", value)
    return pk if isinstance(pk, int) else int(pk) if isinstance(pk, str) and pk.isdigit() else None


class HistoryFilterForm(PickerFormMixin, forms.Form):
    """The plan history's filters (a GET form): the kind of item and of change, a goal, a team, whose
    item, who changed it, a date range; one object (`kind` and `id`) or one change set, from links."""

    holds_on_find = False  # a filter: a picker's Find leaves the other filters applied

    kind = forms.ChoiceField(
        required=False,
        label="Kind of item",
        choices=[("", "Every kind"), *((kind, noun.capitalize()) for kind, noun in KIND_NOUNS.items())],
    )
    action = forms.ChoiceField(
        required=False,
        label="Kind of change",
        choices=[("", "Any change"), *((action, action.capitalize()) for action in ACTIONS)],
    )
    id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    change_set = forms.UUIDField(required=False, widget=forms.HiddenInput)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, label="Team")
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label="Whose item")
    changed_by = forms.IntegerField(required=False, min_value=1, label="Changed by")
    since = forms.DateField(required=False, label="From", widget=DATE)
    until = forms.DateField(required=False, label="To", widget=DATE)

    field_order = ("kind", "action", "goal", "team", "owner", "changed_by", "since", "until")

    def __init__(self, *args: Any, org: OrgContext, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        if self.data.get("id") and self.data.get("kind"):
            # The history of one object: its kind is fixed with it (the other filters still apply).
            self.fields["kind"].widget = forms.HiddenInput()
        # A goal (an objective or an initiative), a team, a person: each found by a search.
        self.fields["goal"] = goal_field(org, scope="all", required=False, label="Goal")
        self.order_fields(self.field_order)
        use_picker(self, "goal", goal_source(org, kind="goal", labels=self._goal_field().keyed.labels),
                   fixed=[("", "Any goal")])  # fmt: skip
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = team_choices(org)
        team.empty_label = "Any team"
        team_picker(self, "team", org)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = Person.objects.for_org(org.organization)  # those who left too: it is history
        owner.empty_label = "Anyone's"
        person_picker(self, "owner", org)
        # Who changed the plan: a member, found by a search (an organization has thousands of them).
        member_picker(self, "changed_by", org, fixed=[("", "Anyone")])

    @property
    def main_fields(self) -> list[forms.BoundField]:
        """The filters always shown (the kind of item is hidden with one object's history)."""
        return [self[name] for name in ("kind", "action") if not self[name].is_hidden]

    @property
    def more_fields(self) -> list[forms.BoundField]:
        """The filters shown on demand: a goal, a team, people, dates."""
        return [self[name] for name in self._MORE]

    @property
    def more_in_use(self) -> bool:
        """Whether one of `more_fields` is set or refused (then they are shown)."""
        return any(self.data.get(name) for name in self._MORE) or bool(set(self.errors) & set(self._MORE))

    _MORE = ("goal", "team", "owner", "changed_by", "since", "until")

    def _goal_field(self) -> KeyedChoiceField:
        field = self.fields["goal"]
        assert isinstance(field, KeyedChoiceField)
        return field

    def clean_changed_by(self) -> int | None:
        user_id: int | None = self.cleaned_data.get("changed_by")
        if (
            user_id is not None
            and not Membership.objects.filter(
                organization_id=self.org.organization.pk, user_id=user_id
            ).exists()
        ):
            raise forms.ValidationError("Choose a member of this organization.")
        return user_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("id") and not cleaned.get("kind"):
            self.add_error("kind", "Choose the kind of the object whose history to show.")
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The end of the range cannot be before its start.")
        return cleaned

    def filters(self) -> HistoryFilters:
        """The valid filters (after `is_valid()`; an invalid one is left out)."""
        data = getattr(self, "cleaned_data", {})
        kind = data.get("kind") or None
        goal = data.get("goal")
        team, owner = data.get("team"), data.get("owner")
        return HistoryFilters(
            kind=kind,
            object_id=data.get("id") if kind and "kind" not in self.errors else None,
            action=data.get("action") or None,
            user_id=data.get("changed_by"),
            objective_id=goal.pk if isinstance(goal, Objective) else None,
            initiative_id=goal.pk if isinstance(goal, Initiative) else None,
            team_id=team.pk if team is not None else None,
            owner_id=owner.pk if owner is not None else None,
            change_set=data.get("change_set"),
            since=data.get("since"),
            until=data.get("until") if "until" not in self.errors else None,
        )
