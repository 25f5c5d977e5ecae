"""Whose figure it is and which figures are asides: the jurisdiction, a zone, a sector.

A zone, park, district or organisation named as the subject makes its figures sub-parts of
the jurisdiction, and so does a sector that opens the sentence; 全市/我市 or the
jurisdiction's name brings the text back to the jurisdiction itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..catalogue import Catalogue
from ..numbers import Quantity
from ..periods import TimeExpr
from .figures import Token, clause_start, unknown_between
from .phrases import Left

__all__ = [
    "is_aside",
    "opening_time",
    "opens_clause",
    "sector_subject",
    "whose",
    "zones",
]

SELF, ZONE, OTHER = "self", "zone", "other"

ZONE_RE = re.compile(
    r"[\u4e00-\u9fff]{1,8}?(?:高新区|开发区|新区|园区|产业园|科技园|工业园|示范区|自创区|实验区|"
    r"试验区|片区|基地|经济区|保税区|科技城|科学城)"
    r"|[\u4e00-\u9fff]{1,3}[^全各市城地社园\W][区县镇乡](?!域|级|委|政府|市)"
    r"|各(?:县市区|县区|区县|县|区|镇|乡|地)"
    # an organisation: a company, a university, an institute
    r"|[\u4e00-\u9fff]{2,10}?(?:公司|集团|研究院|研究所|大学|学院|医院)"
)
# Verbs that open a clause before a place ("推动县财政科技支出", "力争我区"): with a bare
# tier word (县, 区) or 我县 after them, the regex's place name is the verb and the tier.
_LEAD_VERBS = (
    "推动", "促进", "推进", "支持", "引导", "鼓励", "带动", "加快", "加大", "力争", "争取",
    "确保", "实现", "完成", "助力", "帮助", "指导", "组织", "服务", "保障", "提升", "提高",
)  # fmt: skip


def zones(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """The places, parks and organisations ZONE_RE finds in text[start:end], except a verb
    followed by a bare tier word ("推动县", "力争我县"), which names no place."""
    for m in ZONE_RE.finditer(text, start, len(text) if end is None else end):
        name = m.group()
        place = name
        while verb := next((v for v in _LEAD_VERBS if place.startswith(v)), None):
            place = place[len(verb) :]
        if place == name or ZONE_RE.fullmatch(place):
            yield m


_CITY_RE = re.compile(r"[\u4e00-\u9fff]{2,4}市")
_NOT_CITY_ENDS = ("全", "我", "本", "该", "城", "都", "强", "进", "范", "型")
_SHARE_LEAD_RE = re.compile(r"[约近]?占")
_GROWTH_LEAD_RE = re.compile(
    r"[^，,；;]*(?:(?:增长|增加|提高|提升|上升)了?(?:近|约|超过|超|逾|将近|接近)?|翻了?)$"
)
_OPENING_SKIP = frozenset({"time", "self", "discourse", "list"})
_LEAD_WORDS_RE = re.compile(
    r"(?:[\s\u3000]|其中|同时|另外|此外|并且|全市|我市|本市|全县|我县|全州|全年|当年|——|—|●|•|"
    r"[一二三四五六七八九十]+是|据统计|据初步统计|截至|截止|在|自|从)*$"
)
_LEAD_IN_RE = re.compile(
    r"^[^，,。；;]{0,40}?(?:获悉|了解到|介绍|表示|指出|显示|强调|明确|提出|要求|称|说|报道|讯)"
    r"[:：,，]?"
)
_OPENING_LEADS = ("", "我市", "全市", "我县", "全县", "市", "县", "昨日", "日前", "近日")


def whose(text: str, left: Left, jurisdiction: str | None) -> str | None:
    """SELF, ZONE (a district, park, zone or organisation), OTHER (全省, 全国) or None.

    Only the subject's places count: the start of the zone ("高新区实现…") and right before
    the phrase ("全省高新技术企业"); a place inside a predicate ("稳居全省第一方阵") does not.
    """
    lo, hi = left.zone_start, left.np_start
    for tok in left.zone:
        if tok.start == lo and tok.classes & {"time", "discourse", "part"}:
            lo = tok.end
    while lo < hi and text[lo] in ' ,，、“”"':
        lo += 1
    zone = text[lo:hi]

    def placed(a: int, b: int) -> bool:
        return a == 0 or b >= len(zone.rstrip("的 "))

    stem = re.sub(r"(省|市|县|区|自治州|州|盟|地区)$", "", jurisdiction or "") or None
    if stem and zone.startswith(stem) and not ZONE_RE.match(zone.replace(stem, "", 1)):
        return SELF
    for tok in left.zone:
        if "other_scope" in tok.classes and placed(tok.start - lo, tok.end - lo):
            # A province's or a region's own report speaks of itself as 全省 or 全区.
            if jurisdiction and jurisdiction.endswith("区") and tok.word == "全区":
                return SELF
            if jurisdiction and jurisdiction.endswith("省") and tok.word == "全省":
                return SELF
            return OTHER
    for m in zones(zone):
        if not (stem and stem in m.group()) and placed(m.start(), m.end()):
            return ZONE
    for m in _CITY_RE.finditer(zone):
        name = m.group()
        if name[:-1].endswith(_NOT_CITY_ENDS):
            continue
        if jurisdiction and stem and name.endswith(stem + "市"):
            return SELF
        if jurisdiction and placed(m.start(), m.end()):
            return ZONE
    if any("self" in tok.classes for tok in left.zone):
        return SELF
    return None


def sector_subject(text: str, s_start: int, tokens: list[Token], first: Quantity) -> bool:
    """Whether the sentence is about a sector: its first figure's clause opens with a topic
    that a predicate of its own follows ("全市高新技术产业从事研发活动的人员15030人")."""
    clause = clause_start(text, s_start, first.start)
    toks = [t for t in tokens if clause <= t.start < first.start]
    pos = clause
    for i, tok in enumerate(toks):
        if unknown_between(text, pos, tok.start):
            return False  # the clause opens with words the lexicon does not know
        pos = tok.end
        if tok.classes & _OPENING_SKIP and "topic" not in tok.classes:
            continue
        if "topic" not in tok.classes:
            return False
        nxt = toks[i + 1].start if i + 1 < len(toks) else first.start
        return unknown_between(text, tok.end, nxt) >= 2 and nxt != tok.end
    return False


def is_aside(text: str, lo: int, group: list[Quantity], cat: Catalogue) -> bool:
    """Figures that say nothing of an indicator: ranks, shares of other totals, multiples."""
    if all(q.rejected for q in group):
        # "增长3.2倍" is a growth; a rank or "是2015年的4.1倍" is not.
        times = any(q.base == "times" for q in group)
        return not (times and _GROWTH_LEAD_RE.match(text, lo, group[0].start))
    if not _SHARE_LEAD_RE.match(text, lo):
        return False
    # "占全省28.1%" is an aside; "占本级财政支出比重达到5.1%" names a catalogue share.
    share = cat.share_re.match(text, lo) if cat.share_re is not None else None
    return share is None or share.lastgroup == "share_other"


def opens_clause(text: str, s_start: int, t: TimeExpr) -> bool:
    """Whether a time opens its clause (and so speaks for the rest of the sentence)."""
    if _LEAD_WORDS_RE.fullmatch(text, clause_start(text, s_start, t.start), t.start):
        return True
    # "晒出了今年上半年我市科技创新成绩单:…": a time in a clause that introduces a colon list.
    for i in range(t.end, len(text)):
        if text[i] in "：:":
            return True
        if text[i] in "，,；;。！？\n":
            return False
    return False


def opening_time(text: str, start: int, times: list[TimeExpr]) -> TimeExpr | None:
    """The time a sentence opens with ("2016年,…", "记者获悉,2015年…"), if any: it speaks
    for the paragraph from there on."""
    if not times:
        return None
    first = times[0]
    lead = text[start : first.start]
    lead = re.sub(r"^[\s\u3000]*(?:[一二三四五六七八九十]+是|——|—|●|•)?", "", lead)
    # A reporting lead-in ("记者从市科技局获悉,", "《规划》明确,") does not open the content.
    lead = _LEAD_IN_RE.sub("", lead)
    lead = re.sub(r"^(?:据统计|据初步统计|根据[^，,]{0,20}|截至|截止|在|自|从)[,，]?", "", lead)
    lead = lead.strip(' ,，:：“”"')
    return first if lead in _OPENING_LEADS or len(lead) <= 1 else None
