"""What the nightly check of the sums kept between recomputes shares (`staffing_kept`, `task_sums_kept`):
where the kept sums differ from a count, log where and count them again."""

from __future__ import annotations

import logging
from collections.abc import Callable

from scoring.engine.inputs import Parameters

logger = logging.getLogger(__name__)
SHOWN = 10  # differences named in the log


def kept_repaired(
    what: str,
    *,
    organization_id: int,
    parameters: Parameters,
    differences: list[str] | None,
    rebuild: Callable[..., None],
) -> int:
    """Log `differences` (the kept `what` against a count; none or None: nothing to repair) and
    `rebuild`; returns how many there were."""
    if not differences:
        return 0
    logger.warning(
        "The kept %s of organization %s at %s differed from a count in %d places (%s); counted again.",
        what,
        organization_id,
        parameters.as_of.isoformat(),
        len(differences),
        "; ".join(differences[:SHOWN]),
    )
    rebuild(organization_id=organization_id, parameters=parameters)
    return len(differences)
