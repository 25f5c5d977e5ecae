"""Services: every write to facts, jurisdictions and the catalogue, and what they record."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Indicator
from indicators.services import CATALOGUE_PATH, catalogue_load
from tests.factories import ActualFactory, SourceDocumentFactory, TargetFactory, rd_intensity
from tracker.divisions import read_divisions
from tracker.models import (
    PERCENT_OUT_OF_RANGE,
    PERIOD_REVERSED,
    QUOTE_MISSING,
    SPAN_REVERSED,
    Actual,
    Jurisdiction,
    Level,
    ReviewState,
    Target,
)
from tracker.selectors import fact_history
from tracker.services import (
    REASON_REQUIRED,
    actual_create,
    divisions_load,
    fact_delete,
    fact_update,
    facts_delete,
    facts_review,
    jurisdiction_propose,
    jurisdiction_update,
    target_create,
)

pytestmark = pytest.mark.django_db


# --- create ------------------------------------------------------------------------------


def test_target_create_stores_an_accepted_target_entered_by_the_user(catalogue, shaoxing, editor):
    target = target_create(
        jurisdiction=shaoxing,
        indicator=Indicator.objects.get(code="rd_expenditure"),
        value=Decimal("12700000000"),
        period_start=date(2017, 1, 1),
        period_end=date(2017, 12, 1),
        user=editor,
    )

    target.refresh_from_db()
    assert target.value == Decimal("12700000000")
    assert target.unit == "CNY"
    assert target.comparator == "gte"  # a target is "at least" unless stated otherwise
    assert target.review_state == ReviewState.ACCEPTED
    assert (target.entered_by, target.reviewed_by) == (editor, editor)
    assert target.version == 1
    [record] = target.history.all()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        editor,
        "created",
    )


def test_actual_create_of_a_growth_rate_is_stored_in_percent(catalogue, shaoxing):
    actual = actual_create(
        jurisdiction=shaoxing,
        indicator=Indicator.objects.get(code="rd_expenditure"),
        measure="yoy_growth",
        value=Decimal("12.5"),
        period_start=date(2017, 1, 1),
        period_end=date(2017, 12, 1),
    )
    assert (actual.unit, actual.comparator) == ("percent", "eq")


def test_extracted_fact_keeps_its_document_and_quote_and_no_entering_person(catalogue, editor):
    document = SourceDocumentFactory()
    actual = actual_create(
        jurisdiction=document.jurisdiction,
        indicator=Indicator.objects.get(code="rd_expenditure"),
        value=Decimal("12700000000"),
        period_start=date(2017, 1, 1),
        period_end=date(2017, 12, 1),
        review_state=ReviewState.PROPOSED,
        source_document=document,
        span=(0, 14),
        quote="全社会研发经费支出127亿元",
        user=editor,
    )
    actual.refresh_from_db()
    assert actual.source_document == document
    assert (actual.span_start, actual.span_end) == (0, 14)
    assert actual.entered_by is None
    assert actual.reviewed_by is None  # proposed: nobody has reviewed it yet


def test_fact_create_refuses_an_amount_for_a_percent_indicator_and_stores_nothing(shaoxing):
    with pytest.raises(ValidationError) as excinfo:
        target_create(
            jurisdiction=shaoxing,
            indicator=rd_intensity(),
            value=Decimal("290000"),
            period_start=date(2017, 1, 1),
            period_end=date(2017, 12, 1),
        )
    assert excinfo.value.message_dict == {"value": [PERCENT_OUT_OF_RANGE]}
    assert not Target.objects.exists()


def _extracted_actual(document, **fields):
    values = {
        "jurisdiction": document.jurisdiction,
        "indicator": Indicator.objects.get(code="rd_expenditure"),
        "value": Decimal("12700000000"),
        "period_start": date(2017, 1, 1),
        "period_end": date(2017, 12, 1),
        "review_state": ReviewState.PROPOSED,
        "source_document": document,
        "span": (0, 14),
        "quote": "全社会研发经费支出127亿元",
    }
    return actual_create(**(values | fields))


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"span": (14, 3)}, "span_end", SPAN_REVERSED),
        ({"quote": ""}, "quote", QUOTE_MISSING),
        ({"period_end": date(2016, 12, 1)}, "period_end", PERIOD_REVERSED),
    ],
)
def test_a_fact_breaking_a_table_rule_is_refused_by_name_and_nothing_is_stored(
    catalogue, fields, field, message
):
    document = SourceDocumentFactory()
    with pytest.raises(ValidationError) as excinfo:
        _extracted_actual(document, **fields)
    assert excinfo.value.message_dict[field] == [message]
    assert not Actual.objects.exists()


def test_a_document_stating_the_same_fact_twice_is_refused_and_keeps_the_first(catalogue):
    document = SourceDocumentFactory()
    first = _extracted_actual(document)
    with pytest.raises(ValidationError) as excinfo:
        _extracted_actual(document, value=Decimal("1"))
    assert "This source document already states this fact" in str(excinfo.value)
    assert list(Actual.objects.values_list("id", "value")) == [(first.id, first.value)]


def test_an_update_moving_a_fact_onto_another_of_its_document_is_refused(catalogue, editor):
    document = SourceDocumentFactory()
    _extracted_actual(document)
    other = _extracted_actual(document, period_start=date(2016, 1, 1), period_end=date(2016, 12, 1))
    with pytest.raises(ValidationError):
        fact_update(
            fact=other,
            user=editor,
            data={"period_start": date(2017, 1, 1), "period_end": date(2017, 12, 1)},
        )
    other.refresh_from_db()
    assert other.period_start == date(2016, 1, 1)


# --- update ------------------------------------------------------------------------------


def test_proposed_fact_changes_without_a_reason(editor):
    target = TargetFactory(review_state=ReviewState.PROPOSED)

    updated = fact_update(fact=target, user=editor, data={"value": Decimal("13000000000")})

    assert updated.value == Decimal("13000000000")
    assert updated.version == 2


def test_accepted_fact_does_not_change_without_a_reason(editor):
    target = TargetFactory()

    with pytest.raises(ValidationError) as excinfo:
        fact_update(fact=target, user=editor, data={"value": Decimal("1")}, reason="  ")

    assert excinfo.value.message_dict == {"change_reason": [REASON_REQUIRED.format(kind="target")]}
    target.refresh_from_db()
    assert (target.value, target.version) == (Decimal("12700000000"), 1)


def test_history_keeps_old_and_new_value_user_and_reason(editor):
    target = TargetFactory()

    fact_update(
        fact=target,
        user=editor,
        data={"value": Decimal("13000000000")},
        reason="corrected from the 2018 report",
    )

    latest, created = fact_history(fact=target)
    assert latest["type"] == "changed"
    assert latest["user"] == "editor"
    assert latest["reason"] == "corrected from the 2018 report"
    assert latest["version"] == 2
    assert latest["changes"] == [{"field": "value", "old": "12700000000", "new": "13000000000"}]
    assert created["type"] == "created"


def test_stale_version_is_refused_as_a_conflict(editor):
    target = TargetFactory()
    fact_update(fact=target, user=editor, data={"value": Decimal("1")}, reason="first edit")

    with pytest.raises(ValidationError) as excinfo:
        fact_update(
            fact=target,
            user=editor,
            data={"value": Decimal("2")},
            reason="second edit",
            expected_version=1,
        )

    [error] = excinfo.value.error_dict["version"]
    assert error.code == "conflict"
    assert "now version 2, you sent 1" in error.message
    target.refresh_from_db()
    assert target.value == Decimal("1")


def test_current_version_is_accepted_and_raised(editor):
    target = TargetFactory()
    updated = fact_update(
        fact=target, user=editor, data={"value": Decimal("1")}, reason="fix", expected_version=1
    )
    assert updated.version == 2


def test_update_without_a_real_change_keeps_version_and_history(editor):
    target = TargetFactory()
    fact_update(fact=target, user=editor, data={"value": Decimal("12700000000.000")})
    target.refresh_from_db()
    assert target.version == 1
    assert target.history.count() == 1


def test_update_refuses_fields_that_are_not_editable(editor):
    target = TargetFactory()
    with pytest.raises(ValidationError, match="Fields not editable: version"):
        fact_update(fact=target, user=editor, data={"version": 7}, reason="x")


def test_update_that_breaks_a_rule_stores_nothing(editor):
    target = TargetFactory(indicator=rd_intensity(), value=Decimal("2.9"))
    with pytest.raises(ValidationError):
        fact_update(fact=target, user=editor, data={"value": Decimal("290000")}, reason="typo")
    target.refresh_from_db()
    assert (target.value, target.version) == (Decimal("2.9"), 1)
    assert target.history.count() == 1


# --- review ------------------------------------------------------------------------------


def test_facts_review_counts_only_the_facts_that_changed_state(editor):
    proposed = [ActualFactory(review_state=ReviewState.PROPOSED) for _ in range(3)]
    already = ActualFactory(review_state=ReviewState.ACCEPTED)

    changed = facts_review(
        model=Actual,
        ids=[a.pk for a in [*proposed, already]],
        review_state=ReviewState.ACCEPTED,
        user=editor,
    )

    assert changed == 3
    assert set(Actual.objects.values_list("review_state", flat=True)) == {ReviewState.ACCEPTED}
    first = Actual.objects.get(pk=proposed[0].pk)
    assert first.reviewed_by == editor
    assert first.reviewed_at is not None
    assert fact_history(fact=first)[0]["reason"] == "bulk accepted"


def test_facts_review_rejects_accepted_facts_with_the_bulk_reason(editor):
    actual = ActualFactory()
    assert (
        facts_review(model=Actual, ids=[actual.pk], review_state=ReviewState.REJECTED, user=editor)
        == 1
    )
    latest = fact_history(fact=actual)[0]
    assert latest["reason"] == "bulk rejected"
    assert latest["changes"][0]["field"] == "review_state"


def test_facts_review_refuses_an_unknown_state(editor):
    actual = ActualFactory(review_state=ReviewState.PROPOSED)
    with pytest.raises(ValidationError, match="Unknown review state"):
        facts_review(model=Actual, ids=[actual.pk], review_state="maybe", user=editor)
    actual.refresh_from_db()
    assert actual.review_state == ReviewState.PROPOSED


# --- delete ------------------------------------------------------------------------------


def test_accepted_fact_is_not_deleted_without_a_reason(editor):
    target = TargetFactory()
    with pytest.raises(ValidationError) as excinfo:
        fact_delete(fact=target, user=editor)
    assert "change_reason" in excinfo.value.message_dict
    assert Target.objects.filter(pk=target.pk).exists()


def test_deleted_fact_keeps_its_history_with_user_and_reason(editor):
    target = TargetFactory()
    pk = target.pk

    fact_delete(fact=target, user=editor, reason="duplicate of another target")

    assert not Target.objects.filter(pk=pk).exists()
    record = Target.history.filter(id=pk).latest("history_date")
    assert record.history_type == "-"
    assert record.history_user == editor
    assert record.history_change_reason == "duplicate of another target"


def test_proposed_fact_is_deleted_without_a_reason(editor):
    target = TargetFactory(review_state=ReviewState.PROPOSED)
    fact_delete(fact=target, user=editor)
    assert not Target.objects.exists()


def test_deleting_many_facts_deletes_none_when_an_accepted_one_has_no_reason(editor):
    proposed = TargetFactory(review_state=ReviewState.PROPOSED)
    accepted = TargetFactory()
    facts = Target.objects.filter(pk__in=[proposed.pk, accepted.pk]).order_by("-review_state")

    with pytest.raises(ValidationError) as excinfo:
        facts_delete(model=Target, facts=facts, user=editor, reason="")

    assert "change_reason" in excinfo.value.message_dict
    assert Target.objects.count() == 2  # the proposed one, deleted first, is back


def test_deleting_many_facts_keeps_each_ones_history_with_user_and_reason(editor):
    targets = [TargetFactory(), TargetFactory(review_state=ReviewState.PROPOSED)]

    deleted = facts_delete(
        model=Target, facts=Target.objects.all(), user=editor, reason="entered twice"
    )

    assert deleted == 2 and not Target.objects.exists()
    records = Target.history.filter(id__in=[t.pk for t in targets], history_type="-")
    assert {(r.history_user, r.history_change_reason) for r in records} == {
        (editor, "entered twice")
    }


# --- jurisdictions -----------------------------------------------------------------------


def test_jurisdiction_propose_finds_the_existing_jurisdiction_by_chinese_name(shaoxing):
    assert jurisdiction_propose(name_zh="绍兴市") == shaoxing
    assert Jurisdiction.objects.filter(name_zh="绍兴市").count() == 1


def test_jurisdiction_propose_creates_an_unknown_one_as_proposed_once(db):
    first = jurisdiction_propose(name_zh="衢州市")
    again = jurisdiction_propose(name_zh="衢州市")

    assert again == first
    assert (first.review_state, first.level, first.code) == (
        ReviewState.PROPOSED,
        Level.PREFECTURE,
        None,
    )
    assert jurisdiction_propose(name_zh="江西省").level == Level.PROVINCE


def test_jurisdiction_update_stores_an_empty_code_as_no_code(shaoxing):
    jurisdiction_update(jurisdiction=shaoxing, data={"code": ""})
    shaoxing.refresh_from_db()
    assert shaoxing.code is None


def test_jurisdiction_update_refuses_a_duplicate_code(shaoxing, wuhan):
    with pytest.raises(ValidationError) as excinfo:
        jurisdiction_update(jurisdiction=wuhan, data={"code": "330600"})
    assert "code" in excinfo.value.message_dict


# --- divisions ---------------------------------------------------------------------------

# Children before parents and placeholders mixed in, as in cpca's adcodes.csv.
DIVISION_ROWS = [
    ("110101000000", "东城区"),
    ("110100000000", "市辖区"),
    ("110000000000", "北京市"),
    ("420102000000", "江岸区"),
    ("420101000000", "市辖区"),
    ("420100000000", "武汉市"),
    ("429005000000", "潜江市"),
    ("429000000000", "省直辖县级行政区划"),
    ("420000000000", "湖北省"),
    ("330602000000", "越城区"),
    ("330600000000", "绍兴市"),
    ("330000000000", "浙江省"),
]


@pytest.fixture
def adcodes_csv(tmp_path: Path) -> Path:
    path = tmp_path / "adcodes.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["adcode", "name", "longitude", "latitude"])
        for code, name in DIVISION_ROWS:
            writer.writerow([code, name, "", ""])
    return path


def _by_code() -> dict[str, Jurisdiction]:
    return {j.code: j for j in Jurisdiction.objects.select_related("parent")}


def test_divisions_load_creates_levels_and_parents(adcodes_csv):
    created, updated = divisions_load(divisions=read_divisions(adcodes_csv))

    assert (created, updated) == (9, 0)
    rows = _by_code()
    assert {code: (j.name_zh, j.level) for code, j in rows.items()} == {
        "110000": ("北京市", Level.PROVINCE),
        "110101": ("东城区", Level.COUNTY),
        "420000": ("湖北省", Level.PROVINCE),
        "420100": ("武汉市", Level.PREFECTURE),
        "420102": ("江岸区", Level.COUNTY),
        "429005": ("潜江市", Level.COUNTY),
        "330000": ("浙江省", Level.PROVINCE),
        "330600": ("绍兴市", Level.PREFECTURE),
        "330602": ("越城区", Level.COUNTY),
    }
    parents = {code: j.parent.code if j.parent else None for code, j in rows.items()}
    assert parents["110101"] == "110000"  # a municipality's district hangs on the city itself
    assert parents["429005"] == "420000"  # a county governed by the province directly
    assert parents["420102"] == "420100"
    assert parents["330600"] == "330000"
    assert parents["330000"] is None


def test_divisions_load_skips_placeholder_rows(adcodes_csv):
    divisions_load(divisions=read_divisions(adcodes_csv))
    assert not Jurisdiction.objects.filter(name_zh__in=["市辖区", "省直辖县级行政区划"]).exists()
    assert not Jurisdiction.objects.filter(code__in=["110100", "420101", "429000"]).exists()


def test_divisions_load_gives_english_names(adcodes_csv):
    divisions_load(divisions=read_divisions(adcodes_csv))
    rows = _by_code()
    assert rows["330600"].name_en == "Shaoxing"
    assert rows["330602"].name_en == "Yuecheng District"
    assert rows["330000"].name_en == "Zhejiang"


def test_divisions_load_second_run_changes_nothing(adcodes_csv):
    divisions_load(divisions=read_divisions(adcodes_csv))
    before = sorted(Jurisdiction.objects.values_list("pk", "code", "parent_id"))

    assert divisions_load(divisions=read_divisions(adcodes_csv)) == (0, 0)
    assert sorted(Jurisdiction.objects.values_list("pk", "code", "parent_id")) == before


def test_divisions_load_updates_an_existing_jurisdiction_by_code(adcodes_csv):
    proposed = Jurisdiction.objects.create(name_zh="绍兴", code="330600", level=Level.COUNTY)

    created, updated = divisions_load(divisions=read_divisions(adcodes_csv))

    assert (created, updated) == (8, 1)
    proposed.refresh_from_db()
    assert (proposed.name_zh, proposed.level, proposed.parent.code) == (
        "绍兴市",
        Level.PREFECTURE,
        "330000",
    )


# --- indicator catalogue -----------------------------------------------------------------


def test_catalogue_load_is_idempotent(db):
    created, updated = catalogue_load()
    assert created > 0
    assert updated == 0
    intensity = Indicator.objects.get(code="rd_intensity")
    assert (intensity.unit, intensity.nature) == ("percent", "ratio")

    assert catalogue_load() == (0, created)
    assert Indicator.objects.count() == created


def test_catalogue_load_brings_a_changed_indicator_back_to_the_catalogue(db):
    catalogue_load()
    Indicator.objects.filter(code="rd_intensity").update(name_en="changed by hand")
    catalogue_load(path=CATALOGUE_PATH)
    assert Indicator.objects.get(code="rd_intensity").name_en == "R&D expenditure as share of GDP"


@pytest.mark.parametrize(
    "content",
    [
        "indicators: [code: rd_x\n",  # not YAML
        "something_else: []\n",  # no indicators key
        "",  # empty file
    ],
    ids=["bad-yaml", "no-indicators-key", "empty"],
)
def test_catalogue_load_refuses_an_unreadable_file(tmp_path, content):
    path = tmp_path / "indicators.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError, match="Cannot read indicator catalogue"):
        catalogue_load(path=path)
    assert not Indicator.objects.exists()


def test_catalogue_load_refuses_a_missing_file(tmp_path):
    with pytest.raises(ValidationError, match="Cannot read indicator catalogue"):
        catalogue_load(path=tmp_path / "missing.yaml")


def test_catalogue_load_refuses_an_unknown_unit_and_stores_nothing(tmp_path):
    path = tmp_path / "indicators.yaml"
    path.write_text(
        "indicators:\n"
        "  - {code: ok_one, name_zh: 甲, name_en: A, unit: count, nature: flow}\n"
        "  - {code: bad_one, name_zh: 乙, name_en: B, unit: furlongs, nature: flow}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as excinfo:
        catalogue_load(path=path)
    assert "unit" in excinfo.value.message_dict
    assert not Indicator.objects.exists()
