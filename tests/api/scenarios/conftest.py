"""The scenarios' plan (`tests.scenarios.conftest.plan`), for the API tests."""

from tests.scenarios.conftest import plan  # noqa: F401  (a fixture)
