"""Helpers of the picker tests: read what a search endpoint answered and what a form's select offers;
the worked example (scored) and a team's setup, from the alignment and team page tests."""

from __future__ import annotations

import html
import re

from django.http import HttpResponse

from tests.scoring.conftest import worked_example  # noqa: F401  (a fixture)
from tests.web.alignment.conftest import scored  # noqa: F401  (a fixture)
from tests.web.teams.conftest import team_setup  # noqa: F401  (a fixture)

MATCH = r'<li role="option" aria-selected="false" data-value="([^"]*)" data-label="([^"]*)"'
NOTE = r'<li role="option" aria-disabled="true"[^>]*>(.*?)</li>'


def found(response: HttpResponse) -> list[str]:
    """The values of the matches a search endpoint answered, best first."""
    return [value for value, _ in re.findall(MATCH, response.content.decode())]


def labels(response: HttpResponse) -> list[str]:
    """The labels of the matches a search endpoint answered, best first."""
    return [html.unescape(label) for _, label in re.findall(MATCH, response.content.decode())]


def notes(response: HttpResponse) -> list[str]:
    """The lines of the list that are not matches (none found, more to narrow, a bad search)."""
    return [html.unescape(text).strip() for text in re.findall(NOTE, response.content.decode())]


def offered(response: HttpResponse, field: str) -> list[str]:
    """The values `<select name=field>` offers (a picker's select: the choice and the matches of a Find)."""
    page = response.content.decode()
    select = re.search(rf'<select name="{field}".*?</select>', page, re.S)
    assert select, f"no select {field}"
    return re.findall(r'<option value="([^"]*)"', select.group(0))
