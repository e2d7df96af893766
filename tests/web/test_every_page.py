"""Every organization page, found from the URL configuration: what holds for all of them at once.

A page added later is covered without a line here: the organization's URL patterns are walked, each
path argument filled with an id, and each page asked for by the wrong people.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from execgap.models import Role
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db


def _organization_patterns() -> Iterator[URLPattern]:
    def walk(patterns: list[URLPattern | URLResolver]) -> Iterator[URLPattern]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            else:
                yield pattern

    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and "org_slug" in str(entry.pattern):
            yield from walk(entry.url_patterns)


ORGANIZATION_PAGES = sorted({p.name for p in _organization_patterns() if p.name})


def _url(name: str, organization) -> str:
    pattern = next(p for p in _organization_patterns() if p.name == name)
    kwargs = dict.fromkeys(pattern.pattern.converters, 1)
    return org_url(name, organization, **kwargs)


def test_the_organization_pages_are_found():
    # then the walk finds the pages (a broken walk would make every test below vacuous)
    assert {"health", "strategy_map", "alignment", "resources", "my_work", "plan_history", "settings"} <= set(
        ORGANIZATION_PAGES
    )


@pytest.mark.parametrize("name", ORGANIZATION_PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, org, name):
    # when someone not signed in opens the page
    url = _url(name, org)
    response = client.get(url)
    # then they are asked to log in first, and come back afterwards
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize("name", ORGANIZATION_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_member_of_another_organization_finds_nothing(client, signed_in, other_org, name, method):
    # given an administrator of one organization (the role allowed the most)
    signed_in(Role.ADMIN)
    # when they open or post to the page of another organization
    response = getattr(client, method)(_url(name, other_org))
    # then it does not exist for them (whatever the ids in the path)
    assert response.status_code == 404


@pytest.mark.parametrize("name", ORGANIZATION_PAGES)
def test_every_page_is_built(client, signed_in, org, name):
    # given an administrator
    signed_in(Role.ADMIN)
    # when they open the page (ids that may not exist answer 404)
    response = client.get(_url(name, org))
    # then it answers as a built page does
    assert response.status_code != 501
