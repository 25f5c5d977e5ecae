"""Celery tasks of the evaluations: beat rebuilds them when the day turns or the rules change."""

from __future__ import annotations

import logging

from celery import shared_task

from tracker.attainment import services
from tracker.attainment.models import Evaluation
from tracker.planner import tables_analyze

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def evaluations_rebuild_stale() -> dict[str, object]:
    """Rebuild the stored evaluations if they are of another day or other rules (beat)."""
    rebuilt = services.evaluations_rebuild_if_stale()
    if rebuilt is None:
        return {"rebuilt": False}
    tables_analyze(models=[Evaluation])
    logger.warning(
        "evaluations rebuilt as of %s (rules %s): %s rows in %.1f s",
        rebuilt.as_of,
        rebuilt.fingerprint,
        rebuilt.rows,
        rebuilt.seconds,
    )
    return {"rebuilt": True, "rows": rebuilt.rows, "as_of": rebuilt.as_of.isoformat()}
