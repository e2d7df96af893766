"""The deployment tests' compose file, read once per module."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.deployment.layout import ROOT


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())
