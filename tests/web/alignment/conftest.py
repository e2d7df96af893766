"""Fixtures of the alignment page tests: SCORING.md's worked example, scored for D = 2027-01-01."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from scoring.services import scores_recompute
from tests.scoring.conftest import WORKED_EXAMPLE_DATE, worked_example  # noqa: F401  (a fixture)


@pytest.fixture
def scored(worked_example: SimpleNamespace) -> SimpleNamespace:  # noqa: F811
    """The worked example with its snapshot (the page reads the work at the snapshot's date)."""
    worked_example.snapshot = scores_recompute(
        organization_id=worked_example.org.pk, as_of=WORKED_EXAMPLE_DATE
    )
    return worked_example
