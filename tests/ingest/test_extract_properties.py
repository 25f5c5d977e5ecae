"""Property tests: any input is handled and every fact honours the fact contract."""

import logging
import signal
from contextlib import contextmanager
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.extraction import NotTextError, decode_document, extract, load_catalogue
from ingest.extraction.numbers import QUANTITY_RE, parse_number, parse_quantity
from ingest.extraction.text import shadow
from ingest.extraction.units import compatible

CATALOGUE = load_catalogue()
KINDS = {"target", "actual"}
MEASURES = {"level", "yoy_growth", "cagr", "growth"}
COMPARATORS = {"eq", "gte", "gt", "lte", "lt", "approx"}

# Text built from the genre's own pieces finds far more paths than random unicode alone.
PIECES = [
    "一、2016年工作回顾\n",
    "二、2017年工作思路\n",
    "“十二五”期间,",
    "到2020年,",
    "1-5月,",
    "截至5月底,",
    "全社会研发经费",
    "研发投入强度",
    "专利申请量与授权量",
    "申请和授权专利",
    "高新技术企业总数",
    "新增孵化器",
    "技术合同成交额",
    "其中",
    "分别为",
    "同比增长",
    "年均增长",
    "达到",
    "力争",
    "突破",
    "以上",
    "左右",
    "113亿元",
    "3.65万人年",
    "97,573件",
    "12.4%",
    "２９．５６亿元",
    "一百二十七億元",
    "3000—5000万元",
    "4个百分点",
    "占全省28.1%",
    "、",
    "和",
    ",",
    "。",
    ";",
    "\n",
    "(R&D)",
    "由2010年的263家增加到2015年的432家",
    "增幅高达25.7%、42.7%",
    "《规划(2014-2020)》",
    "等",
    "总数达",
    "净增75%",
    "的",
]
genre_text = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def check_contract(text: str) -> None:
    result = extract(text)
    assert isinstance(result.as_dict()["facts"], list)
    for fact in result.facts:
        ind = CATALOGUE.indicators[fact.indicator]
        assert fact.kind in KINDS and fact.measure in MEASURES
        assert fact.comparator in COMPARATORS
        assert text[fact.span[0] : fact.span[1]] == fact.quote
        assert 0 <= fact.span[0] < fact.span[1] <= len(text)
        assert fact.period_start <= fact.period_end
        assert 0.0 <= fact.confidence <= 1.0
        if fact.measure == "level":
            assert fact.unit == ind.unit
        else:
            assert fact.unit == "percent"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), genre_text))
def test_any_text_gives_contract_valid_facts(text):
    handler = _Collect()
    logger = logging.getLogger("ingest.extraction")
    logger.addHandler(handler)
    try:
        check_contract(text)
    finally:
        logger.removeHandler(handler)
    assert not handler.records, "a sentence raised inside the extractor"


# Pieces of indicator tables: headers, lead columns, labels, units, values, rules.
TABLE_PIECES = [
    *("指标", "项目", "类别", "序号", "单位", "属性", "2020年", "2025年", "2023年目标"),
    *("2023年完成", "基期值", "目标值", "年均增长(%)", "“十四五”累计", "完成率", "预期性"),
    *("技术合同成交额", "新增高新技术企业", "研发投入强度", "亿元", "家", "%"),
    *("12", "3.5", "800", "—", "| --- | --- |", ""),
]
table_text = st.lists(
    st.lists(st.sampled_from(TABLE_PIECES), min_size=1, max_size=7).map("\t".join), max_size=8
).map(lambda rows: "示例市规划\n" + "\n".join(rows) + "\n")


class _Hung(Exception):
    pass


@contextmanager
def _ends_within(seconds: int):
    """Fails the example instead of hanging the suite when reading never ends."""

    def hung(signum, frame):
        raise _Hung(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table_text)
def test_any_table_is_read_to_its_end(text):
    # A header after its lead columns (类别 | 指标) with no row found was found again forever.
    handler = _Collect()
    logger = logging.getLogger("ingest.extraction")
    logger.addHandler(handler)
    try:
        with _ends_within(20):
            check_contract(text)
    finally:
        logger.removeHandler(handler)
    assert not handler.records, "reading a table raised (or never ended) inside the extractor"


def test_a_header_after_its_lead_columns_without_rows_ends():
    with _ends_within(20):
        assert extract("示例市规划\n类别\t指标\t单位\n创新投入\n").facts == []


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_raise_not_text(raw):
    try:
        text = decode_document(raw)
    except NotTextError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(text, str)
        assert not any(ord(ch) < 32 and ch not in "\n\t\r" for ch in text)


@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_digits_round_trip(n):
    assert parse_number(f"{n:,}") == Decimal(n)


@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(["万", "亿"]))
def test_wan_yi_forms_round_trip(n, unit):
    scale = Decimal(10_000) if unit == "万" else Decimal(100_000_000)
    assert parse_number(f"{n}{unit}") == n * scale
    assert parse_number(f"{n / 100:.2f}{unit}") == Decimal(f"{n / 100:.2f}") * scale


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False))
def test_full_width_round_trip(value):
    ascii_form = f"{value}"
    full_width = ascii_form.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert parse_number(full_width) == parse_number(ascii_form) == value
    (m,) = QUANTITY_RE.finditer(shadow(full_width + "亿元"))
    assert parse_quantity(m).value == value * 100_000_000


def test_seed_report_contract(tmp_path):
    from ingest.extraction.bench import load_seed_texts

    for text in load_seed_texts():
        check_contract(text)
        assert extract(text).facts, "each seed report states some facts"


def test_compatible_units_for_every_indicator():
    for ind in CATALOGUE.indicators.values():
        assert any(
            compatible(ind.unit, base) for base in ("CNY", "count", "percent", "m2", "person_year")
        )
