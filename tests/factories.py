"""factory_boy factories; targets, actuals and jurisdictions are made through the services.

Building through the services means a factory-made row has passed the same validation
(`full_clean`, derived unit, history record) as one entered through the API or the admin.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import factory

from indicators.models import Direction, Indicator, Nature, Unit
from indicators.services import indicator_upsert
from ingest.models import IngestStatus, SourceDocument
from tracker.models import Actual, Jurisdiction, Level, Measure, ReviewState, Target
from tracker.services import fact_create, jurisdiction_create


class JurisdictionFactory(factory.django.DjangoModelFactory):
    """A county-level jurisdiction with a unique made-up division code."""

    class Meta:
        model = Jurisdiction

    name_zh = factory.Sequence(lambda n: f"测试{n}县")
    name_en = factory.Sequence(lambda n: f"Test {n} County")
    code = factory.Sequence(lambda n: f"9{n % 100000:05d}")
    level = Level.COUNTY
    parent = None
    review_state = ReviewState.ACCEPTED

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> Jurisdiction:
        return jurisdiction_create(**kwargs)


class IndicatorFactory(factory.django.DjangoModelFactory):
    """An indicator by code: the catalogue's one when loaded, otherwise created as given."""

    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"test_indicator_{n}")
    name_zh = factory.LazyAttribute(lambda o: f"测试指标 {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Test indicator {o.code}")
    unit = Unit.COUNT
    nature = Nature.FLOW
    direction = Direction.HIGHER
    aliases = factory.LazyFunction(list)

    @classmethod
    def _create(cls, model_class, *args, code: str, **kwargs) -> Indicator:
        # Never overwrite a catalogue entry: tests rely on its real unit and nature.
        existing = Indicator.objects.filter(code=code).first()
        if existing is not None:
            return existing
        indicator, _ = indicator_upsert(code=code, **kwargs)
        return indicator


def rd_expenditure() -> Indicator:
    """The catalogue's gross R&D expenditure (yuan, flow) or a stand-in with that shape."""
    return IndicatorFactory(
        code="rd_expenditure", unit=Unit.CNY, nature=Nature.FLOW, name_zh="全社会研发经费支出"
    )


def rd_intensity() -> Indicator:
    """The catalogue's R&D intensity (percent, ratio) or a stand-in with that shape."""
    return IndicatorFactory(
        code="rd_intensity", unit=Unit.PERCENT, nature=Nature.RATIO, name_zh="研发经费投入强度"
    )


class SourceDocumentFactory(factory.django.DjangoModelFactory):
    """A received report; its hash is derived from its text as ingest does."""

    class Meta:
        model = SourceDocument

    title = factory.Sequence(lambda n: f"2017年科技工作报告 {n}")
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    published = date(2018, 2, 1)
    report_year = 2017
    text = factory.Sequence(lambda n: f"2017年全社会研发经费支出127亿元。(文档 {n})")
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.text.encode("utf-8")).hexdigest())
    status = IngestStatus.DONE


class FactFactory(factory.django.DjangoModelFactory):
    """Shared fields of a target or an actual: 127 亿元 of R&D expenditure in 2017."""

    class Meta:
        abstract = True

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    indicator = factory.LazyFunction(rd_expenditure)
    measure = Measure.LEVEL
    value = Decimal("12700000000")
    period_start = date(2017, 1, 1)
    period_end = date(2017, 12, 1)
    review_state = ReviewState.ACCEPTED
    user = None
    source_document = None
    quote = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("source_document") is not None and not kwargs.get("quote"):
            kwargs["quote"] = "全社会研发经费支出127亿元"
        return fact_create(model=model_class, **kwargs)


class TargetFactory(FactFactory):
    """A target, created through `fact_create`."""

    class Meta:
        model = Target


class ActualFactory(FactFactory):
    """An actual, created through `fact_create`."""

    class Meta:
        model = Actual
