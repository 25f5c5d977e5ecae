"""Noun-phrase analysis: which indicator(s) a figure is about, and the words between them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .catalogue import Alias, Catalogue, Norm, normalise

__all__ = [
    "Gap",
    "Subject",
    "analyse_np",
    "attr_subject",
    "complete_subject",
    "parse_subject",
    "remap_unit",
]

# Words that may stand between a subject and its figure without changing what is measured.
FILLER = (
    r"(?:分别为|分别是|分别达到|分别达|分别|共计|合计|总计|累计达到|累计达|累计|"
    r"已达到|已达|达到了|达到|达|年达|约为|约|近|超过了|超过|超|突破了|突破|逾|"
    r"高达|力争达到|力争实现|力争|争取达到|争取|确保达到|确保|预计达到|预计|将达到|要达到|将|"
    r"实现了|实现|完成了|完成|增加到|增长到|提高到|提升到|上升到|扩大到|增至|达至|不低于|"
    r"不少于|不超过|不高于|高于|多于|控制在|保持在|稳定在|共有|拥有|为|是|有|全年|当年|"
    r"[一二三四五六七八九十两\d]{1,2}年(?=累计|年均|平均|共|合计|总计)|年|了|"
    r"入库|规模|累计投入|数量|数|量|以上|,)"
)
GROWTH = (
    r"(?P<yoy>同比|比上年同期|较上年同期|比去年同期|较去年同期|比上年|较上年|比去年|较去年)?"
    # "比“十二五”增长86.4%", "较2015年增长": a base other than last year (not year-on-year)
    r"(?P<base>(?:比|较)[“\"]?(?:十[一二三四五]五|(?:19|20)\d{2}年)[”\"]?(?:末|底|期间|时期)?)?"
    r"(?P<avg>年均|年平均|平均每年|平均)?"
    r"(?P<verb>增长了|增长|增加了|增加|提高了|提高|提升了|提升|上升了|上升|增幅|增速度|增速|"
    r"增长率|增长速度|净增|下降了|下降|减少了|减少)(?:幅度|速度|率)?"
)
_GAP_RE = re.compile(rf"(?P<pre>{FILLER}*)(?:(?P<growth>{GROWTH})(?P<post>{FILLER}*))?")
_MAX_GAP = 14

# Leading discourse words that are not part of a subject.
_DISCOURSE_RE = re.compile(
    r"^(?:其中|尤其是|特别是|另外|此外|同时|并且|而且|以及|其中|并|及|和|与|、|——|—|,|，|:|：|\s)+"
)
# A head that is only a time expression ("2015年达到6352件", "“十三五”期间年均增长32.7%",
# "五年年均增长13.5%") names no subject: the figure continues the previous one.
_TIME_ONLY_RE = re.compile(
    r"(?:(?:19|20)\d{2}年(?:底|末|度)?|[“\"]?十[一二三四五]五[”\"]?(?:期间|时期|以来|末|期末)?|"
    r"[一二三四五六七八九十两\d]{1,2}年(?:来|间|内)?|今年|去年|全年|上半年|当年)+"
)
# A qualifier that makes the figure about a part of the jurisdiction or about support given.
_SUBPART_RE = re.compile(
    r"企业|高校|院所|大学|学院|研究院|研究所|园区|开发区|高新区|示范区|[区县镇乡]|街道|园|基地|单位|集团|公司|"
    r"行业|领域|国家级|省级|市级|区级|县级|备案|引导|资助|带动|扶持|补助|奖励|支持|全省|全国|占"
)
# 培育 ("培育技术经纪人100名") adds to a stock unless it is cumulative (累计培育).
_NEW_RE = re.compile(r"新增|新建|新认定|新培育|(?<!累计)培育|新引进|新设立|新备案|新组建|新获批")
_LIST_SPLIT_RE = re.compile(r"以及|[、和与及]")
_ATTRS = ("面积", "总规模", "资金规模", "规模", "总额", "金额", "额", "总数", "数量", "总量")
_ATTR_RE = re.compile(r"^(?:总数|总量|总规模|资金规模|规模|总额|面积)$")


@dataclass(frozen=True)
class Subject:
    """An indicator a figure is about; code None means the phrase is a blocked sub-part."""

    code: str | None
    start: int  # offset in the text where the subject phrase starts
    key: str
    qualifier: str = ""


@dataclass(frozen=True)
class Gap:
    """What stands between the subject and the figure."""

    text: str
    growth: bool = False
    avg: bool = False
    yoy: bool = False
    negative: bool = False


@dataclass
class NounPhrase:
    """Result of analysing the text before a figure."""

    subjects: list[Subject] | None  # None: a subject we do not know (blocks inheritance)
    gap: Gap
    empty: bool  # no subject at all: the figure continues the previous subject
    norm: Norm  # the normalised phrase, kept for 总规模/总数 continuations


def _gap(text: str) -> Gap | None:
    m = _GAP_RE.fullmatch(text)
    if not m:
        return None
    verb = m.group("verb") or ""
    return Gap(
        text=text,
        growth=bool(m.group("growth")),
        avg=bool(m.group("avg")),
        yoy=bool(m.group("yoy")),
        negative=verb.startswith(("下降", "减少")),
    )


def analyse_np(raw: str, offset: int, cat: Catalogue) -> NounPhrase:
    """Split the text before a figure into subject(s) and gap words."""
    n = len(raw)
    full = normalise(raw, offset)
    for k in range(n, max(-1, n - _MAX_GAP - 1), -1):
        gap = _gap(raw[k:])
        if gap is None:
            continue
        head = raw[:k]
        lead = _DISCOURSE_RE.match(head)
        body_from = lead.end() if lead else 0
        body = head[body_from:].strip()
        if not body or _TIME_ONLY_RE.fullmatch(body):
            return NounPhrase(None, gap, True, full)
        subjects = parse_subject(normalise(head[body_from:], offset + body_from), cat)
        if subjects:
            return NounPhrase(subjects, gap, False, full)
    return NounPhrase(None, Gap(""), False, full)


def _subject(norm: Norm, start: int, alias: Alias, cat: Catalogue) -> Subject:
    qualifier = norm.text[:start]
    code: str | None = alias.code
    origin = norm.index[start] if start < len(norm.index) else norm.index[-1]
    if _SUBPART_RE.search(qualifier):
        code = None
    elif qualifier:
        other = cat.longest_suffix(qualifier) if alias.key.startswith("占") else None
        if other is not None and other[1].code != alias.code:
            code = None  # "高新技术产业增加值占GDP比重": the ratio of another quantity
    if code is not None and _NEW_RE.search(qualifier) and cat.indicators[code].is_stock:
        code = cat.new_counterpart(code)
    return Subject(code, origin, alias.key, qualifier)


def _collapse_enumeration(norm: Norm, cat: Catalogue) -> list[Subject]:
    """'新建A、B、C等研发平台' -> the head noun after 等 with the verb before the list."""
    text = norm.text
    cut = text.rfind("等")
    head = norm.cut(cut + 1)
    if cut <= 0 or len(head) < 2:
        return []
    first_delim = text.find("、")
    limit = first_delim if 0 <= first_delim < cut else cut
    best: tuple[int, int, Alias, Norm] | None = None
    for s in range(limit + 1):
        cand = norm.cut(0, s) + head
        hit = cat.longest_suffix(cand.text)
        if hit and (best is None or len(hit[1].key) > len(best[2].key)):
            best = (s, hit[0], hit[1], cand)
    if best is None:
        return []
    _, start, alias, cand = best
    return [_subject(cand, start, alias, cat)]


def _complete(part: str, neighbour: str, cat: Catalogue, left: bool) -> Alias | None:
    """Elliptic conjunct: '申请' next to '授权专利' -> 申请专利; '授权量' after '专利申请量'."""
    best: Alias | None = None
    for j in range(len(part)):
        piece = part[j:]
        for k in range(1, len(neighbour)):
            cand = piece + neighbour[k:] if left else neighbour[:k] + piece
            hit = cat.lookup(cand)
            if hit and (best is None or len(hit.key) > len(best.key)):
                best = hit
        if best:
            return best
    return best


def parse_subject(norm: Norm, cat: Catalogue) -> list[Subject]:
    """Indicators named by a noun phrase: one, a coordinated list, or none."""
    text = norm.text
    if not text:
        return []
    if "等" in text:
        collapsed = _collapse_enumeration(norm, cat)
        if collapsed:
            return collapsed
    bounds = [(m.start(), m.end()) for m in _LIST_SPLIT_RE.finditer(text)]
    if bounds:
        listed = _parse_list(norm, bounds, cat)
        if listed:
            return listed
    hit = cat.longest_suffix(text)
    if hit is None:
        return []
    return [_subject(norm, hit[0], hit[1], cat)]


def _parse_list(norm: Norm, bounds: list[tuple[int, int]], cat: Catalogue) -> list[Subject]:
    text = norm.text
    spans = []
    pos = 0
    for a, b in bounds:
        spans.append((pos, a))
        pos = b
    spans.append((pos, len(text)))
    if any(e - s < 1 for s, e in spans) or len(spans) > 6:
        return []
    resolved: list[tuple[int, Alias] | None] = []
    for i, (s, e) in enumerate(spans):
        part = text[s:e]
        if i == 0:
            hit = cat.longest_suffix(part)
            resolved.append((s + hit[0], hit[1]) if hit else None)
        else:
            alias = cat.lookup(part)
            resolved.append((s, alias) if alias else None)
    for _ in range(2):
        for i, (s, e) in enumerate(spans):
            if resolved[i] is not None:
                continue
            part = text[s:e]
            for j, left in ((i + 1, True), (i - 1, False)):
                if 0 <= j < len(spans) and resolved[j] is not None:
                    alias = _complete(part, resolved[j][1].key, cat, left)
                    if alias:
                        start = s if i else s + max(0, len(part) - len(part.lstrip()))
                        resolved[i] = (start, alias)
                        break
    if any(r is None for r in resolved):
        return []
    first_start, first_alias = resolved[0]  # type: ignore[misc]
    first = _subject(norm, first_start, first_alias, cat)
    out = [first]
    for start, alias in resolved[1:]:  # type: ignore[misc]
        # A qualifier on the first conjunct ("各区县A和B") scopes over the whole list.
        code = alias.code if first.code is not None else None
        out.append(Subject(code, norm.index[start], alias.key))
    if len({s.code for s in out}) < len(out):
        return []
    return out


def attr_subject(prev: Norm | None, attr_text: str, cat: Catalogue) -> Subject | None:
    """'…创业投资基金17支,总规模达到37.3亿元': the attribute of the previous head noun."""
    attr = normalise(attr_text).text
    # "…财政科技投入12.5亿元,占本级财政支出的比重为3.1%": a share of the previous subject.
    if prev is None or not (_ATTR_RE.match(attr) or attr.startswith("占")):
        return None
    text = prev.text
    for k in range(len(text)):
        hit = cat.lookup(normalise(text[k:] + attr).text)
        if hit:
            qualifier = text[:k]
            code = None if _SUBPART_RE.search(qualifier) else hit.code
            return Subject(code, prev.index[k], hit.key, qualifier)
    return None


def complete_subject(bare: str, offset: int, prev: Subject, cat: Catalogue) -> Subject | None:
    """'…申请量7865件,授权量4325件': complete a short elliptic head from the previous subject."""
    norm = normalise(bare, offset)
    if not 2 <= len(norm.text) <= 4 or not norm.index:
        return None
    alias = _complete(norm.text, prev.key, cat, left=False)
    if alias is None or alias.code == prev.code or not alias.key.endswith(norm.text):
        return None
    return Subject(alias.code, norm.index[0], alias.key)


def remap_unit(subject: Subject, base: str, cat: Catalogue, compatible) -> Subject | None:
    """'孵化器1298万平米': a figure in another unit names an attribute (孵化器 -> 孵化器面积)."""
    for attr in _ATTRS:
        hit = cat.lookup(normalise(subject.key + attr).text)
        if hit and compatible(cat.indicators[hit.code].unit, base):
            return Subject(hit.code, subject.start, hit.key, subject.qualifier)
    return None
