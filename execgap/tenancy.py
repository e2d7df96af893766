"""The tenant boundary: every organization-owned row is reached through `for_org`.

Organization-owned models inherit `OrgOwnedModel`; their default manager is built from
`OrgQuerySet`, so `Model.objects.for_org(org)` is the one scoped entry point that selectors,
services, views and the API use. Jobs that act on every organization (the stale-mark sweep)
iterate organizations and scope each step the same way.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any, Self, cast

from django.core.exceptions import ValidationError
from django.db import models

from execgap.validators import as_required

if TYPE_CHECKING:
    from execgap.models import Organization


class OrgQuerySet(models.QuerySet[Any]):
    def for_org(self, organization: Organization | int) -> Self:
        org_id = organization if isinstance(organization, int) else organization.pk
        return self.filter(organization_id=org_id)


class OrgOwnedModel(models.Model):
    """A row that belongs to one organization, with an optimistic-concurrency `version`.

    `clean_fields()` refuses a link to a row of another organization with the same message as a
    link to a row that does not exist, so that another organization's rows are never revealed.
    """

    organization = models.ForeignKey("execgap.Organization", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        """Django's field checks, except that links to organization-owned rows are looked up only
        within this row's organization (Django's own check would search every organization).

        A missing value reads "This field is required." (not Django's "cannot be null/blank").
        """
        skip = set(exclude or ())
        org_links = [
            field
            for field in self._meta.concrete_fields
            if isinstance(field, models.ForeignKey)
            and _is_org_owned(field.related_model)
            and field.name not in skip
        ]
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=skip | {field.name for field in org_links})
        except ValidationError as error:
            errors = {name: [as_required(e) for e in found] for name, found in error.error_dict.items()}
        for field in org_links:
            try:
                self._clean_org_link(field)
            except ValidationError as error:
                errors[field.name] = [as_required(e) for e in error.error_list]
        if errors:
            raise ValidationError(errors)

    def _clean_org_link(self, field: models.ForeignKey[Any, Any]) -> None:
        raw = getattr(self, field.attname)
        if field.blank and raw in field.empty_values:
            return  # an optional link left empty, as Django's clean_fields treats it
        value = field.to_python(raw)
        models.Field.validate(field, value, self)  # required or not; skips ForeignKey's unscoped lookup
        field.run_validators(value)
        if value is None:
            return
        setattr(self, field.attname, value)
        related = cast("type[OrgOwnedModel]", field.related_model)
        if not related.objects.for_org(self.organization_id).filter(pk=value).exists():
            # Django's own message for a missing row, word for word: another organization's rows
            # are never revealed.
            raise ValidationError(
                field.error_messages["invalid"],
                code="invalid",
                params={
                    "model": field.related_model._meta.verbose_name,
                    "pk": value,
                    "field": field.remote_field.field_name,
                    "value": value,
                },
            )

    def clean(self) -> None:
        super().clean()
        errors = self.validation_errors()
        if errors:
            raise ValidationError(errors)

    def validation_errors(self) -> dict[str, str]:
        """The rules across fields that this row breaks, keyed by field; subclasses extend it."""
        return {}


def _is_org_owned(model: Any) -> bool:
    return isinstance(model, type) and issubclass(model, OrgOwnedModel)
