"""What the scoring app provides to the layers below it (see `execgap.hooks`)."""

from __future__ import annotations

from datetime import datetime

from execgap import services
from execgap.models import Organization
from execgap.web import scores
from objectives.api import views as objective_api
from scoring.recompute import scores_request_recompute
from scoring.selectors import objectives_with_progress, snapshot_latest_stamp


def register() -> None:
    services.scores_recompute_request.provide(
        lambda organization_id: scores_request_recompute(organization_id=organization_id)
    )
    scores.snapshot_latest_stamp.provide(_latest_stamp)
    objective_api.objectives_with_progress.provide(objectives_with_progress)


def _latest_stamp(organization: Organization) -> tuple[int, datetime] | None:
    return snapshot_latest_stamp(organization=organization)
