"""Document structure: headings, plan vs review sections and the time anchors in force."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .document import DocYears
from .periods import Period, TimeExpr, find_time_exprs

__all__ = ["Anchor", "Sentence", "iter_sentences", "section_kind"]

TARGET, ACTUAL = "target", "actual"

_L1_RE = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+\s*[、.．])")
_L2_RE = re.compile(r"^\s*[(（][一二三四五六七八九十]+[)）]")
_L3_RE = re.compile(r"^\s*\d{1,2}\s*[、.．](?!\d)")
_SENT_END = "。！？!?；;"
_SENT_RE = re.compile(r"[^。！？!?；;\n]*[。！？!?；;]?")
_LEAD_RE = re.compile(
    r"^[\s\u3000]*(?:[一二三四五六七八九十]+是|\d{1,2}\s*[、.．](?!\d)|[(（][一二三四五六七八九十\d]+[)）]|"
    r"——|—|-|•|·|此外|同时|另外)?[\s\u3000,，:：]*"
)

# Heading words: a plan section states targets, a review section states actuals.
_PLAN_WORDS = re.compile(
    r"思路|目标|任务|安排|打算|要点|计划|部署|重点工作|举措|措施|展望|下步|下一步|今后"
)
_REVIEW_WORDS = re.compile(r"回顾|成效|成绩|进展|情况|总结|亮点|主要成就|问题|短板|差距|不足|完成")
# Sub-section headings ("(三)实施科技计划改革") use these words loosely: need a clearer phrase.
_SUB_PLAN = re.compile(
    r"工作思路|目标任务|主要目标|预期目标|工作安排|工作打算|工作要点|下步|下一步|重点任务|主要任务"
)
_SUB_REVIEW = re.compile(r"回顾|成效|进展|总结|亮点|完成情况|存在的问题|问题|短板|差距|不足")
_STRICT_PLAN = re.compile(
    r"工作要点|工作计划|工作思路|工作安排|工作打算|主要目标|预期目标|目标任务"
)
_STRICT_REVIEW = re.compile(r"工作总结|工作回顾|主要成效|工作成效|进展情况|完成情况")
# A paragraph announcing the plan that follows ("2015年…的预期目标是:", "重点做好以下工作:").
_PLAN_PARA_RE = re.compile(
    r"(?:目标|思路|任务|安排|要点|工作)(?:是|为|如下)|以下工作|以下几个方面|(?:目标|任务)[:：]\s*$"
)
_REVIEW_PARA_RE = re.compile(r"完成|取得|总结|回顾")
# Clause wording that marks a figure as planned even inside a review section.
TARGET_CUE_RE = re.compile(
    r"力争|确保|争取|预计|预期|力求|计划|目标|将达到|将突破|将超过|要达到|努力"
)


def section_kind(heading: str, *, level: int = 1) -> str | None:
    """'target' for a plan heading, 'actual' for a review heading, None when unclear.

    Deeper headings need clearer wording; unnumbered title-like lines (level 4) only count
    with unambiguous report-type phrases.
    """
    plan_re, review_re = {
        1: (_PLAN_WORDS, _REVIEW_WORDS),
        4: (_STRICT_PLAN, _STRICT_REVIEW),
    }.get(level, (_SUB_PLAN, _SUB_REVIEW))
    plan = plan_re.search(heading)
    review = review_re.search(heading)
    if review and not plan:
        return ACTUAL
    if plan and not review:
        return TARGET
    if plan and review:
        # "主要工作成效" reviews, "工作思路及目标任务" plans: the later word is the head noun.
        return TARGET if plan.start() > review.start() else ACTUAL
    return None


@dataclass(frozen=True)
class Anchor:
    """The reporting window in force, with how it was stated."""

    period: Period
    by: bool = False  # "到2020年": an end-state target year
    plan: Period | None = None  # the five-year plan around it, if any
    explicit: bool = True


@dataclass
class Sentence:
    """A sentence with the document context it sits in."""

    start: int
    end: int
    kind: str
    kind_explicit: bool
    base: Anchor | None
    local: list[tuple[int, Anchor]] = field(default_factory=list)  # (offset, anchor) in sentence
    masked: list[tuple[int, int]] = field(default_factory=list)

    def anchor_at(self, pos: int) -> Anchor | None:
        """The anchor in force at absolute offset `pos`."""
        best = self.base
        for at, anchor in self.local:
            if at <= pos:
                best = anchor
        return best


def _heading(line: str) -> tuple[int, int] | None:
    """(level, length of the heading text) for a heading line, else None."""
    stripped = line.strip()
    if not stripped:
        return None
    for level, pattern in ((1, _L1_RE), (2, _L2_RE), (3, _L3_RE)):
        if pattern.match(line):
            stop = min((line.find(ch) for ch in "。；;" if ch in line), default=-1)
            if stop == -1:
                return (level, len(line)) if len(stripped) <= 60 else None
            return (level, stop) if stop <= 40 else None
    # A short unnumbered line without sentence punctuation is a title or a label ("主要目标:").
    if len(stripped) <= 30 and not re.search(r"[。；;,，]", stripped):
        return 4, len(line)
    return None


def _resolve(expr: TimeExpr, outer: Anchor | None, years: DocYears) -> Anchor | None:
    outer_year = outer.period.end_year if outer else years.current
    if expr.kind == "rel":
        period = expr.resolve(years.current)
    elif expr.kind == "fullyear":
        if outer is None or outer.period.multi_year:
            return outer
        period = Period.year(outer.period.end_year)
    else:
        period = expr.resolve(outer_year)
    if period is None:
        return None
    plan = outer.plan if outer else None
    if expr.kind == "plan":
        plan = Period.years(expr.year, expr.last_year)
    return Anchor(period, by=expr.kind == "by", plan=plan)


def _masked_ranges(s: str) -> list[tuple[int, int]]:
    """Spans inside 《book titles》, where dates name documents rather than periods."""
    out = []
    for m in re.finditer(r"《[^》\n]{0,60}》", s):
        out.append((m.start(), m.end()))
    return out


def iter_sentences(sh: str, years: DocYears, *, default_kind: str) -> Iterator[Sentence]:
    """Walk the shadow text line by line and yield sentences with their kind and time anchors."""
    doc_kind = default_kind
    heading_kind: dict[int, str] = {}
    heading_anchor: dict[int, Anchor] = {}
    sticky: Anchor | None = None
    doc_anchor = {
        ACTUAL: Anchor(Period.year(years.review), explicit=False) if years.review else None,
        TARGET: Anchor(Period.year(years.plan), explicit=False) if years.plan else None,
    }
    pos = 0
    for line in sh.splitlines(keepends=True):
        line_start = pos
        pos += len(line)
        body_from = 0
        head = _heading(line)
        if head is not None:
            level, length = head
            for lv in [lv for lv in heading_kind if lv >= level]:
                del heading_kind[lv]
            for lv in [lv for lv in heading_anchor if lv >= level]:
                del heading_anchor[lv]
            sticky = None
            htext = line[:length]
            kind = section_kind(htext, level=level)
            if kind:
                heading_kind[level] = kind
            outer = _outer(heading_anchor, None, doc_anchor, heading_kind, doc_kind)
            exprs = [e for e in find_time_exprs(htext, heading=True) if e.kind != "fullyear"]
            if exprs:
                anchor = _resolve(exprs[0], outer, years)
                if anchor:
                    heading_anchor[level] = anchor
        # Numbered list items ("1、高新技术产业产值增幅20%以上") are headings that state figures:
        # the heading text is read as a sentence too.
        body = line[body_from:]
        if not body.strip():
            continue
        if _PLAN_PARA_RE.search(body) and not _REVIEW_PARA_RE.search(body):
            doc_kind = TARGET
        kind, kind_explicit = _current_kind(heading_kind, doc_kind)
        for m in _SENT_RE.finditer(body):
            if not m.group().strip():
                continue
            s_start = line_start + body_from + m.start()
            stext = m.group()
            masked = _masked_ranges(stext)
            lead = _LEAD_RE.match(stext)
            lead_end = lead.end() if lead else 0
            outer = _outer(heading_anchor, sticky, doc_anchor, heading_kind, doc_kind)
            local: list[tuple[int, Anchor]] = []
            for expr in find_time_exprs(stext):
                if any(a <= expr.start < b for a, b in masked):
                    continue
                if expr.start <= lead_end + 1 and not local:
                    anchor = _resolve(expr, outer, years)
                    if anchor is not None:
                        sticky = anchor
                        outer = anchor
                    continue
                anchor = _resolve(expr, local[-1][1] if local else outer, years)
                if anchor is not None:
                    local.append((s_start + expr.start, anchor))
            yield Sentence(
                start=s_start,
                end=s_start + len(stext.rstrip("\n")),
                kind=kind,
                kind_explicit=kind_explicit,
                base=outer,
                local=local,
                masked=[(s_start + a, s_start + b) for a, b in masked],
            )


def _current_kind(heading_kind: dict[int, str], doc_kind: str) -> tuple[str, bool]:
    if heading_kind:
        return heading_kind[max(heading_kind)], True
    return doc_kind, False


def _outer(
    heading_anchor: dict[int, Anchor],
    sticky: Anchor | None,
    doc_anchor: dict[str, Anchor | None],
    heading_kind: dict[int, str],
    doc_kind: str,
) -> Anchor | None:
    if sticky is not None:
        return sticky
    if heading_anchor:
        return heading_anchor[max(heading_anchor)]
    kind, _ = _current_kind(heading_kind, doc_kind)
    return doc_anchor.get(kind)
