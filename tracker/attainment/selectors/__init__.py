"""Reads of the evaluations: `stored` rows, targets evaluated `live`, and the `check`."""

from tracker.attainment.selectors.check import (
    Difference,
    evaluation_differences,
    evaluation_figures,
)
from tracker.attainment.selectors.live import (
    EVALUATED_ORDERINGS,
    LiveEvaluations,
    SeriesKey,
    SeriesSet,
    evaluation_row,
    evaluations_live,
    evaluations_of,
    evaluations_relate,
    live_evaluations,
    ordered_live,
    series_load,
    summary_live,
)
from tracker.attainment.selectors.stored import (
    SUMMARY_GROUPS,
    evaluation_list,
    evaluation_state,
    evaluation_summary,
    evaluation_values,
    evaluations_stale,
    evaluations_with_growth,
    stored_answers,
    stored_rules,
)

__all__ = [
    "EVALUATED_ORDERINGS",
    "SUMMARY_GROUPS",
    "Difference",
    "LiveEvaluations",
    "SeriesKey",
    "SeriesSet",
    "evaluation_differences",
    "evaluation_figures",
    "evaluation_list",
    "evaluation_row",
    "evaluation_state",
    "evaluation_summary",
    "evaluation_values",
    "evaluations_live",
    "evaluations_of",
    "evaluations_relate",
    "evaluations_stale",
    "evaluations_with_growth",
    "live_evaluations",
    "ordered_live",
    "series_load",
    "stored_answers",
    "stored_rules",
    "summary_live",
]
