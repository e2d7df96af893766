"""`{% csv_url "team_tasks_csv" pk=team.pk as url %}`: a table's download link, with the filters and
searches of the page it is drawn on (see `execgap.web.export`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from execgap.web.export import export_query

register = template.Library()


@register.simple_tag(takes_context=True)
def csv_url(context: template.Context, name: str, **kwargs: Any) -> str:
    """The URL `name` of the page's organization, with `kwargs`, and the page's query less its place."""
    org = context["org"]
    url = reverse(name, kwargs={"org_slug": org.organization.slug, **kwargs})
    request = context.get("request")
    query = export_query(request) if request is not None else ""
    return f"{url}?{query}" if query else url
