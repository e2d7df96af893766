"""The tenant boundary: every organization-owned row is reached through `for_org`.

Organization-owned models inherit `OrgOwnedModel`; their default manager is built from
`OrgQuerySet`, so `Model.objects.for_org(org)` is the one scoped entry point that selectors,
services, views and the API use. Jobs that act on every organization (the stale-mark sweep)
iterate organizations and scope each step the same way.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any, Self

from django.core.exceptions import ValidationError
from django.db import models

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
        """Django's field checks, and then: every link points into this row's organization."""
        errors: dict[str, Any] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        skip = set(exclude or ()) | set(errors)
        for field in self._meta.concrete_fields:
            if (
                field.name not in skip
                and isinstance(field, models.ForeignKey)
                and not self._links_into_org(field)
            ):
                errors[field.name] = [
                    f"{field.related_model._meta.verbose_name} instance with id "
                    f"{getattr(self, field.attname)!r} is not a valid choice."
                ]
        if errors:
            raise ValidationError(errors)

    def _links_into_org(self, field: models.ForeignKey[Any, Any]) -> bool:
        related = field.related_model
        value = getattr(self, field.attname)
        if value is None or not (isinstance(related, type) and issubclass(related, OrgOwnedModel)):
            return True
        if field.is_cached(self):
            return bool(getattr(self, field.name).organization_id == self.organization_id)
        return bool(related.objects.for_org(self.organization_id).filter(pk=value).exists())

    def clean(self) -> None:
        super().clean()
        errors = self.validation_errors()
        if errors:
            raise ValidationError(errors)

    def validation_errors(self) -> dict[str, str]:
        """The rules across fields that this row breaks, keyed by field; subclasses extend it."""
        return {}
