"""Sentence rules: figures, their subjects, measure, comparator, kind and period."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import pairwise

from .catalogue import Catalogue, Indicator, Norm
from .document import DocYears
from .numbers import QUANTITY_RE, Quantity, parse_quantity
from .periods import Period, find_time_exprs, plan_containing
from .phrases import Gap, Subject, analyse_np, attr_subject, complete_subject, remap_unit
from .structure import ACTUAL, TARGET, Anchor, Sentence
from .units import compatible

__all__ = ["Candidate", "sentence_candidates"]

_CLAUSE_BOUNDARY = frozenset(",，:：")
_SUFFIX_RE = re.compile(r"(?:以上|以内|之内|左右|上下|多|余|强)?")
_LIST_JOIN_RE = re.compile(r"(?:以上|左右)?(?:、|和|与|及|以及)$")
# Cues that make a figure in a review section a plan ("力争…", "预计全年…").
# "预计全年…" in a review is the estimated outcome of the year under review: not a cue.
_TARGET_CUE_RE = re.compile(r"力争|确保|争取|力求|将达到|将突破|将超过|计划到|目标是|预期目标")
_TIME = r"(?:(?:19|20)\d{2}年(?:底|末)?|[“\"]?十[一二三四五]五[”\"]?(?:期初|期末|初|末)?)"
_FROM_RE = re.compile(rf"(?:由|从)(?P<t>{_TIME})?的?$")
_TO_RE = re.compile(
    rf"^(?:增加|增长|提高|提升|上升|扩大|发展|跃升|增)?(?:到|至)(?P<t>{_TIME})?的?$"
)
_GT_WORDS = ("突破", "超过", "超", "高于", "逾", "多于")
_LTE_WORDS = ("以内", "之内", "不超过", "控制在", "不高于")
_APPROX_WORDS = ("左右", "约", "上下", "近")


@dataclass(frozen=True)
class Candidate:
    """A fact before de-duplication."""

    kind: str
    code: str
    measure: str
    value: Decimal
    unit: str
    comparator: str
    period: Period
    start: int
    end: int
    confidence: float


def _comparator(kind: str, words: str, ind: Indicator) -> str:
    if kind == TARGET:
        if any(w in words for w in _LTE_WORDS):
            return "lte"
        if any(w in words for w in ("左右", "约", "上下")):
            return "approx"
        if any(w in words for w in _GT_WORDS):
            return "gt"
        return "lte" if ind.direction == "lower" else "gte"
    if any(w in words for w in (*_GT_WORDS, "多", "余", "强")):
        return "gt"
    if "以上" in words:
        return "gte"
    if any(w in words for w in _APPROX_WORDS):
        return "approx"
    return "eq"


def _time_period(text: str, outer: Anchor | None) -> Period | None:
    exprs = find_time_exprs(text, heading=True)
    if not exprs:
        return None
    return exprs[0].resolve(outer.period.end_year if outer else None)


def _groups(qs: list[Quantity], sh: str) -> list[list[Quantity]]:
    """Figures joined only by 、/和 ("25.7%、42.7%和86.0%") form one list."""
    groups: list[list[Quantity]] = []
    for q in qs:
        if groups and _LIST_JOIN_RE.fullmatch(sh[groups[-1][-1].end : q.start] or "x"):
            groups[-1].append(q)
        else:
            groups.append([q])
    return groups


@dataclass
class _State:
    subjects: list[Subject] | None = None
    last_np: Norm | None = None
    span_period: Period | None = None  # from "由2010年的…到2015年的…" for a later 年均增长
    span_code: str | None = None  # the indicator of that from-to statement
    in_sub_part: bool = False
    seen: frozenset[str] = frozenset()
    history: list[Subject] | None = None  # single subjects named so far in the sentence


def sentence_candidates(
    sh: str, sent: Sentence, cat: Catalogue, years: DocYears
) -> list[Candidate]:
    """Facts stated in one sentence of the shadow text `sh`."""
    s, off = sh[sent.start : sent.end], sent.start
    qs = []
    for m in QUANTITY_RE.finditer(s):
        q = parse_quantity(m, off)
        if q is not None and not any(a <= q.start < b for a, b in sent.masked):
            qs.append(q)
    if not qs:
        return []
    out: list[Candidate] = []
    st = _State()
    prev_end = off
    groups = _groups(qs, sh)
    sent = _mask_from_to(sh, sent, groups)
    skip_next = False
    for gi, group in enumerate(groups):
        if skip_next:
            skip_next = False
            prev_end = group[-1].end
            continue
        first = group[0]
        left = prev_end
        for i in range(first.start - 1, prev_end - 1, -1):
            if sh[i] in _CLAUSE_BOUNDARY:
                left = i + 1
                break
        _between_clauses(sh, prev_end, left, st, cat)
        raw = sh[left : first.start]
        if "其中" in sh[prev_end : first.start]:
            st.in_sub_part = True
        # 由2010年的263家增加到2015年的432家
        from_m = _FROM_RE.search(raw) if len(group) == 1 else None
        nxt = groups[gi + 1] if gi + 1 < len(groups) else None
        to_m = _TO_RE.match(sh[first.end : nxt[0].start]) if (from_m and nxt) else None
        if from_m and to_m and nxt and len(nxt) == 1:
            out.extend(
                _from_to(
                    sh,
                    sent,
                    cat,
                    st,
                    raw[: from_m.start()],
                    left,
                    first,
                    nxt[0],
                    from_m.group("t"),
                    to_m.group("t"),
                    years,
                )
            )
            skip_next = True
            prev_end = nxt[0].end
            continue
        np = analyse_np(raw, left, cat)
        suffix = _SUFFIX_RE.match(sh, group[-1].end)
        end = suffix.end() if suffix else group[-1].end
        if not np.gap.growth and all(q.base == "times" for q in group):
            prev_end = end  # "是2015年的4.1倍": a comparison, the subject carries on
            continue
        subjects: list[Subject] | None
        if np.empty:
            subjects = st.subjects
            inherited = True
            if (
                len(group) > 1
                and "分别" in np.gap.text
                and (subjects is None or len(subjects) < len(group))
            ):
                # "专利申请量7865件,授权量4325件,分别增长23.6%、18.2%"
                earlier = _distinct_tail(st.history or [], len(group))
                subjects = earlier or subjects
        elif np.subjects is None:
            bare = _strip_gap(raw)
            attr = attr_subject(st.last_np, bare, cat)
            if attr is None and st.subjects and len(st.subjects) == 1:
                # "专利申请量7865件,授权量4325件": an elliptic head completed from its neighbour
                attr = complete_subject(bare, left + raw.find(bare), st.subjects[0], cat)
            subjects = [attr] if attr else None
            inherited = False
        else:
            subjects = np.subjects
            inherited = False
        if subjects and not inherited and len(subjects) == 1 and subjects[0].code:
            st.history = [*(st.history or []), subjects[0]]
        if not np.empty:
            st.last_np = np.norm
        st.subjects = subjects
        if subjects is None:
            prev_end = end
            continue
        if not st.in_sub_part:
            st.seen = st.seen | {x.code for x in subjects if x.code}
        pairs = _distribute(subjects, group)
        new_subjects = list(subjects)
        for idx, (subject, q) in enumerate(pairs):
            cand = _candidate(
                sh,
                sent,
                cat,
                years,
                st,
                subject,
                q,
                np.gap,
                inherited,
                len(pairs) > 1,
                end if q is group[-1] else q.end,
            )
            if cand is not None:
                out.append(cand)
                if cand.code != subject.code:  # unit remap (孵化器 -> 孵化器面积) carries on
                    new_subjects[idx] = Subject(cand.code, subject.start, subject.key)
        st.subjects = new_subjects
        prev_end = end
    return out


def _distinct_tail(history: list[Subject], n: int) -> list[Subject] | None:
    """The last `n` distinct subjects named in the sentence, in order."""
    out: list[Subject] = []
    for subj in reversed(history):
        if all(x.code != subj.code for x in out):
            out.insert(0, subj)
        if len(out) == n:
            return out
    return None


def _mask_from_to(sh: str, sent: Sentence, groups: list[list[Quantity]]) -> Sentence:
    """Dates inside '由2010年的…到2015年的…' belong to the figures, not to the sentence."""
    spans = []
    for g1, g2 in pairwise(groups):
        q1, q2 = g1[-1], g2[0]
        from_m = _FROM_RE.search(sh[max(sent.start, q1.start - 16) : q1.start])
        if from_m and _TO_RE.match(sh[q1.end : q2.start]):
            spans.append((q1.start - 16, q2.end))
    if not spans:
        return sent
    local = [(at, a) for at, a in sent.local if not any(x <= at < y for x, y in spans)]
    return replace(sent, local=local)


def _strip_gap(raw: str) -> str:
    m = re.match(r"^[,，\s]*(.*?)(?:达到了|达到|达|为|超过|超|突破|近|约)?$", raw)
    return m.group(1) if m else raw


def _between_clauses(sh: str, a: int, b: int, st: _State, cat: Catalogue) -> None:
    """Clauses without figures: a bare subject list sets the subject, anything else resets it."""
    if b <= a:
        return
    text = sh[a:b]
    parts = [p for p in re.split(r"[,，:：]", text) if p.strip()]
    for part in parts:
        stripped = _SUFFIX_RE.fullmatch(part.strip())
        if stripped:
            continue
        if "其中" in part:
            st.in_sub_part = True
        start = a + text.find(part)
        np = analyse_np(part, start, cat)
        if np.subjects and not np.gap.growth:
            st.subjects = np.subjects
            st.last_np = np.norm
        else:
            st.subjects = None
            st.last_np = np.norm


def _distribute(subjects: list[Subject], group: list[Quantity]) -> list[tuple[Subject, Quantity]]:
    if len(subjects) == len(group):
        return list(zip(subjects, group, strict=True))
    return []


def _candidate(
    sh: str,
    sent: Sentence,
    cat: Catalogue,
    years: DocYears,
    st: _State,
    subject: Subject,
    q: Quantity,
    gap: Gap,
    inherited: bool,
    listed: bool,
    end: int,
) -> Candidate | None:
    if subject.code is None:
        return None
    if q.rejected and not (q.base == "times" and gap.growth and not q.is_range):
        return None
    if st.in_sub_part and (subject.code in st.seen or subject.qualifier or not st.seen):
        return None
    ind = cat.indicators[subject.code]
    value = q.value
    if gap.growth:
        if q.base == "times":  # 增长3.2倍 = +320 %
            value = value * 100
        elif q.base != "percent":
            return None
        measure = "cagr" if gap.avg else "growth*"
        unit = "percent"
        if gap.negative:
            value = -value
    else:
        if q.base == "percent" and ind.unit != "percent":
            return None
        if not compatible(ind.unit, q.base):
            remapped = remap_unit(subject, q.base, cat, compatible)
            if remapped is None or remapped.code is None:
                return None
            subject, ind = remapped, cat.indicators[remapped.code]
        measure, unit = "level", ind.unit
    kind, explicit = sent.kind, sent.kind_explicit
    clause_start = max(
        (i + 1 for i in range(sent.start, subject.start) if sh[i] in _CLAUSE_BOUNDARY),
        default=sent.start,
    )
    if kind == ACTUAL and _TARGET_CUE_RE.search(sh[clause_start : q.start]):
        kind, explicit = TARGET, True
    anchor = sent.anchor_at(q.start)
    if anchor is None:
        return None
    period, measure = _period(anchor, measure, ind, kind, st, gap, years)
    if period is None:
        return None
    words = gap.text + (q.approx or "") + sh[q.end : end]
    conf = 0.9 - 0.1 * inherited - 0.1 * listed - 0.15 * (not explicit)
    conf -= 0.1 * (not anchor.explicit)
    return Candidate(
        kind=kind,
        code=ind.code,
        measure=measure,
        value=value,
        unit=unit,
        comparator=_comparator(kind, words, ind),
        period=period,
        start=subject.start,
        end=end,
        confidence=round(max(0.1, conf), 2),
    )


def _period(
    anchor: Anchor,
    measure: str,
    ind: Indicator,
    kind: str,
    st: _State,
    gap: Gap,
    years: DocYears,
) -> tuple[Period | None, str]:
    p = anchor.period
    if measure == "growth*":
        if st.span_period is not None and st.span_code == ind.code and not gap.yoy:
            return st.span_period, "growth"  # "由2015年的1458家增加到2020年的6120家,增长3.2倍"
        if p.multi_year and not gap.yoy:
            return p, "growth"
        return (p.last_year() if p.multi_year else p), "yoy_growth"
    if measure == "cagr":
        if st.span_period is not None:
            return st.span_period, measure
        if p.multi_year:
            return p, measure
        plan = plan_containing(p.end_year) if anchor.by else None
        plan = plan or anchor.plan
        if plan is not None and plan.end_year >= p.end_year:
            return plan, measure
        return None, measure
    if anchor.by:
        if ind.is_stock or ind.unit != "count" or kind == ACTUAL:
            return p, measure
        plan = anchor.plan or plan_containing(p.end_year)
        return (plan if plan and plan.end_year == p.end_year else p), measure
    if p.multi_year:
        return (p.last_year() if ind.is_stock else p), measure
    return p, measure


def _kind_is_review(sent: Sentence) -> bool:
    """Whether the sentence reports outcomes (its section kind is actual)."""
    return sent.kind == ACTUAL


def _from_to(
    sh: str,
    sent: Sentence,
    cat: Catalogue,
    st: _State,
    raw_subject: str,
    left: int,
    q1: Quantity,
    q2: Quantity,
    t1: str | None,
    t2: str | None,
    years: DocYears,
) -> list[Candidate]:
    """Both ends of '由2010年的263家增加到2015年的432家' are levels of their own years."""
    np = analyse_np(raw_subject, left, cat)
    subjects = np.subjects if not np.empty else st.subjects
    st.subjects = subjects
    if not subjects or len(subjects) != 1 or subjects[0].code is None:
        return []
    subject = subjects[0]
    ind = cat.indicators[subject.code]
    outer = sent.anchor_at(q1.start)
    p1 = _time_period(t1, outer) if t1 else None
    p2 = _time_period(t2, outer) if t2 else (outer.period if outer else None)
    if not t1 and not t2 and outer and outer.period.multi_year and _kind_is_review(sent):
        # "“十二五”期间…比重由1.8%提高到2.3%": from the base year to the last year of the window
        p1 = Period.year(outer.period.start_year - 1)
        p2 = outer.period.last_year()
    if p1 and p2:
        st.span_period = Period(p1.start_year, p1.start_month, p2.end_year, p2.end_month)
        st.span_code = subject.code
    kind = sent.kind
    out = []
    for q, p in ((q1, p1), (q2, p2)):
        if p is None or q.rejected or not compatible(ind.unit, q.base):
            continue
        if p.multi_year:
            p = p.last_year()
        out.append(
            Candidate(
                kind,
                ind.code,
                "level",
                q.value,
                ind.unit,
                _comparator(kind, "", ind),
                p,
                subject.start,
                q.end,
                0.8,
            )
        )
    return out
