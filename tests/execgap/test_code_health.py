"""The codebase stays in order: the models match their migrations and ruff finds nothing."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    # makemigrations --check exits (SystemExit) when a model differs from its migrations
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _ruff() -> str | None:
    beside_python = Path(sys.executable).with_name("ruff")
    return str(beside_python) if beside_python.exists() else shutil.which("ruff")


def test_ruff_finds_nothing():
    ruff = _ruff()
    if ruff is None:
        pytest.skip("ruff is not installed in this environment (pip install -e '.[dev]')")
    result = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
