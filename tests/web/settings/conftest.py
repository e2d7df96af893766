"""Helpers of the settings page tests."""

from __future__ import annotations

import re

from django.http import HttpResponse

from execgap.models import Role

OTHER_ROLES = tuple(role for role in Role if role is not Role.ADMIN)


def field_errors(response: HttpResponse, field: str) -> list[str]:
    """The error messages Django renders beside `field` (its `id_<field>_error` list); [] when none."""
    html = response.content.decode()
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


def form_errors(response: HttpResponse) -> list[str]:
    """The messages at the top of the form (not about one field)."""
    html = response.content.decode()
    found = re.search(r'<ul class="errorlist nonfield">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


def options(response: HttpResponse, field: str) -> list[str]:
    """The values `<select name=field>` offers."""
    html = response.content.decode()
    found = re.search(rf'<select name="{field}".*?</select>', html, re.S)
    assert found, f"no select {field}"
    return re.findall(r'<option value="([^"]*)"', found.group(0))
