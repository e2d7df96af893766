"""`python manage.py recompute_scores [--org SLUG] [--as-of YYYY-MM-DD]`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from scoring.models import ScoreSnapshot
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("recompute_scores", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_four_scores_and_health_of_one_organization(worked_example):
    # given the worked example, when recomputed for its date
    output = run("--org", "acme", "--as-of", "2027-01-01")
    # then
    assert output == (
        "acme (2027-01-01): alignment 27.63  resources 75.00  adaptability 41.67  people 75.00  "
        "execution_health 54.82\n"
    )
    assert ScoreSnapshot.objects.for_org(worked_example.org).count() == 1


def test_without_org_it_recomputes_every_organization_and_shows_undefined_scores(org):
    # given two empty organizations
    OrganizationFactory(slug="beta")
    # when
    output = run("--as-of", "2027-01-01")
    # then one line each, in slug order, every score undefined
    undefined = "alignment undefined  resources undefined  adaptability undefined  people undefined  "
    assert output.splitlines() == [
        f"acme (2027-01-01): {undefined}execution_health undefined",
        f"beta (2027-01-01): {undefined}execution_health undefined",
    ]


def test_an_unknown_slug_is_a_clear_error(org):
    with pytest.raises(CommandError, match="No organization with the slug 'nope'"):
        run("--org", "nope")
    assert not ScoreSnapshot.objects.exists()


@pytest.mark.parametrize("value", ["2027-13-01", "yesterday", "01/01/2027"])
def test_a_bad_date_is_a_clear_error(org, value):
    with pytest.raises(CommandError, match="--as-of takes a date as YYYY-MM-DD"):
        run("--as-of", value)
    assert not ScoreSnapshot.objects.exists()
