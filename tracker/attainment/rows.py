"""The rows of the evaluation lists, written from flat values: one function per row shape.

A page of stored evaluations is read as flat values (`ROW_PATHS`: one query, joined, no
model instances) and each row is written by `attainment_row` or `growth_row`, as the row
serializers (`AttainmentRowSerializer`, `GrowthGapRowSerializer`: the API's contract and
schema) write them; tests/tracker/test_rows.py checks that they agree on generated data,
stored and live. Live evaluations are read into the same values by following the paths.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rest_framework.fields import DateTimeField

from tracker.attainment.models import Evaluation
from tracker.attainment.rules import AttainmentRules, entered_on, period_months
from tracker.numbers import plain_decimal, plain_float

Values = dict[str, Any]

_FACT_FIELDS = [
    "id",
    "measure",
    "value",
    "unit",
    "period_start",
    "period_end",
    "quote",
    "span_start",
    "span_end",
    "reviewed_at",
    "created_at",
    "source_document_id",
    "source_document__title",
    "source_document__published",
    "entered_by__username",
    "reviewed_by__username",
    "origin",
    "published",
]
# What rows show of a fact's document and people, read apart from the rows (see
# selectors.evaluation_values): joined too, a page's statement had fifteen tables, which
# PostgreSQL spent longer planning than running.
PROVENANCE_FIELDS = {
    "source_document_id": ("source_document__title", "source_document__published"),
    "entered_by_id": ("entered_by__username",),
    "reviewed_by_id": ("reviewed_by__username",),
}
_PROVENANCE_PATHS = {path for paths in PROVENANCE_FIELDS.values() for path in paths}
_TARGET_FIELDS = [
    "comparator",
    "review_state",
    "jurisdiction__id",
    "jurisdiction__code",
    "jurisdiction__name_zh",
    "jurisdiction__name_en",
    "indicator__code",
    "indicator__name_zh",
    "indicator__name_en",
    "indicator__unit",
    "indicator__nature",
    "indicator__direction",
]
_EVALUATION_FIELDS = [
    "as_of",
    "status",
    "attainment_ratio",
    "gap",
    "compared_with",
    "projection",
    "elapsed_months",
    "period_months",
    "partial",
    "derived_from_levels",
    "horizon_months",
    "required_growth",
    "achieved_growth",
    "growth_gap",
    "growth_source",
    "progress",
    "trajectory",
    "consistency",
    "flags",
    "superseded",
    "actual_id",
    "baseline_id",
    "increments",
    "year_to_date",
    "claims",
    "claim_contradicted",
    "rollup",
]
FACTS = ("target", "actual", "baseline")
# A target row shows when its actual became known, not when the target did: neither read.
_UNSHOWN = {("target", "created_at"), ("target", "published")}
# Every value a row shows, as paths from an Evaluation.
ROW_PATHS = [
    *_EVALUATION_FIELDS,
    *(f"target__{name}" for name in _TARGET_FIELDS),
    *(f"{fact}__{name}" for fact in FACTS for name in _FACT_FIELDS if (fact, name) not in _UNSHOWN),
]
# The same without the provenance of PROVENANCE_FIELDS, and with the ids it is read by.
PAGE_PATHS = [
    *(path for path in ROW_PATHS if path.partition("__")[2] not in _PROVENANCE_PATHS),
    *(f"{fact}__{name}" for fact in FACTS for name in ("entered_by_id", "reviewed_by_id")),
]
_DATETIME = DateTimeField()  # what the serializers write a timestamp with


def row_values(evaluation: Evaluation) -> Values:
    """The ROW_PATHS values of an evaluation with its related rows (a live one)."""
    values: Values = {}
    for path in ROW_PATHS:
        value: Any = evaluation
        for name in path.split("__"):
            value = getattr(value, name)
            if value is None:
                break
        values[path] = value
    return values


def _month(value: date | str) -> str:
    if isinstance(value, str):  # an ISO date kept in JSON
        return value[:7]
    return f"{value.year:04d}-{value.month:02d}"


def _amount(value: float | None) -> str | None:
    return None if value is None else plain_float(round(float(value), 6))


def _rounded(value: float | None, places: int) -> float | None:
    return None if value is None else round(float(value), places)


def _point(point: dict | None) -> dict | None:
    if point is None:
        return None
    return {"id": point["id"], "value": _amount(point["value"]), "period_end": _month(point["end"])}


def _provenance(values: Values, fact: str) -> dict:
    start = values[f"{fact}__span_start"]
    reviewed_at = values[f"{fact}__reviewed_at"]
    published = values[f"{fact}__source_document__published"]
    return {
        "document": values[f"{fact}__source_document_id"],
        "document_title": values[f"{fact}__source_document__title"],
        "published": None if published is None else published.isoformat(),
        "quote": values[f"{fact}__quote"],
        "span": None if start is None else [start, values[f"{fact}__span_end"]],
        "entered_by": values[f"{fact}__entered_by__username"],
        "reviewed_by": values[f"{fact}__reviewed_by__username"],
        "reviewed_at": None if reviewed_at is None else _DATETIME.to_representation(reviewed_at),
        "origin": values[f"{fact}__origin"],
    }


def _target(values: Values) -> dict:
    start, end = values["target__period_start"], values["target__period_end"]
    return {
        "id": values["target__id"],
        "jurisdiction": {
            "id": values["target__jurisdiction__id"],
            "code": values["target__jurisdiction__code"],
            "name_zh": values["target__jurisdiction__name_zh"],
            "name_en": values["target__jurisdiction__name_en"],
        },
        "indicator": {
            "code": values["target__indicator__code"],
            "name_zh": values["target__indicator__name_zh"],
            "name_en": values["target__indicator__name_en"],
            "unit": values["target__indicator__unit"],
            "nature": values["target__indicator__nature"],
            "direction": values["target__indicator__direction"],
        },
        "measure": values["target__measure"],
        "comparator": values["target__comparator"],
        "value": plain_decimal(values["target__value"]),
        "unit": values["target__unit"],
        "period_start": _month(start),
        "period_end": _month(end),
        "period_months": period_months(start, end),
        "review_state": values["target__review_state"],
        "provenance": _provenance(values, "target"),
    }


def _actual(values: Values, fact: str) -> dict | None:
    if values[f"{fact}__id"] is None:
        return None
    start, end = values[f"{fact}__period_start"], values[f"{fact}__period_end"]
    known = values[f"{fact}__source_document__published"] or values[f"{fact}__published"]
    if known is None:  # entered by hand: known from the local day it was entered
        known = entered_on(values[f"{fact}__created_at"])
    return {
        "id": values[f"{fact}__id"],
        "measure": values[f"{fact}__measure"],
        "value": plain_decimal(values[f"{fact}__value"]),
        "unit": values[f"{fact}__unit"],
        "period_start": _month(start),
        "period_end": _month(end),
        "months": period_months(start, end),
        "known": known.isoformat(),
        "provenance": _provenance(values, fact),
    }


def _progress(progress: dict | None, rules: AttainmentRules) -> dict | None:
    if progress is None:
        return None
    growth = rules.growth_places
    return {
        "category": progress["category"],
        "ratio": _rounded(progress["ratio"], rules.ratio_places),
        "observed_growth": _rounded(progress["observed_growth"], growth),
        "required_growth": _rounded(progress["required_growth"], growth),
        "baseline": _point(progress["baseline"]),
        "current": _point(progress["current"]),
    }


def _trajectory(years: list[dict] | None, rules: AttainmentRules) -> list[dict] | None:
    if years is None:
        return None
    return [
        {
            "year": year["year"],
            "k": year["k"],
            "expected": _amount(year["expected"]),
            "actual": _point(year["actual"]),
            "ratio": _rounded(year["ratio"], rules.ratio_places),
            "gap": _amount(year["gap"]),
        }
        for year in years
    ]


def _consistency(consistency: dict | None, rules: AttainmentRules) -> dict | None:
    if consistency is None:
        return None
    growth = rules.growth_places
    return {
        "level_target": _amount(consistency["level_target"]),
        "stated_growth": _rounded(consistency["stated_growth"], growth),
        "baseline": _point(consistency["baseline"]),
        "implied_growth": _rounded(consistency["implied_growth"], growth),
        "difference": _rounded(consistency["difference"], growth),
        "tolerance": float(consistency["tolerance"]),
        "consistent": consistency["consistent"],
    }


def _increment(piece: dict) -> dict:
    return {
        "id": piece["id"],
        "value": piece["value"],
        "period_start": _month(piece["period_start"]),
        "period_end": _month(piece["period_end"]),
    }


def _rollup(rollup: dict | None, rules: AttainmentRules) -> dict | None:
    if rollup is None:
        return None
    coverage = rollup["coverage"]
    return {
        "derived": rollup["derived"],
        "value": _amount(rollup["value"]),
        "period_start": _month(rollup["period_start"]),
        "period_end": _month(rollup["period_end"]),
        "coverage": {
            "reporting": coverage["reporting"],
            "expected": coverage["expected"],
            "ratio": _rounded(coverage["ratio"], rules.ratio_places),
            "min_ratio": float(coverage["min_ratio"]),
            "missing": [
                {"jurisdiction": m["jurisdiction"], "code": m["code"], "name_zh": m["name_zh"]}
                for m in coverage["missing"]
            ],
        },
        "children": [
            {
                "jurisdiction": c["jurisdiction"],
                "code": c["code"],
                "name_zh": c["name_zh"],
                "actual": c["actual"],
                "value": c["value"],
            }
            for c in rollup["children"]
        ],
    }


def _claim(check: dict, rules: AttainmentRules) -> dict:
    growth = rules.growth_places
    return {
        "claim": check["claim"],
        "document": check["document"],
        "quote": check["quote"],
        "blanket": check["blanket"],
        "claimed_status": check["claimed_status"],
        "claimed_ratio": check["claimed_ratio"],
        "computed_status": check["computed_status"],
        "computed_ratio": _rounded(check["computed_ratio"], growth),
        "difference": _rounded(check["difference"], growth),
        "tolerance": float(check["tolerance"]),
        "checked": check["checked"],
        "contradicted": check["contradicted"],
        "reason": check["reason"],
    }


def growth_row(values: Values, *, rules: AttainmentRules) -> dict:
    """A row of the growth-gap list, as GrowthGapRowSerializer writes it."""
    places = rules.growth_places
    return {
        "target": _target(values),
        "baseline": _actual(values, "baseline"),
        "required_growth": _rounded(values["required_growth"], places),
        "achieved_growth": _rounded(values["achieved_growth"], places),
        "growth_gap": _rounded(values["growth_gap"], places),
        "growth_source": values["growth_source"],
        "progress": _progress(values["progress"], rules),
        "trajectory": _trajectory(values["trajectory"], rules),
        "consistency": _consistency(values["consistency"], rules),
        "flags": list(values["flags"]),
    }


def attainment_row(values: Values, *, rules: AttainmentRules) -> dict:
    """A row of the attainment list, as AttainmentRowSerializer writes it."""
    growth = rules.growth_places
    return {
        "target": _target(values),
        "actual": _actual(values, "actual"),
        "superseded": [
            {
                "id": other["id"],
                "value": plain_decimal(other["value"]),
                "known": other["known"],
                "source_document": other["source_document"],
            }
            for other in values["superseded"]
        ],
        "status": values["status"],
        "attainment_ratio": _rounded(values["attainment_ratio"], rules.ratio_places),
        "gap": _amount(values["gap"]),
        "projection": _amount(values["projection"]),
        "baseline": _actual(values, "baseline"),
        "required_growth": _rounded(values["required_growth"], growth),
        "achieved_growth": _rounded(values["achieved_growth"], growth),
        "growth_gap": _rounded(values["growth_gap"], growth),
        "growth_source": values["growth_source"],
        "progress": _progress(values["progress"], rules),
        "trajectory": _trajectory(values["trajectory"], rules),
        "consistency": _consistency(values["consistency"], rules),
        "flags": list(values["flags"]),
        "basis": {
            "as_of": values["as_of"].isoformat(),
            "compared_with": _amount(values["compared_with"]),
            "elapsed_months": values["elapsed_months"],
            "period_months": values["period_months"],
            "partial": values["partial"],
            "derived_from_levels": values["derived_from_levels"],
            "tolerance": rules.tolerance(values["target__comparator"]),
            "horizon_months": values["horizon_months"],
            "year_to_date": _amount(values["year_to_date"]),
            "increments": [_increment(piece) for piece in values["increments"]],
            "rollup": _rollup(values["rollup"], rules),
        },
        "claims": [_claim(check, rules) for check in values["claims"]],
        "claim_contradicted": values["claim_contradicted"],
    }
