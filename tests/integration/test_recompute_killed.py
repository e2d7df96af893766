"""A recompute killed midway (the process dies while storing) leaves the previous snapshot intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from decimal import Decimal

import pytest

from execgap.models import Organization
from objectives.models import ObjectiveStatus
from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot
from scoring.services import scores_recompute
from tests.factories import ObjectiveFactory, OrganizationFactory, TaskFactory
from tests.integration.conftest import ROOT, database_url, wait_for

# Runs one recompute in a separate process that stops, for good, in the middle of storing: after the
# snapshot row and the objective rows are written, before the initiative rows.
RECOMPUTE_THAT_HANGS_WHILE_STORING = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from scoring import store
    from scoring.services import scores_recompute

    write = store.rows_write

    def hang_at_initiatives(model, columns, rows):
        if model is store.InitiativeScore:
            print("STORING", flush=True)
            time.sleep(3600)
        write(model, columns, rows)

    store.rows_write = hang_at_initiatives
    scores_recompute(organization_id=int(sys.argv[1]))
    """
)


@pytest.mark.usefixtures("transactional_db")
def test_a_recompute_killed_while_storing_leaves_the_previous_snapshot_as_the_latest(tmp_path):
    # given an organization scored once (alignment 100: its one task is aligned), then changed
    organization = OrganizationFactory()
    root = ObjectiveFactory(organization=organization, status=ObjectiveStatus.ACTIVE)
    TaskFactory(organization=organization, objective=root, effort_hours=Decimal(5))
    previous = scores_recompute(organization_id=organization.pk)
    TaskFactory(organization=organization, effort_hours=Decimal(5))  # an orphan: alignment would be 50
    Organization.objects.filter(pk=organization.pk).update(scores_stale_since=previous.computed_at)

    # when a recompute is killed (SIGKILL) while it is storing its snapshot
    log = tmp_path / "recompute.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", RECOMPUTE_THAT_HANGS_WHILE_STORING, str(organization.pk)],
            cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url()},
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_for(lambda: "STORING" in log.read_text(), timeout=60, what="the recompute to start storing")
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)

    # then the previous snapshot is still the latest, nothing of the killed one is visible,
    # and the organization is still stale (so the sweep will recompute it)
    assert list(ScoreSnapshot.objects.for_org(organization)) == [previous]
    assert ObjectiveScore.objects.for_org(organization).exclude(snapshot=previous).count() == 0
    assert InitiativeScore.objects.for_org(organization).exclude(snapshot=previous).count() == 0
    assert previous.alignment == pytest.approx(100)
    organization.refresh_from_db()
    assert organization.scores_stale_since is not None
