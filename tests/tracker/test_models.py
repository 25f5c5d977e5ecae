"""The database refuses bad rows by itself, and full_clean explains the same rules to a person."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from indicators.models import Indicator
from ingest.models import IngestStatus, SourceDocument
from tests.factories import (
    ActualFactory,
    JurisdictionFactory,
    SourceDocumentFactory,
    TargetFactory,
    rd_expenditure,
    rd_intensity,
)
from tracker.models import (
    GROWTH_OUT_OF_RANGE,
    NEGATIVE_LEVEL,
    PERCENT_OUT_OF_RANGE,
    PERIOD_REVERSED,
    Actual,
    Jurisdiction,
    Measure,
    ReviewState,
    Target,
)

pytestmark = pytest.mark.django_db

FACT_FACTORIES = {Target: TargetFactory, Actual: ActualFactory}

# Each fact constraint (without its table prefix) and an UPDATE that breaks only it,
# applied to a valid level fact of R&D expenditure in yuan for 2017.
FACT_VIOLATIONS = {
    "period_ordered": lambda doc: {"period_end": date(2016, 12, 1)},
    "measure_valid": lambda doc: {"measure": "bogus"},
    "comparator_valid": lambda doc: {"comparator": "bogus"},
    "review_state_valid": lambda doc: {"review_state": "bogus"},
    "growth_in_percent": lambda doc: {"measure": Measure.YOY_GROWTH, "value": 10, "unit": "CNY"},
    "unit_valid": lambda doc: {"unit": ""},
    "level_not_negative": lambda doc: {"value": -1},
    "percent_level_in_range": lambda doc: {"unit": "percent", "value": 290000},
    "growth_in_range": lambda doc: {
        "measure": Measure.YOY_GROWTH,
        "unit": "percent",
        "value": -101,
    },
    "span_ordered": lambda doc: {"span_start": 10, "span_end": 5},
    "extracted_has_quote": lambda doc: {"source_document": doc, "quote": ""},
}

OTHER_VIOLATIONS = {
    "jurisdiction_level_valid": (Jurisdiction, lambda obj: {"level": "bogus"}),
    "jurisdiction_review_state_valid": (Jurisdiction, lambda obj: {"review_state": "bogus"}),
    "jurisdiction_not_own_parent": (Jurisdiction, lambda obj: {"parent_id": obj.pk}),
    "indicator_unit_valid": (Indicator, lambda obj: {"unit": "bogus"}),
    "indicator_nature_valid": (Indicator, lambda obj: {"nature": "bogus"}),
    "indicator_direction_valid": (Indicator, lambda obj: {"direction": "bogus"}),
    "document_status_valid": (SourceDocument, lambda obj: {"status": "bogus"}),
    "document_text_not_empty": (SourceDocument, lambda obj: {"text": ""}),
    "document_failure_has_error": (
        SourceDocument,
        lambda obj: {"status": IngestStatus.FAILED, "error": ""},
    ),
}


def _named_constraints(model: type[models.Model]) -> set[str]:
    return {c.name for c in model._meta.constraints}


def _assert_refused(queryset: models.QuerySet, constraint: str, **changes) -> None:
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        queryset.update(**changes)
    # SQLite and PostgreSQL both name a failed CHECK constraint in the error.
    assert constraint in str(excinfo.value)


def test_every_named_constraint_has_a_violation_case():
    """A constraint added to a model without a case here would go untested."""
    covered = {f"target_{name}" for name in FACT_VIOLATIONS} | {"target_unique_per_source"}
    covered |= {f"actual_{name}" for name in FACT_VIOLATIONS} | {"actual_unique_per_source"}
    covered |= set(OTHER_VIOLATIONS)
    declared = set().union(
        *(_named_constraints(m) for m in (Target, Actual, Jurisdiction, Indicator, SourceDocument))
    )
    assert declared == covered


@pytest.mark.parametrize("model", [Target, Actual], ids=["target", "actual"])
@pytest.mark.parametrize("constraint", sorted(FACT_VIOLATIONS))
def test_database_refuses_a_fact_that_breaks_a_check_constraint(model, constraint):
    fact = FACT_FACTORIES[model]()
    document = SourceDocumentFactory(jurisdiction=fact.jurisdiction)
    prefix = model._meta.model_name

    _assert_refused(
        model.objects.filter(pk=fact.pk),
        f"{prefix}_{constraint}",
        **FACT_VIOLATIONS[constraint](document),
    )

    fact.refresh_from_db()
    assert fact.value == Decimal("12700000000")


@pytest.mark.parametrize("constraint", sorted(OTHER_VIOLATIONS))
def test_database_refuses_a_row_that_breaks_a_check_constraint(constraint):
    model, changes = OTHER_VIOLATIONS[constraint]
    obj = {
        Jurisdiction: JurisdictionFactory,
        Indicator: rd_expenditure,
        SourceDocument: SourceDocumentFactory,
    }[model]()

    _assert_refused(model.objects.filter(pk=obj.pk), constraint, **changes(obj))


@pytest.mark.parametrize("model", [Target, Actual], ids=["target", "actual"])
def test_database_refuses_the_same_fact_twice_from_one_source_document(model):
    document = SourceDocumentFactory()
    first = FACT_FACTORIES[model](jurisdiction=document.jurisdiction, source_document=document)
    fields = {
        "jurisdiction": first.jurisdiction,
        "indicator": first.indicator,
        "measure": first.measure,
        "value": Decimal("1"),
        "unit": first.unit,
        "comparator": first.comparator,
        "period_start": first.period_start,
        "period_end": first.period_end,
        "source_document": document,
        "quote": "又一次",
    }

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        model.objects.create(**fields)  # create() does not call full_clean

    # PostgreSQL names the constraint; SQLite lists the columns of the unique index.
    message = str(excinfo.value)
    assert f"{model._meta.model_name}_unique_per_source" in message or "UNIQUE" in message
    assert model.objects.filter(source_document=document).count() == 1


@pytest.mark.parametrize("model", [Target, Actual], ids=["target", "actual"])
def test_the_same_fact_from_a_person_may_be_entered_twice(model):
    """The per-source uniqueness does not apply to hand-entered facts (no document)."""
    first = FACT_FACTORIES[model]()
    second = FACT_FACTORIES[model](jurisdiction=first.jurisdiction)
    assert second.pk != first.pk


def _fact(model, **fields):
    """An unsaved fact with valid defaults: 127 亿元 of R&D expenditure in 2017.

    The unit starts as the indicator's own, as the services set it before full_clean
    (clean_fields runs before clean, so a blank unit would be reported first).
    """
    indicator = fields.pop("indicator", None) or rd_expenditure()
    defaults = {
        "jurisdiction": JurisdictionFactory(),
        "indicator": indicator,
        "unit": indicator.unit,
        "measure": Measure.LEVEL,
        "value": Decimal("12700000000"),
        "comparator": "gte",
        "period_start": date(2017, 1, 1),
        "period_end": date(2017, 12, 1),
        "review_state": ReviewState.ACCEPTED,
    }
    return model(**{**defaults, **fields})


def _errors(fact) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        fact.full_clean()
    return excinfo.value.message_dict


@pytest.mark.parametrize("model", [Target, Actual], ids=["target", "actual"])
def test_full_clean_says_an_amount_does_not_belong_to_a_percent_indicator(model):
    # 29 亿元 mistaken for the R&D intensity of 2.9 %.
    errors = _errors(_fact(model, indicator=rd_intensity(), value=Decimal("2900000000")))
    assert errors == {"value": [PERCENT_OUT_OF_RANGE]}


def test_full_clean_accepts_a_percent_level_of_exactly_100():
    fact = _fact(Target, indicator=rd_intensity(), value=Decimal("100"))
    fact.full_clean()
    assert fact.unit == "percent"


@pytest.mark.parametrize("model", [Target, Actual], ids=["target", "actual"])
def test_full_clean_says_a_level_cannot_be_negative(model):
    errors = _errors(_fact(model, value=Decimal("-5")))
    assert errors == {"value": [NEGATIVE_LEVEL]}


@pytest.mark.parametrize("value", ["-100.5", "100000.1"])
def test_full_clean_says_a_growth_rate_is_out_of_range(value):
    errors = _errors(_fact(Actual, measure=Measure.YOY_GROWTH, value=Decimal(value)))
    assert errors == {"value": [GROWTH_OUT_OF_RANGE]}


def test_full_clean_accepts_a_negative_growth_rate_and_derives_the_percent_unit():
    fact = _fact(Actual, measure=Measure.YOY_GROWTH, value=Decimal("-12.5"))
    assert fact.unit == "CNY"  # the indicator's base unit, wrong for a growth rate
    fact.full_clean()
    assert fact.unit == "percent"


@pytest.mark.parametrize("model", [Target, Actual], ids=["target", "actual"])
def test_full_clean_says_the_period_must_not_end_before_it_starts(model):
    errors = _errors(_fact(model, period_start=date(2018, 1, 1), period_end=date(2017, 12, 1)))
    assert errors == {"period_end": [PERIOD_REVERSED]}


def test_full_clean_moves_period_dates_to_the_first_of_the_month():
    fact = _fact(Target, period_start=date(2017, 1, 15), period_end=date(2017, 5, 31))
    fact.full_clean()
    assert (fact.period_start, fact.period_end) == (date(2017, 1, 1), date(2017, 5, 1))


@pytest.mark.parametrize("model", [Target, Actual], ids=["target", "actual"])
def test_full_clean_says_the_document_already_states_this_fact(model):
    document = SourceDocumentFactory()
    first = FACT_FACTORIES[model](jurisdiction=document.jurisdiction, source_document=document)
    duplicate = _fact(
        model,
        jurisdiction=first.jurisdiction,
        comparator=first.comparator,
        source_document=document,
        quote="全社会研发经费支出127亿元",
        value=Decimal("1"),
    )

    messages = _errors(duplicate)

    assert any(
        "This source document already states this fact" in message
        for field_messages in messages.values()
        for message in field_messages
    )


def test_period_label_names_a_calendar_year_or_a_month_range():
    assert _fact(Target).period_label == "2017"
    year_to_date = _fact(Actual, period_start=date(2017, 1, 1), period_end=date(2017, 5, 1))
    assert year_to_date.period_label == "2017-01..2017-05"
    plan = _fact(Target, period_start=date(2016, 1, 1), period_end=date(2020, 12, 1))
    assert plan.period_label == "2016-01..2020-12"
