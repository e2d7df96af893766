"""The tenant boundary: every organization-owned row is reached through `for_org`.

Organization-owned models inherit `OrgOwnedModel`; their default manager is built from
`OrgQuerySet`, so `Model.objects.for_org(org)` is the one scoped entry point that selectors,
services, views and the API use. Jobs that act on every organization (the stale-mark sweep)
iterate organizations and scope each step the same way.
"""

from __future__ import annotations

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

    `clean()` refuses a link to a row of another organization with the same message as a link
    to a row that does not exist, so that another organization's rows are never revealed.
    """

    organization = models.ForeignKey("execgap.Organization", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        errors = self.validation_errors()
        if errors:
            raise ValidationError(errors)

    def validation_errors(self) -> dict[str, str]:
        """Every rule this row breaks, keyed by field; subclasses extend it (called by `clean`)."""
        errors: dict[str, str] = {}
        for field in self._meta.concrete_fields:
            related = field.related_model
            if not (
                isinstance(field, models.ForeignKey)
                and isinstance(related, type)
                and issubclass(related, OrgOwnedModel)
            ):
                continue
            value = getattr(self, field.attname)
            if value is None:
                continue
            if field.is_cached(self):
                in_org = getattr(self, field.name).organization_id == self.organization_id
            else:
                in_org = related.objects.for_org(self.organization_id).filter(pk=value).exists()
            if not in_org:
                errors[field.name] = (
                    f"{related._meta.verbose_name} instance with id {value!r} does not exist."
                )
        return errors
