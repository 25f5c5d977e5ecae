"""The evaluation rules (see docs/attainment.md and tracker/attainment/rules.py)."""

from tracker.settings.environment import env

ATTAINMENT = {
    "EQ_TOLERANCE": env.float("ATTAINMENT_EQ_TOLERANCE", default=0.001),
    "APPROX_TOLERANCE": env.float("ATTAINMENT_APPROX_TOLERANCE", default=0.05),
    "CONSISTENCY_TOLERANCE_PP": env.float("ATTAINMENT_CONSISTENCY_TOLERANCE_PP", default=0.5),
    "PROGRESS_ON_TRACK": env.float("ATTAINMENT_PROGRESS_ON_TRACK", default=0.95),
    "PROGRESS_ACCELERATION": env.float("ATTAINMENT_PROGRESS_ACCELERATION", default=0.6),
    "PROGRESS_LIMITED": env.float("ATTAINMENT_PROGRESS_LIMITED", default=0.0),
    "CLAIM_TOLERANCE_PP": env.float("ATTAINMENT_CLAIM_TOLERANCE_PP", default=1.0),
    "ROLLUP_MIN_COVERAGE": env.float("ATTAINMENT_ROLLUP_MIN_COVERAGE", default=0.8),
}
