"""While the database is unreachable the API answers its JSON error, 503 with Retry-After, and the
pages a plain "try again" page: never a bare 500, and never DRF's `accepted_renderer` error in DEBUG."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client

from execgap.models import Membership
from execgap.outage import server_error


def _unreachable(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    raise OperationalError("could not connect to server: Connection refused")


@pytest.fixture
def database_down() -> Iterator[None]:
    with connection.execute_wrapper(_unreachable):
        yield


@pytest.fixture
def signed_in(executive: Membership) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(executive.user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_the_api_answers_503_in_json_with_retry_after(signed_in, executive, settings, caplog, debug):
    settings.DEBUG = debug
    # given the database goes away
    with connection.execute_wrapper(_unreachable):
        # when a signed-in client reads the scores
        response = signed_in.get(f"/api/v1/orgs/{executive.organization.slug}/scores/")
    # then it is told, in the API's JSON shape, to come back shortly
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "Try again shortly" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    # and nothing else hides behind it
    assert "accepted_renderer" not in caplog.text
    assert "_session_cache" not in caplog.text


@pytest.mark.django_db
def test_a_token_client_gets_the_same_503(executive, database_down):
    response = Client(raise_request_exception=False).get(
        f"/api/v1/orgs/{executive.organization.slug}/scores/", HTTP_AUTHORIZATION="Token eg_not-checked"
    )
    assert response.status_code == 503
    assert response.json()["detail"].startswith("The service is briefly unavailable")
    assert "Retry-After" in response


@pytest.mark.django_db
def test_a_page_answers_a_plain_try_again_page(signed_in, executive, caplog):
    # given the database goes away, when a signed-in user opens a page
    with connection.execute_wrapper(_unreachable):
        response = signed_in.get(f"/o/{executive.organization.slug}/")
    # then a plain page says to try again, with its status and Retry-After
    assert response.status_code == 503
    assert b"Try again" in response.content
    assert "Retry-After" in response
    assert "_session_cache" not in caplog.text


@pytest.mark.parametrize(
    ("path", "kind"), [("/o/acme/", "text/html"), ("/api/v1/orgs/acme/", "application/json")]
)
def test_a_middleware_that_lost_the_database_gives_the_same_answers(rf, path, kind):
    # given a middleware (before any view) failed on the database: Django calls handler500 meanwhile
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = server_error(rf.get(path))
    # then it is the "try again" answer for that path, not Django's bare 500
    assert response.status_code == 503
    assert response["Content-Type"].startswith(kind)
    assert "Retry-After" in response


def test_any_other_server_error_stays_a_500_and_json_under_the_api(rf):
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        api, page = server_error(rf.get("/api/v1/x/")), server_error(rf.get("/o/acme/"))
    assert (api.status_code, api["Content-Type"]) == (500, "application/json")
    assert page.status_code == 500
