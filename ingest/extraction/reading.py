"""Reading a sentence: which indicator each figure measures, and how it is stated.

A sentence is a sequence of words the lexicon knows (topics, attributes, modifiers, verbs,
cues…), time expressions and figures. For every group of figures (one figure, or figures
joined only by 、/和: "97,573件和48,113件") the text to its left, back to the clause start
or the previous group, is read backwards:

    [qualifier zone] [noun phrase: topic, attributes, modifiers, coordinations] [gap] figure

The gap holds what may stand between a subject and its figure (达到, 力争突破, 同比增长, a
time); the noun phrase is resolved by composition (catalogue.py); the qualifier zone says
whose figure it is (全市, a district, 其中, 规上工业). A small coordination parser lines up
lists ("申请和授权专利分别为…和…"), shared modifiers ("新增A 80家、B 260家"), 等-lists and
分别; a figure with no noun phrase continues the sentence's subject ("…,同比增长29%") or
completes an elliptic one ("授权16件", "总量突破550家", "合同成交额…" after 技术合同).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from .catalogue import BLOCKING_MODIFIERS, UNSELECTIVE_ATTRIBUTES, Catalogue, Indicator, Phrase
from .grammar import GROWTH_NEGATIVE
from .lexicon import Hit
from .numbers import QUANTITY_RE, Quantity, parse_quantity
from .periods import TimeExpr, find_time_exprs
from .units import compatible

__all__ = ["Figures", "Memory", "Reading", "SentenceTimes", "find_quantities", "read_sentence"]

_CLAUSE_PUNCT = "，,；;：:"
_STRONG_PUNCT = "；;"
_FILLER = frozenset("的了之“”\"'‘’「」『』《》()（） 地得着")
# Classes that may stand between a subject and its figure.
_GAP_CLASSES = frozenset(
    {
        "reach", "growth", "yoy", "average", "cmp", "cue_target", "cue_estimate", "cue_past",
        "respectively", "time", "double", "attr", "mod", "self", "net",
    }
)  # fmt: skip
_NP_CLASSES = frozenset({"topic", "attr", "mod", "qual", "list", "enum"})
_VERBAL = frozenset({"reach", "cue_target", "cue_past", "cue_estimate", "growth"})
_MAX_UNKNOWN = 3
_SUFFIX_RE = re.compile(r"(?:以上|以内|之内|左右|上下|多|余|强)?")
_BARE_RE = re.compile(
    r"(?:突破|达到|超过|入库|备案|达)(\d{2,6})(?![\d.年月日号%％万亿千百个件家项人户名所元])"
)
_ZONE_RE = re.compile(
    r"[\u4e00-\u9fff]{1,8}?(?:高新区|开发区|新区|园区|产业园|科技园|工业园|示范区|自创区|实验区|"
    r"试验区|片区|基地|经济区|保税区|科技城|科学城)"
    r"|[\u4e00-\u9fff]{1,3}[^全各市城地社园\W][区县镇乡](?!域|级|委|政府|市)"
    r"|各(?:县市区|县区|区县|县|区|镇|乡|地)"
    # an organisation: a company, a university, an institute
    r"|[\u4e00-\u9fff]{2,10}?(?:公司|集团|研究院|研究所|大学|学院|医院)"
)
_CITY_RE = re.compile(r"[\u4e00-\u9fff]{2,4}市")
_TARGET_AFTER_RE = re.compile(r"(?:的)?(?:目标|任务)")
_GENERIC_HEADS = ("企业", "合同", "平台", "机构", "基金", "专利")


@dataclass(frozen=True)
class Reading:
    """A figure bound to the indicator it measures, before its kind and period are decided."""

    indicator: Indicator
    measure: str  # level | change | cagr ("change": year on year or total, decided by time)
    value: Decimal
    start: int  # view offset where the stated phrase starts
    end: int  # view offset after the figure and its suffix
    figure_start: int
    words: str  # the gap and suffix: evidence for the comparator and the kind
    times: tuple[TimeExpr, ...]  # in force for this figure, outermost first
    yoy: bool = False
    base: TimeExpr | None = None  # "比2010年增长": the comparison base of a change
    clause_start: int = 0
    implied_target: bool = False  # "完成全年新认定20家的目标": the figure is the target
    inherited: bool = False
    endpoint: str = ""  # "from" / "to" of "从X增长到Y"
    own_time: bool = False  # a time stated with the figure itself ("由2010年的263家")


@dataclass
class Memory:
    """What the sentences of one paragraph tell the next: the last topic and whose it is."""

    topic: str | None = None
    topic_word: str = ""
    attributes: set[str] = field(default_factory=set)
    foreign: bool = False  # a zone, park or sector is the paragraph's topic
    last_codes: tuple[str, ...] = ()  # the indicators of the last figures read

    def remember(self, phrase: Phrase) -> None:
        """Keep a phrase with a topic as the antecedent of elliptic ones."""
        if phrase.topic:
            self.topic, self.topic_word = phrase.topic, phrase.topic_word
            self.attributes = set(phrase.attributes) - UNSELECTIVE_ATTRIBUTES


@dataclass
class SentenceTimes:
    """The time expressions of a sentence and the one it opens with."""

    exprs: list[TimeExpr]
    opening: TimeExpr | None


@dataclass
class _Token:
    start: int
    end: int
    classes: frozenset[str]
    hit: Hit | None = None
    time: TimeExpr | None = None
    share: str = ""

    @property
    def word(self) -> str:
        return self.hit.word if self.hit is not None else ""


@dataclass
class _Subject:
    phrase: Phrase
    indicator: Indicator | None
    start: int


@dataclass
class _Left:
    """The text left of a group of figures, read backwards."""

    gap: list[_Token]
    np: list[_Token]
    zone: list[_Token]
    zone_start: int
    np_start: int
    unknown: bool  # unknown content stands right before the gap: the subject is unknown


# --- figures and tokens ------------------------------------------------------------------------


def find_quantities(text: str) -> list[Quantity]:
    """Every figure of the view: numbers with units, and bare counts after 突破/达到."""
    found = [q for m in QUANTITY_RE.finditer(text) if (q := parse_quantity(m)) is not None]
    taken = {q.start for q in found}
    for m in _BARE_RE.finditer(text):
        if m.start(1) not in taken:
            found.append(Quantity(m.start(1), m.end(1), Decimal(m.group(1)), "bare", None))
    found.sort(key=lambda q: q.start)
    return found


def _tokens(
    text: str, start: int, end: int, cat: Catalogue, times: list[TimeExpr], qs: list[Quantity]
) -> list[_Token]:
    taken = bytearray(end - start)

    def free(a: int, b: int) -> bool:
        return not any(taken[a - start : b - start])

    def take(a: int, b: int) -> None:
        taken[a - start : b - start] = b"\x01" * (b - a)

    out: list[_Token] = []
    for q in qs:
        take(q.start, q.end)
    for t in times:
        if free(t.start, t.end):
            take(t.start, t.end)
            out.append(_Token(t.start, t.end, frozenset({"time"}), time=t))
    if cat.share_re is not None:
        for m in cat.share_re.finditer(text, start, end):
            if free(m.start(), m.end()):
                take(m.start(), m.end())
                out.append(_Token(m.start(), m.end(), frozenset({"attr"}), share=m.lastgroup or ""))
    # Words are looked up in the stretches between figures and times, so that "增加到" before
    # "2015年" still reads as 增加 (the time took 到).
    spans = sorted((t.start, t.end) for t in out) + sorted((q.start, q.end) for q in qs)
    spans.sort()
    pos = start
    for a, b in [*spans, (end, end)]:
        if a > pos:
            for hit in cat.lexicon.scan(text, pos, a):
                out.append(_Token(hit.start, hit.end, frozenset(k for k, _ in hit.senses), hit=hit))
        pos = max(pos, b)
    out.sort(key=lambda t: t.start)
    return out


def _unknown_between(text: str, a: int, b: int) -> int:
    return sum(1 for ch in text[a:b] if ch not in _FILLER)


def _read_left(text: str, tokens: list[_Token], ends: list[int], lo: int, hi: int) -> _Left:
    """Walk back from a figure: the gap, then the noun phrase; the rest is the zone."""
    idx = bisect.bisect_right(ends, hi) - 1
    gap: list[_Token] = []
    np: list[_Token] = []
    cursor = hi
    unknown = 0
    reason = "start"
    in_np = False
    examples = False  # inside the examples of an 等-list, which may name anything
    while idx >= 0:
        tok = tokens[idx]
        if tok.start < lo:
            break
        if tok.end > cursor:
            idx -= 1
            continue
        between = _unknown_between(text, tok.end, cursor)
        classes = tok.classes
        if examples:
            if classes & {"mod"}:
                examples = False
                np.append(tok)
            elif classes & _VERBAL and not classes & {"topic", "attr", "qual"}:
                reason = "token"
                break
            cursor = tok.start
            idx -= 1
            continue
        nominal = bool(classes & {"topic", "attr", "mod", "qual"})
        if between and (not nominal or between > 2 or unknown + between > _MAX_UNKNOWN):
            reason = "unknown"
            break
        if not in_np and classes & {"topic", "qual", "list", "enum"}:
            in_np = not (classes & (_GAP_CLASSES - {"attr", "mod"}))
            # Attributes right before the figure belong to the last conjunct of a list
            # ("专利申请量与授权量超…"), not to the gap.
            while in_np and gap and gap[-1].classes & {"attr", "mod"} and not (
                gap[-1].classes & (_GAP_CLASSES - {"attr", "mod"})
            ):
                np.append(gap.pop())
        if in_np:
            if not classes & _NP_CLASSES or (classes & _VERBAL and not nominal):
                reason = "token"
                break
            np.append(tok)
            if "enum" in classes:
                examples = True
        else:
            if not classes & _GAP_CLASSES:
                reason = "token"
                break
            gap.append(tok)
        unknown += between
        cursor = tok.start
        idx -= 1
    if reason == "start" and not examples and _unknown_between(text, lo, cursor):
        reason = "unknown"
    stopped_on_unknown = reason == "unknown"
    gap.reverse()
    np.reverse()
    # Leading qualifiers ("省级", "全市") say whose figure it is: they join the zone.
    while np and np[0].classes <= {"qual", "list", "self"}:
        np.pop(0)
    np_start = np[0].start if np else (gap[0].start if gap else hi)
    if examples:
        np_start = min(np_start, cursor)  # the examples of an 等-list belong to the phrase, not the zone
    zone = [t for t in tokens if lo <= t.start and t.end <= np_start]
    # Unknown words right before the gap name the subject ("吸引创业就业人数22.96万人",
    # "战略性新兴产业产值增长16%").
    before_gap = text[gap[0].start - 1] if gap and gap[0].start > lo else ""
    unknown_subject = not np and (
        stopped_on_unknown
        or (before_gap.isalnum() and not any(t.end == gap[0].start for t in tokens))
    )
    return _Left(gap, np, zone, lo, np_start, unknown_subject)


# --- phrases -----------------------------------------------------------------------------------


def _conjuncts(np: list[_Token]) -> tuple[list[list[_Token]], bool]:
    """Split a noun phrase at its list words; an 等-list keeps only the head after 等."""
    enum_at = max((i for i, t in enumerate(np) if "enum" in t.classes), default=-1)
    if enum_at >= 0:
        lead = []
        for t in np[:enum_at]:
            if t.classes & {"topic", "list"}:
                break
            lead.append(t)
        return [lead + np[enum_at + 1 :]], True
    parts: list[list[_Token]] = [[]]
    for t in np:
        if "list" in t.classes and not t.classes & {"topic", "attr", "mod"}:
            parts.append([])
        else:
            parts[-1].append(t)
    return [p for p in parts if p], False


def _phrase(tokens: list[_Token]) -> Phrase:
    phrase = Phrase()
    for tok in tokens:
        if tok.share:
            phrase.attributes.add(tok.share)
            phrase.attribute_words.append(frozenset({tok.share}))
            continue
        if tok.hit is None:
            continue
        topics = tok.hit.values("topic")
        if topics:
            if phrase.topic is not None and phrase.topic != topics[0]:
                # "高新技术企业研发投入": an earlier topic qualifies the later one, a sub-part
                # unless the indicator says so ("孵化器在孵企业": topic:incubator).
                phrase.qualifiers.add("topic:" + phrase.topic)
            phrase.topic, phrase.topic_word = topics[0], tok.hit.word
            phrase.head_word = ""
        attributes = tok.hit.values("attr")
        if attributes:
            phrase.attributes.update(attributes)
            phrase.attribute_words.append(frozenset(attributes))
        phrase.modifiers.update(tok.hit.values("mod"))
        if topics:
            continue
        if not tok.hit.has("attr") and not tok.hit.has("mod"):
            phrase.qualifiers.update(tok.hit.values("qual"))
            if tok.hit.word in _GENERIC_HEADS:
                phrase.head_word = tok.hit.word
    return phrase


def _distribute(phrases: list[Phrase]) -> list[Phrase]:
    """Conjuncts share what one of them states: the head topic, the leading modifiers."""
    if len(phrases) < 2:
        return phrases
    for i, p in enumerate(phrases):
        if p.topic is None:
            right = next((q for q in phrases[i + 1 :] if q.topic), None)
            left = next((q for q in reversed(phrases[:i]) if q.topic), None)
            donor = right or left
            if donor is not None:
                p.topic, p.topic_word = donor.topic, donor.topic_word
    lead = phrases[0]
    for p in phrases[1:]:
        if not p.modifiers:
            p.modifiers |= lead.modifiers & {"new"}
        p.qualifiers |= lead.qualifiers
    return phrases


# --- the sentence --------------------------------------------------------------------------------


@dataclass
class _State:
    subjects: list[_Subject] = field(default_factory=list)
    pending: list[Phrase] = field(default_factory=list)  # a figure-less clause's subjects
    seen_group: bool = False
    sector: bool = False  # the sentence is about a sector ("全市高新技术产业从事…")
    owned_times: set[int] = field(default_factory=set)  # times stated with earlier figures
    zone_noun: bool = False  # the nearest noun before the figures is a zone or park
    aside_base: TimeExpr | None = None  # the base year of a multiple stated as an aside
    per_until: int = -1  # "每百亿元GDP专利授权数…": figures per some other quantity
    zone_until: int = -1  # figures up to here describe that zone
    shared_new: bool = False  # the previous figure's clause opened with 新增/新认定
    from_code: str | None = None  # the indicator of a "从X…" figure awaiting its "…到Y"
    history: list[_Subject] = field(default_factory=list)
    last_phrase: Phrase | None = None
    part_parents: set[str] = field(default_factory=set)
    part_until: int = -1
    foreign: bool = False


@dataclass
class _Sentence:
    text: str
    start: int
    end: int
    cat: Catalogue
    tokens: list[_Token]
    ends: list[int]
    times: list[TimeExpr]
    openers: set[int]
    jurisdiction: str | None


@dataclass
class Figures:
    """Every figure and time expression of a view, found in one pass each."""

    quantities: list[Quantity]
    times: list[TimeExpr]

    def __post_init__(self) -> None:
        self._q_starts = [q.start for q in self.quantities]
        self._t_starts = [t.start for t in self.times]

    @classmethod
    def of(cls, text: str) -> Figures:
        """The figures and times of `text`."""
        return cls(find_quantities(text), find_time_exprs(text))

    def quantities_in(self, start: int, end: int) -> list[Quantity]:
        """Figures starting in [start, end)."""
        lo, hi = bisect.bisect_left(self._q_starts, start), bisect.bisect_left(self._q_starts, end)
        return self.quantities[lo:hi]

    def times_in(self, start: int, end: int) -> list[TimeExpr]:
        """Time expressions lying within [start, end)."""
        lo, hi = bisect.bisect_left(self._t_starts, start), bisect.bisect_left(self._t_starts, end)
        return [t for t in self.times[lo:hi] if t.end <= end]


def read_sentence(
    text: str,
    start: int,
    end: int,
    cat: Catalogue,
    figures: Figures,
    memory: Memory,
    *,
    jurisdiction: str | None = None,
) -> tuple[list[Reading], SentenceTimes]:
    """The readings of the sentence text[start:end], and its time expressions."""
    masked = _book_titles(text, start, end)
    times = [t for t in figures.times_in(start, end) if not any(a <= t.start < b for a, b in masked)]
    opening = _opening_time(text, start, times)
    qs = figures.quantities_in(start, end)
    if not qs:
        return [], SentenceTimes(times, opening)
    tokens = _tokens(text, start, end, cat, times, qs)
    sent = _Sentence(
        text, start, end, cat, tokens, [t.end for t in tokens], times,
        {t.start for t in times if _opens_clause(text, start, t)}, jurisdiction,
    )  # fmt: skip
    state = _State(foreign=memory.foreign, sector=_sector_subject(sent, qs[0]))
    readings: list[Reading] = []
    prev_end = start
    for group in _groups(text, qs):
        first = group[0]
        clause = _clause_start(text, start, first.start)
        lo = max(clause, prev_end)
        if first.start > 0 and text[first.start - 1] == "每":
            # "每百亿元GDP专利授权数…180件": figures per some other quantity, in this clause.
            state.per_until = _part_end(text, first.start, end, "，,；;")
        if _aside(text, lo, group, cat) or state.per_until > first.start:
            # A rank, a share of something else, a multiple: no fact, and the subject stays;
            # "是2001年的8.6倍" names the base of a change that follows.
            base = [t for t in times if lo <= t.start < first.start and t.base]
            if base:
                state.aside_base = base[-1]
            prev_end = group[-1].end
            continue
        _between_groups(sent, prev_end, clause, state, memory)
        left = _read_left(text, tokens, sent.ends, lo, first.start)
        suffix = _SUFFIX_RE.match(text, group[-1].end)
        group_end = suffix.end() if suffix else group[-1].end
        readings.extend(_read_group(sent, group, left, clause, group_end, state, memory))
        prev_end = group_end
    return readings, SentenceTimes(times, opening)


_SHARE_LEAD_RE = re.compile(r"[约近]?占")
_GROWTH_LEAD_RE = re.compile(r"[^，,；;]*(?:增长|增加|提高|提升|上升)了?$")


def _aside(text: str, lo: int, group: list[Quantity], cat: Catalogue) -> bool:
    """Figures that say nothing of an indicator: ranks, shares of other totals, multiples."""
    if all(q.rejected for q in group):
        if any(q.base == "times" for q in group) and _GROWTH_LEAD_RE.match(text, lo, group[0].start):
            return False  # "增长3.2倍" is a growth
        return True
    if not _SHARE_LEAD_RE.match(text, lo):
        return False
    # "占全省28.1%" is an aside; "占本级财政支出比重达到5.1%" names a catalogue share.
    share = cat.share_re.match(text, lo) if cat.share_re is not None else None
    return share is None or share.lastgroup == "share_other"


_LONG_ASIDE = 8
_OPENING_SKIP = frozenset({"time", "self", "discourse", "list"})


def _sector_subject(sent: _Sentence, first: Quantity) -> bool:
    """Whether the sentence is about a sector: its first figure's clause opens with a topic
    that a predicate of its own follows ("全市高新技术产业从事研发活动的人员15030人")."""
    clause = _clause_start(sent.text, sent.start, first.start)
    toks = [t for t in sent.tokens if clause <= t.start < first.start]
    pos = clause
    for i, tok in enumerate(toks):
        if _unknown_between(sent.text, pos, tok.start):
            return False  # the clause opens with words the lexicon does not know
        pos = tok.end
        if tok.classes & _OPENING_SKIP and "topic" not in tok.classes:
            continue
        if "topic" not in tok.classes:
            return False
        nxt = toks[i + 1].start if i + 1 < len(toks) else first.start
        return _unknown_between(sent.text, tok.end, nxt) >= 2 and nxt != tok.end
    return False


def _between_groups(sent: _Sentence, a: int, b: int, state: _State, memory: Memory) -> None:
    """Clauses without figures between two groups: a bare list of subjects is kept for the
    next figures ("A、B和C,增幅高达…"); a zone as topic marks what follows as a sub-part;
    any other long clause ends the current subject."""
    if b <= a:
        return
    text = sent.text
    state.pending = []
    pos = a
    for clause_end in [i for i in range(a, b) if text[i] in _CLAUSE_PUNCT] + [b]:
        clause = text[pos:clause_end].strip(" ,，;；:：、")
        start = pos
        pos = clause_end + 1
        if not clause:
            continue
        toks = [t for t in sent.tokens if start <= t.start and t.end <= clause_end]
        covered = sum(t.end - t.start for t in toks)
        bare_list = all(t.classes & (_NP_CLASSES | {"self", "discourse"}) for t in toks) and any(
            "topic" in t.classes for t in toks
        )
        if bare_list and _unknown_between(text, start, clause_end) - covered <= 1:
            conjuncts, _ = _conjuncts(toks)
            state.pending = _distribute([_phrase(c) for c in conjuncts])
            continue
        topics = [t for t in toks if "topic" in t.classes]
        if topics:
            # "全社会R&D经费投入总量突破70亿,达到73.36亿元": the clause's subject carries on.
            head = topics[-1]
            nearby = [t for t in toks if t.classes & {"attr", "mod", "qual"} and head.start - 4 <= t.start]
            phrase = _phrase([t for t in toks if t in nearby or t is head])
            state.pending = [phrase]
            state.last_phrase = phrase
            memory.remember(phrase)
            state.subjects = []
            continue
        zone = _ZONE_RE.search(text, start, clause_end)
        if start == sent.start and toks and toks[0].start == start and "other_scope" in toks[0].classes:
            state.foreign = True  # "省会经济圈协同创新成效显著,…;R&D经费支出占GDP比重达2.77%"
        if any("self" in t.classes for t in toks):
            state.zone_noun = False
        elif zone is not None and not (
            sent.jurisdiction and sent.jurisdiction[:2] in zone.group()
        ):
            # "已建成A产业园和B产业园,面积12.5万平方米": the parks are the nearest noun.
            state.zone_noun = True
        if len(clause) > _LONG_ASIDE:
            state.subjects = []


def _book_titles(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans inside 《book titles》, where dates name documents rather than periods."""
    out = []
    i = text.find("《", start, end)
    while i != -1:
        j = text.find("》", i, min(end, i + 62))
        if j == -1:
            break
        out.append((i, j + 1))
        i = text.find("《", j, end)
    return out


def _clause_start(text: str, lo: int, pos: int) -> int:
    for i in range(pos - 1, lo - 1, -1):
        if text[i] in _CLAUSE_PUNCT:
            return i + 1
    return lo


_LEAD_WORDS_RE = re.compile(
    r"(?:[\s\u3000]|其中|同时|另外|此外|并且|全市|我市|本市|全县|我县|全州|全年|当年|——|—|●|•|"
    r"[一二三四五六七八九十]+是|据统计|据初步统计|截至|截止|在|自|从)*$"
)


def _opens_clause(text: str, s_start: int, t: TimeExpr) -> bool:
    if _LEAD_WORDS_RE.fullmatch(text, _clause_start(text, s_start, t.start), t.start):
        return True
    # "晒出了今年上半年我市科技创新成绩单:…": a time in a clause that introduces a colon list.
    for i in range(t.end, len(text)):
        if text[i] in "：:":
            return True
        if text[i] in "，,；;。！？\n":
            return False
    return False


def _groups(text: str, qs: list[Quantity]) -> list[list[Quantity]]:
    """Figures joined only by 、/和 ("25.7%、42.7%和86.0%") form one group."""
    groups: list[list[Quantity]] = []
    for q in qs:
        if groups:
            joint = text[groups[-1][-1].end : q.start]
            if re.fullmatch(r"(?:以上|左右|多|余)?(?:、|和|与|及|以及)", joint):
                groups[-1].append(q)
                continue
        groups.append([q])
    return groups


_LEAD_IN_RE = re.compile(
    r"^[^，,。；;]{0,40}?(?:获悉|了解到|介绍|表示|指出|显示|强调|明确|提出|要求|称|说|报道|讯)"
    r"[:：,，]?"
)


def _opening_time(text: str, start: int, times: list[TimeExpr]) -> TimeExpr | None:
    """The time a sentence opens with ("2016年,…", "记者获悉,2015年…"), if any."""
    if not times:
        return None
    first = times[0]
    lead = text[start : first.start]
    lead = re.sub(r"^[\s\u3000]*(?:[一二三四五六七八九十]+是|——|—|●|•)?", "", lead)
    # A reporting lead-in ("记者从市科技局获悉,", "《规划》明确,") does not open the content.
    lead = _LEAD_IN_RE.sub("", lead)
    lead = re.sub(r"^(?:据统计|据初步统计|根据[^，,]{0,20}|截至|截止|在|自|从)[,，]?", "", lead)
    lead = lead.strip(" ,，:：“”\"")
    if lead in ("", "我市", "全市", "我县", "全县", "市", "县", "昨日", "日前", "近日") or len(lead) <= 1:
        return first
    return None


def _zone_scope(sent: _Sentence, left: _Left) -> str | None:
    """'self', 'zone' (a district, park or zone), 'other' (全省, 全国) or None (not said).

    Only the subject's places count: the start of the zone ("高新区实现…") and right before
    the phrase ("全省高新技术企业"); a place inside a predicate ("稳居全省第一方阵") does not."""
    text, jurisdiction = sent.text, sent.jurisdiction
    lo, hi = left.zone_start, left.np_start
    for tok in left.zone:
        if tok.start == lo and tok.classes & {"time", "discourse", "part"}:
            lo = tok.end
    while lo < hi and text[lo] in " ,，、“”\"":
        lo += 1
    zone = text[lo:hi]

    def placed(a: int, b: int) -> bool:
        return a == 0 or b >= len(zone.rstrip("的 "))

    stem = re.sub(r"(市|县|区|自治州|州|盟|地区)$", "", jurisdiction or "") or None
    if stem and zone.startswith(stem) and not _ZONE_RE.match(zone.replace(stem, "", 1)):
        return "self"
    for tok in left.zone:
        if "other_scope" in tok.classes and placed(tok.start - lo, tok.end - lo):
            if jurisdiction and jurisdiction.endswith("区") and tok.word == "全区":
                return "self"
            return "other"
    for m in _ZONE_RE.finditer(zone):
        if stem and stem in m.group():
            continue
        if placed(m.start(), m.end()):
            return "zone"
    for m in _CITY_RE.finditer(zone):
        name = m.group()
        if name[:-1].endswith(("全", "我", "本", "该", "城", "都", "强", "进", "范", "型")):
            continue
        if jurisdiction and stem and name.endswith(stem + "市"):
            return "self"
        if jurisdiction and placed(m.start(), m.end()):
            return "zone"
    if any("self" in tok.classes for tok in left.zone):
        return "self"
    return None


def _read_group(
    sent: _Sentence,
    group: list[Quantity],
    left: _Left,
    clause: int,
    group_end: int,
    state: _State,
    memory: Memory,
) -> list[Reading]:
    text, cat = sent.text, sent.cat
    gap_classes: set[str] = set()
    for tok in left.gap:
        gap_classes |= tok.classes
    growth = bool(gap_classes & {"growth", "double"}) and not _reaches_to(left.gap, text)
    negative = any(t.word in GROWTH_NEGATIVE for t in left.gap)
    if "since_year_end" in gap_classes or any("since_year_end" in t.classes for t in left.zone):
        return []  # "比去年底增长4710件": a change since the year end, not year on year
    base = next((t.time for t in left.gap if t.time is not None and t.time.base), None)
    local = [t.time for t in left.gap if t.time is not None and not t.time.base]
    if base is not None and left.gap and left.gap[-1].time is base:
        local, base = [base], None  # "是2007年1080亿元": the year of the figure itself
    if growth and base is None and state.aside_base is not None:
        base = state.aside_base
    state.aside_base = None
    # A time stated with a figure ("由2015年的300家") is that figure's, unless it opens the clause.
    state.owned_times.update(t.start for t in local if t.start not in sent.openers)

    # Whose figure is it?
    scope = _zone_scope(sent, left)
    zone_classes: set[str] = set()
    for tok in left.zone:
        zone_classes |= tok.classes
    if "part" in zone_classes or "part" in gap_classes:
        # "其中发明专利申请676件": a part of what was just named, or no fact.
        state.part_parents = {s.indicator.code for s in state.subjects if s.indicator} or set(
            memory.last_codes
        )
        state.part_until = _part_end(text, left.zone_start, sent.end)
    in_part = state.part_until > group[0].start
    opening_clause = not state.seen_group
    state.seen_group = True
    if scope == "self":
        state.foreign = False
        memory.foreign = False
    elif scope in ("zone", "other") and opening_clause:
        # A zone that opens the sentence is its topic, and the paragraph's if nothing else is;
        # 全省/经济圈 only for the sentence.
        state.foreign = True
        if scope == "zone" and not text[sent.start : left.zone_start].strip(" ,，"):
            memory.foreign = True
    if left.unknown:
        state.subjects = []
        return []

    # What does it measure?
    zone_quals: set[str] = set()
    zone_mods: set[str] = set()
    adjacent = left.np_start
    for tok in reversed(left.zone):
        # Qualifiers right before the phrase qualify it ("规上工业研发费用", "企业专利申请");
        # they and the jurisdiction's own words ("全社会") belong to the quote.
        if tok.end < adjacent - 1 or not (tok.hit is not None and tok.hit.classes_any("qual", "self")):
            break
        if tok.hit.has("qual") and not tok.hit.has("self"):
            zone_quals.update(tok.hit.values("qual"))
        adjacent = tok.start
    for tok in left.zone:
        if tok.hit is not None:
            # "每万名就业人员中研发人员": a rate; "带动全社会研发投入": a leveraged amount.
            zone_mods.update(m for m in tok.hit.values("mod") if m in _ZONE_MODIFIERS)
    conjuncts, enumerated = _conjuncts(left.np)
    phrases = _distribute([_phrase(c) for c in conjuncts])
    if left.np and left.np[-1].classes & {"topic"}:
        after = left.gap[0].start if left.gap else group[0].start
        if _unknown_between(text, left.np[-1].end, after):
            phrases[-1].dangling = True  # "专利案件105件": the head noun is not the topic
    if (
        phrases
        and state.shared_new
        and not left.gap
        and not any(p.modifiers for p in phrases)
    ):
        # "新增高新技术企业163家,省级科技型中小微企业796家": a verbless clause shares the verb.
        for p in phrases:
            p.modifiers.add("new")
    gap_phrase = _phrase([t for t in left.gap if t.classes & {"attr", "mod"}])
    if not phrases and not gap_phrase.empty:
        phrases = [gap_phrase]
    elif phrases:
        for p in phrases:
            p.attributes |= gap_phrase.attributes
            p.modifiers |= gap_phrase.modifiers
    inherited = False
    if not any(p.topic for p in phrases) and len(group) == 1:
        # "新增2家省级孵化器", "建立5家企业博士工作站": a count before its noun names it.
        right = _right_noun(sent, group[-1], group_end)
        if right is not None:
            if right.topic is None:
                state.subjects = []
                return []
            right.modifiers |= gap_phrase.modifiers
            phrases = [right]
    if state.zone_noun and phrases and not any(p.topic for p in phrases):
        # An attribute of the zone just named ("面积…"), and what follows in the statement.
        state.zone_until = _part_end(text, group[0].start, sent.end)
    state.zone_noun = False
    if state.zone_until > group[0].start:
        return []
    subjects: list[_Subject]
    if phrases and any(not p.empty or p.head_word for p in phrases):
        state.pending = []
        subjects = []
        for p in phrases:
            p.qualifiers |= zone_quals
            p.modifiers |= zone_mods
            subjects.append(_complete(_Subject(p, None, adjacent), cat, state, memory, group[0], growth))
    else:
        if state.pending and not left.np:
            subjects = [
                _complete(_Subject(p, None, left.np_start), cat, state, memory, group[0], growth)
                for p in state.pending
            ]
            state.pending = []
        elif left.gap:
            inherited = True
            subjects = list(state.subjects)
            if "respectively" in gap_classes and len(group) > 1 and len(subjects) < len(group):
                subjects = _distinct_tail(state.history, len(group)) or subjects
        else:
            subjects = []
    if not inherited:
        state.subjects = subjects
        state.shared_new = bool(left.np) and "mod" in left.np[0].classes and any(
            "new" in s.phrase.modifiers for s in subjects
        )
        for s in subjects:
            if s.phrase.topic:
                state.last_phrase = s.phrase
                memory.remember(s.phrase)
            if s.indicator is not None:
                state.history.append(s)
        memory.last_codes = tuple(s.indicator.code for s in subjects if s.indicator)
    if (
        not subjects
        or state.sector
        or scope in ("zone", "other")
        or (state.foreign and scope != "self")
    ):
        return []
    if len(subjects) != len(group):
        if len(subjects) > 1 and len(group) == 1 and not enumerated:
            return []  # "海外孵化器、研发机构9家": one figure for several things
        if len(group) > 1:
            return []  # several figures for one subject, or lists of unequal length
    out: list[Reading] = []
    for subject, q in zip(subjects, group, strict=False):
        ind = subject.indicator
        if ind is None:
            continue
        if in_part and ind.part_of not in state.part_parents:
            continue
        reading = _reading(sent, subject, ind, q, group, left, clause, group_end, growth, negative, base, local, gap_classes, inherited, state.owned_times)
        if reading is None:
            continue
        endpoint = _endpoint(text, left, state, reading)
        if endpoint:
            reading = replace(reading, endpoint=endpoint)
            state.from_code = ind.code if endpoint == "from" else None
        out.append(reading)
    return out


_FROM_WORDS = ("从", "由")
_ZONE_MODIFIERS = frozenset({"per_capita", "leveraged"})


def _endpoint(text: str, left: _Left, state: _State, reading: Reading) -> str:
    """'from' and 'to' of "从441家增长到1000家": both ends are levels of their own years."""
    if reading.measure != "level":
        return ""
    words = [t.word for t in left.gap if t.hit is not None]
    if any(w in _FROM_WORDS for w in words) and not any(w.endswith(("到", "至")) for w in words):
        return "from"
    if state.from_code == reading.indicator.code and (
        any(w.endswith(("到", "至")) for w in words)
        or any(t.time is not None and text[t.start] in "到至" for t in left.gap)
    ):
        return "to"
    return ""


def _reading(
    sent: _Sentence,
    subject: _Subject,
    ind: Indicator,
    q: Quantity,
    group: list[Quantity],
    left: _Left,
    clause: int,
    group_end: int,
    growth: bool,
    negative: bool,
    base: TimeExpr | None,
    local: list[TimeExpr],
    gap_classes: set[str],
    inherited: bool,
    owned_times: set[int],
) -> Reading | None:
    text = sent.text
    value = q.value
    if growth:
        if ind.nature == "ratio":
            return None  # a share's change is said in points, or not at all
        if q.base == "times":
            value = value * 100  # 增长3.2倍 = +320 %
        elif q.base != "percent":
            return None
        if negative:
            value = -value
        measure = "cagr" if "average" in gap_classes else "change"
    else:
        if q.rejected:
            return None
        unit = "count" if q.base == "bare" else q.base
        if not compatible(ind.unit, unit) or (unit == "percent") != (ind.unit == "percent"):
            return None
        measure = "level"
    end = group_end if q is group[-1] else q.end
    in_force = [
        t
        for t in sent.times
        if t.start < left.np_start
        and not t.base
        and (t.start in sent.openers or t.start >= clause)
        and (t.start not in owned_times or t in local)
        # "连续3年推进…": a duration speaks for its own statement, up to the semicolon
        and not (t.kind == "lastn" and any(ch in _STRONG_PUNCT for ch in text[t.end : q.start]))
    ]
    return Reading(
        indicator=ind,
        measure=measure,
        value=value,
        start=min(subject.start, q.start),
        end=end,
        figure_start=q.start,
        words="".join(text[t.start : t.end] for t in left.gap) + (q.approx or "") + text[q.end : end],
        times=tuple(in_force + local),
        yoy="yoy" in gap_classes,
        base=base,
        clause_start=clause,
        implied_target=bool(_TARGET_AFTER_RE.match(text, end)) and not growth,
        inherited=inherited,
        own_time=bool(local),
    )


def _reaches_to(gap: list[_Token], text: str) -> bool:
    """"增加到2015年的432家": a change verb with 到/至 states the new level, not the change."""
    for tok, nxt in zip(gap, gap[1:], strict=False):
        if "growth" in tok.classes and nxt.time is not None and text[nxt.start] in "到至":
            return tok.end == nxt.start
    return False


def _part_end(text: str, pos: int, s_end: int, stops: str = _STRONG_PUNCT) -> int:
    for i in range(pos, s_end):
        if text[i] in stops:
            return i
    return s_end


def _complete(
    subject: _Subject,
    cat: Catalogue,
    state: _State,
    memory: Memory,
    q: Quantity,
    growth: bool,
) -> _Subject:
    """Resolve a phrase, completing an elliptic one from the sentence's or paragraph's topic."""
    phrase = subject.phrase
    unit = None if growth else ("count" if q.base == "bare" else q.base)
    antecedent = state.last_phrase
    topic = antecedent.topic if antecedent else memory.topic
    topic_word = antecedent.topic_word if antecedent else memory.topic_word
    if phrase.topic is None and topic is not None:
        if phrase.head_word and not topic_word.endswith(phrase.head_word):
            return _Subject(phrase, None, subject.start)
        qualifiers = set(phrase.qualifiers)
        if phrase.head_word:
            qualifiers -= {"enterprise"}
        # What blocked the antecedent ("引导…组建基金30支") blocks its bare attributes too.
        blocking = set()
        if antecedent is not None and not phrase.modifiers:
            blocking = antecedent.modifiers & BLOCKING_MODIFIERS
        attributes = antecedent.attributes if antecedent else memory.attributes
        if phrase.attributes - UNSELECTIVE_ATTRIBUTES or not attributes - UNSELECTIVE_ATTRIBUTES:
            attributes = set()
        trial = replace(
            phrase,
            topic=topic,
            topic_word=topic_word,
            # "专利申请量7865件,…“十一五”累计5066件": the antecedent's attribute carries over.
            attributes=phrase.attributes | attributes,
            attribute_words=[*phrase.attribute_words, *([frozenset(attributes)] if attributes else [])],
            modifiers=phrase.modifiers | blocking,
            qualifiers=qualifiers,
        )
        found = cat.resolve(trial, unit, growth=growth)
        if found is not None:
            return _Subject(trial, found, subject.start)
    found = cat.resolve(phrase, unit, growth=growth)
    if (
        found is None
        and phrase.topic is not None
        and not phrase.dangling
        and not phrase.attributes - UNSELECTIVE_ATTRIBUTES
    ):
        # "专利受理数389件;发明专利136件": the attribute carries over from the antecedent.
        attributes = (antecedent.attributes if antecedent else memory.attributes) - UNSELECTIVE_ATTRIBUTES
        if attributes:
            trial = replace(
                phrase,
                attributes=phrase.attributes | attributes,
                attribute_words=[*phrase.attribute_words, frozenset(attributes)],
            )
            found = cat.resolve(trial, unit, growth=growth)
    return _Subject(phrase, found, subject.start)


_NOT_NOUN = frozenset(
    {"reach", "growth", "yoy", "cmp", "cue_target", "cue_past", "cue_estimate", "self",
     "other_scope", "discourse", "list", "respectively", "average", "part", "enum"}
)  # fmt: skip


def _right_noun(sent: _Sentence, q: Quantity, group_end: int) -> Phrase | None:
    """The noun a count stands before ("新认定43家高新技术企业"), or None when none follows.

    A phrase without a topic means the count is of something the catalogue does not know."""
    if q.base != "count":
        return None
    text = sent.text
    after = group_end + (1 if text[group_end : group_end + 1] == "的" else 0)
    if after >= sent.end or not "\u4e00" <= text[after] <= "\u9fff":
        return None
    run: list[_Token] = []
    for tok in sent.tokens:
        if tok.end <= after:
            continue
        if tok.start != (run[-1].end if run else after):
            break
        if not tok.classes & {"topic", "attr", "mod", "qual"}:
            break
        run.append(tok)
    if not run:
        first = next((t for t in sent.tokens if t.start >= after), None)
        if first is not None and first.start == after and (
            first.classes & _NOT_NOUN or first.time is not None
        ):
            return None  # "43家,同比增长", "20家以上": no noun follows
        if _NOT_NOUN_RE.match(text, group_end):
            return None  # "20家的目标", "43家居全省第一"
    elif run[-1].end < sent.end and "\u4e00" <= text[run[-1].end] <= "\u9fff":
        following = next((t for t in sent.tokens if t.start == run[-1].end), None)
        if following is None or not following.classes & _NOT_NOUN:
            return Phrase()  # "新增20家专利优势示范企业": the noun's head is something else
    return _phrase(run)


_NOT_NOUN_RE = re.compile(r"的?(?:目标|任务|计划)|[居占比较为是达增超列位排]")


def _distinct_tail(history: list[_Subject], n: int) -> list[_Subject] | None:
    out: list[_Subject] = []
    for subj in reversed(history):
        if subj.indicator and all(x.indicator is not subj.indicator for x in out):
            out.insert(0, subj)
        if len(out) == n:
            return out
    return None
