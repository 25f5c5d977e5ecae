"""Reading one sentence: every group of figures bound to what it measures."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ..catalogue import Catalogue, Indicator, Phrase
from ..claims import ends_with_completion_ratio
from ..grammar import GROWTH_NEGATIVE
from ..numbers import Quantity
from ..periods import TimeExpr
from ..units import compatible
from .figures import (
    CLAUSE_PUNCT,
    STRONG_PUNCT,
    Figures,
    Token,
    book_titles,
    clause_start,
    figure_groups,
    segment_end,
    sentence_tokens,
    unknown_between,
)
from .phrases import (
    NP_CLASSES,
    Left,
    Subject,
    build_phrase,
    complete,
    conjuncts,
    distribute,
    read_left,
    right_noun,
)
from .scope import (
    OTHER,
    SELF,
    ZONE,
    is_aside,
    opening_time,
    opens_clause,
    sector_subject,
    whose,
    zones,
)

__all__ = ["Memory", "Reading", "SentenceTimes", "read_sentence"]

_SUFFIX_RE = re.compile(r"(?:以上|以内|之内|左右|上下|多|余|强)?")
# "完成全年200家的任务", "1200家的规划目标": the figure is the target.
_TARGET_AFTER_RE = re.compile(r"(?:的)?(?:规划|年度|预期)?(?:目标|任务)")
_FROM_WORDS = ("从", "由")
# Zone modifiers that bear on the phrase after them: "每万名就业人员中研发人员" is a rate,
# "带动全社会研发投入" a leveraged amount.
_ZONE_MODIFIERS = frozenset({"per_capita", "leveraged"})
# A figure-less clause longer than this is a new statement: the subject does not carry on.
_LONG_ASIDE = 8


@dataclass(frozen=True)
class Reading:
    """A figure bound to the indicator it measures, before its kind and period are decided."""

    indicator: Indicator
    measure: str  # level | change | cagr ("change": year on year or total, decided by time)
    value: Decimal
    start: int  # view offset where the stated phrase starts
    end: int  # view offset after the figure and its suffix
    figure_start: int
    words: str  # the gap and suffix: evidence for the comparator
    times: tuple[TimeExpr, ...]  # in force for this figure, outermost first
    yoy: bool = False
    base: TimeExpr | None = None  # "比2010年增长": the comparison base of a change
    clause_start: int = 0
    implied_target: bool = False  # "完成全年新认定20家的目标": the figure is the target
    inherited: bool = False
    endpoint: str = ""  # "from" / "to" of "从X增长到Y"
    own_time: bool = False  # a time stated with the figure itself ("由2010年的263家")
    average: bool = False  # a level per year on average ("年均新增15家")


@dataclass
class Memory:
    """What the sentences of one paragraph tell the next: the last topic and whose it is."""

    antecedent: Phrase | None = None
    foreign: bool = False  # a zone or park is the paragraph's topic
    last_codes: tuple[str, ...] = ()  # the indicators of the last figures read


@dataclass
class SentenceTimes:
    """The time expressions of a sentence and the one it opens with."""

    exprs: list[TimeExpr]
    opening: TimeExpr | None


@dataclass
class _Gap:
    """What the words between a phrase and its figures say."""

    classes: set[str]
    growth: bool
    negative: bool
    base: TimeExpr | None  # "比2010年增长"
    local: list[TimeExpr]  # times stated with the figure ("由2010年的263家")

    @classmethod
    def of(cls, text: str, gap: list[Token]) -> _Gap:
        classes: set[str] = set()
        for tok in gap:
            classes |= tok.classes
        base = next((t.time for t in gap if t.time is not None and t.time.base), None)
        local = [t.time for t in gap if t.time is not None and not t.time.base]
        if base is not None and gap[-1].time is base:
            local, base = [base], None  # "是2007年1080亿元": the year of the figure itself
        return cls(
            classes=classes,
            growth=bool(classes & {"growth", "double"}) and not _reaches_to(text, gap),
            negative=any(t.word in GROWTH_NEGATIVE for t in gap),
            base=base,
            local=local,
        )


def _reaches_to(text: str, gap: list[Token]) -> bool:
    """ "增加到2015年的432家": a change verb with 到/至 states the new level, not the change."""
    for tok, nxt in itertools.pairwise(gap):
        if "growth" in tok.classes and nxt.time is not None and text[nxt.start] in "到至":
            return tok.end == nxt.start
    return False


def _paired(phrases: list[Phrase], group: list[Quantity]) -> list[Quantity]:
    """The figure each phrase is resolved against: its own where the lists pair one to one
    ("技术合同成交额、登记数分别为823.57亿元、23003项": money, then a count), else the first."""
    if len(phrases) == len(group):
        return list(group)
    return [group[0]] * len(phrases)


# A clause about goals or indicators in general right before 其中 ("各项指标超额完成,其中…").
_AMONG_GOALS_RE = re.compile(r"(?:指标|任务|目标)[^，,；;。]{0,10}[，,]\s*$")


_CLAUSE_REST_RE = re.compile(r"[^，,；;。]*")
_NEXT_CLAUSE_RE = re.compile(r"[，,]([^，,；;。]*)")


def _figure_follows(text: str, at: int, tokens: list[Token]) -> bool:
    """Whether another figure follows in the clause that goes on at `at`, or opens the next
    one before anything is named ("分别达到8000件,5000件")."""
    rest = _CLAUSE_REST_RE.match(text, at)
    end = rest.end() if rest else at
    if any(ch.isdigit() for ch in text[at:end]):
        return True
    following = _NEXT_CLAUSE_RE.match(text, end)
    if following is None:
        return False
    digit = next((i for i in range(*following.span(1)) if text[i].isdigit()), None)
    return digit is not None and not any(
        "topic" in t.classes for t in tokens if following.start(1) <= t.start < digit
    )


def _opens_after_colon(text: str, start: int, at: int) -> bool:
    """Whether a time opens the first statement after a colon ("主要指标稳中有进:2022年R&D
    经费…;全年…": the year is that statement's, not the list's)."""
    colon = max(text.rfind(":", start, at), text.rfind("：", start, at))
    return colon >= 0 and not text[colon + 1 : at].strip()


def _semicolon_between(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends one statement of a sentence and starts another."""
    return any(ch in STRONG_PUNCT for ch in text[start:end])


@dataclass
class _State:
    """What the reading of a sentence has learnt so far."""

    subjects: list[Subject] = field(default_factory=list)
    history: list[Subject] = field(default_factory=list)
    antecedent: Phrase | None = None
    pending: list[Phrase] = field(default_factory=list)  # a figure-less clause's subjects
    seen_group: bool = False
    foreign: bool = False  # a zone opened the sentence
    sector: bool = False  # the sentence is about a sector ("全市高新技术产业从事…")
    zone_noun: bool = False  # the nearest noun before the figures is a zone or park
    zone_until: int = -1  # figures up to here describe that zone
    part_parents: set[str] = field(default_factory=set)  # what 其中 is a part of
    part_until: int = -1
    part_subgroup: bool = False  # the 其中 clause named a subgroup of its own
    per_until: int = -1  # "每百亿元GDP专利授权数…": figures per some other quantity
    aside_base: TimeExpr | None = None  # the base year of a multiple stated as an aside
    # "分别增长8.2%和下降3.5%": the subjects whose figures are still to come, in order.
    respective: list[Subject] = field(default_factory=list)
    owned_times: set[int] = field(default_factory=set)  # times stated with earlier figures
    shared_new: bool = False  # the previous figure's clause opened with 新增/新认定
    from_code: str | None = None  # the indicator of a "从X…" figure awaiting its "…到Y"


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
    masked = book_titles(text, start, end)
    times = [
        t for t in figures.times_in(start, end) if not any(a <= t.start < b for a, b in masked)
    ]
    opening = opening_time(text, start, times)
    quantities = figures.quantities_in(start, end)
    if not quantities:
        return [], SentenceTimes(times, opening)
    sentence = _Sentence(text, start, end, cat, times, quantities, memory, jurisdiction)
    return sentence.read(), SentenceTimes(times, opening)


class _Sentence:
    """One sentence being read, group of figures by group."""

    def __init__(
        self,
        text: str,
        start: int,
        end: int,
        cat: Catalogue,
        times: list[TimeExpr],
        quantities: list[Quantity],
        memory: Memory,
        jurisdiction: str | None,
    ) -> None:
        self.text, self.start, self.end, self.cat = text, start, end, cat
        self.times, self.quantities, self.memory = times, quantities, memory
        self.jurisdiction = jurisdiction
        self.tokens = sentence_tokens(text, start, end, cat, times, quantities)
        self.ends = [t.end for t in self.tokens]
        self.openers = {t.start for t in times if opens_clause(text, start, t)}
        self.state = _State(
            foreign=memory.foreign,
            sector=sector_subject(text, start, self.tokens, quantities[0]),
        )

    def read(self) -> list[Reading]:
        """Every reading of the sentence, in order."""
        text, state = self.text, self.state
        readings: list[Reading] = []
        prev_end = self.start
        for group in figure_groups(text, self.quantities):
            first = group[0]
            clause = clause_start(text, self.start, first.start)
            lo = max(clause, prev_end)
            if first.start > 0 and text[first.start - 1] == "每":
                # "每百亿元GDP专利授权数…180件": figures per some other quantity, in this clause.
                state.per_until = segment_end(text, first.start, self.end, "，,；;")
            # A change in points ("研发投入强度提高0.2个百分点,达到2.6%") is no fact either, but
            # it names the subject of the figures after it: read as a figure that gives none.
            points = all(q.base == "pct_point" for q in group)
            aside = is_aside(text, lo, group, self.cat) and not points
            if aside or state.per_until > first.start:
                # A rank, a share of something else, a multiple: no fact, and the subject
                # stays; "是2001年的8.6倍" names the base of a change that follows.
                base = [t for t in self.times if lo <= t.start < first.start and t.base]
                if base:
                    state.aside_base = base[-1]
                prev_end = group[-1].end
                continue
            if _semicolon_between(text, prev_end, first.start):
                state.shared_new = False  # a verb is shared within a statement, not past ";"
            self._between(prev_end, clause)
            left = read_left(text, self.tokens, self.ends, lo, first.start)
            suffix = _SUFFIX_RE.match(text, group[-1].end)
            group_end = suffix.end() if suffix else group[-1].end
            readings.extend(self._group(group, left, clause, group_end))
            prev_end = group_end
        return readings

    # --- between groups ---------------------------------------------------------------------

    def _between(self, a: int, b: int) -> None:
        """Clauses without figures between two groups: a bare list of subjects is kept for
        the next figures ("A、B和C,增幅高达…"); a clause with a topic carries it on; a zone
        becomes the nearest noun; any other long clause ends the current subject."""
        if b <= a:
            return
        text, state = self.text, self.state
        state.pending = []
        pos = a
        for clause_end in [i for i in range(a, b) if text[i] in CLAUSE_PUNCT] + [b]:
            start, clause = pos, text[pos:clause_end].strip(" ,，;；:：、")
            pos = clause_end + 1
            if clause:
                self._figureless_clause(start, clause_end, clause)

    def _figureless_clause(self, start: int, end: int, clause: str) -> None:
        text, state = self.text, self.state
        toks = [t for t in self.tokens if start <= t.start and t.end <= end]
        covered = sum(t.end - t.start for t in toks)
        bare_list = all(t.classes & (NP_CLASSES | {"self", "discourse"}) for t in toks) and any(
            "topic" in t.classes for t in toks
        )
        if bare_list and unknown_between(text, start, end) - covered <= 1:
            parts, _ = conjuncts(toks)
            state.pending = distribute([build_phrase(c) for c in parts])
            if len(state.pending) == 1 and state.pending[0].topic is not None:
                # "高新技术企业:新认定35家": a label names what an elliptic figure is of.
                state.antecedent = state.pending[0]
            return
        topics = [t for t in toks if "topic" in t.classes]
        if topics:
            # "全社会R&D经费投入总量突破70亿,达到73.36亿元": the clause's subject carries on.
            head = topics[-1]
            words = [
                t
                for t in toks
                if t is head or (t.classes & {"attr", "mod", "qual"} and head.start - 4 <= t.start)
            ]
            phrase = build_phrase(words)
            state.pending = [phrase]
            state.antecedent = self.memory.antecedent = phrase
            state.subjects = []
            return
        opens_with_other = toks and toks[0].start == start and "other_scope" in toks[0].classes
        if start == self.start and opens_with_other:
            state.foreign = True  # "省会经济圈协同创新成效显著,…;R&D经费支出占GDP比重…"
        zone = next(zones(text, start, end), None)
        if any("self" in t.classes for t in toks):
            state.zone_noun = False
        elif zone is not None and not (self.jurisdiction and self.jurisdiction[:2] in zone.group()):
            # "已建成A产业园和B产业园,面积12.5万平方米": the parks are the nearest noun.
            state.zone_noun = True
        if len(clause) > _LONG_ASIDE:
            state.subjects = []

    # --- a group of figures -----------------------------------------------------------------

    def _group(
        self, group: list[Quantity], left: Left, clause: int, group_end: int
    ) -> list[Reading]:
        text, state = self.text, self.state
        if len(group) == 1 and ends_with_completion_ratio(text, clause, group[0].end):
            # "…38.6亿元,完成年度目标的64.3%,同比增长26.8%": a claim about the figure before
            # (read by claims.py), whose subject the figures after it still speak of.
            return []
        gap = _Gap.of(text, left.gap) if left.gap else _Gap(set(), False, False, None, [])
        if "since_year_end" in gap.classes or any("since_year_end" in t.classes for t in left.zone):
            return []  # "比去年底增长4710件": a change since the year end, not year on year
        if gap.growth and gap.base is None:
            gap.base = state.aside_base
        state.aside_base = None
        # A time stated with a figure ("由2015年的300家") is that figure's, unless it opens
        # the clause.
        state.owned_times.update(t.start for t in gap.local if t.start not in self.openers)
        scope = self._scope(left, gap, group)
        if left.unknown:
            state.subjects = []
            return []
        subjects, inherited, enumerated = self._subjects(group, left, gap, group_end)
        if subjects is None:
            return []
        if not subjects or state.sector or scope in (ZONE, OTHER):
            return []
        if state.foreign and scope != SELF:
            return []
        figures = list(group)
        if len(subjects) != len(group):
            several = len(subjects) > 1 and len(group) == 1
            respectively = "respectively" in gap.classes
            if several and respectively and _figure_follows(text, group_end, self.tokens):
                # "分别增长8.2%和下降3.5%": one figure each, in turn.
                state.respective = subjects[1:]
                subjects = subjects[:1]
            elif several and (respectively or "each" in gap.classes):
                # "专利申请量、授权量均增长5%", "…分别增长5%以上": the figure is each one's.
                figures = group * len(subjects)
            elif several and not enumerated:
                return []  # "海外孵化器、研发机构9家": one figure for several things
            elif len(group) > 1:
                return []  # several figures for one subject, or lists of unequal length
        in_part = state.part_until > group[0].start
        if in_part and any(s.phrase.topic for s in subjects):
            state.part_subgroup = False  # the part is a figure of an indicator, not a subgroup
        out: list[Reading] = []
        for subject, q in zip(subjects, figures, strict=False):
            ind = subject.indicator
            if ind is None or (in_part and not self._part_of_named(ind)):
                continue
            reading = self._reading(subject, ind, q, group, left, clause, group_end, gap)
            if reading is None:
                continue
            endpoint = self._endpoint(left, reading)
            if endpoint:
                state.from_code = ind.code if endpoint == "from" else None
            out.append(replace(reading, endpoint=endpoint, inherited=inherited))
        return out

    def _scope(self, left: Left, gap: _Gap, group: list[Quantity]) -> str | None:
        """Whose figures these are; updates the sentence's and paragraph's scope."""
        text, state, memory = self.text, self.state, self.memory
        scope = whose(text, left, self.jurisdiction)
        part = next((t for t in (*left.zone, *left.gap) if "part" in t.classes), None)
        if (
            part is not None
            and not state.subjects
            and _AMONG_GOALS_RE.search(text, self.start, part.start)
        ):
            # "各项考核指标均超额完成,其中全市技术合同登记22.9亿元": 其中 picks out some of the
            # goals just praised, each a figure of the jurisdiction's own.
            part = None
        if part is not None:
            # "其中发明专利申请676件": a part of what was just named, or no fact.
            named = {s.indicator.code for s in state.subjects if s.indicator}
            state.part_parents = named or set(memory.last_codes)
            state.part_until = segment_end(text, left.zone_start, self.end)
            state.part_subgroup = True
        elif (
            state.part_until > group[0].start
            and not state.part_subgroup
            and any("topic" in t.classes for t in left.np)
        ):
            # "…,其中国家级8家,孵化面积达到120万平方米": a phrase of its own ends the part,
            # unless the part named a subgroup that the rest speaks of ("其中343家中小微企业…,
            # 申请专利2857件").
            state.part_until = -1
        opening = not state.seen_group
        state.seen_group = True
        if scope == SELF:
            state.foreign = memory.foreign = False
        elif scope in (ZONE, OTHER) and opening:
            # A zone that opens the sentence is its topic, and the paragraph's if nothing else
            # is; 全省/经济圈 only the sentence's.
            state.foreign = True
            if scope == ZONE and not text[self.start : left.zone_start].strip(" ,，"):
                memory.foreign = True
        return scope

    def _subjects(
        self, group: list[Quantity], left: Left, gap: _Gap, group_end: int
    ) -> tuple[list[Subject] | None, bool, bool]:
        """(subjects, inherited, enumerated) of a group; subjects None when the group is
        about something else entirely."""
        text, state = self.text, self.state
        quals, mods, quote_start = self._zone_words(left)
        parts, enumerated = conjuncts(left.np)
        phrases = distribute([build_phrase(c) for c in parts])
        if left.np and "topic" in left.np[-1].classes:
            after = left.gap[0].start if left.gap else group[0].start
            if unknown_between(text, left.np[-1].end, after):
                phrases[-1].dangling = True  # "专利案件105件": the head noun is not the topic
        if phrases and state.shared_new and not left.gap and not any(p.modifiers for p in phrases):
            # "新增高新技术企业163家,省级科技型中小微企业796家": a verbless clause shares the verb.
            for p in phrases:
                p.modifiers.add("new")
        gap_phrase = build_phrase([t for t in left.gap if t.classes & {"attr", "mod"}])
        if not phrases and not gap_phrase.empty:
            phrases = [gap_phrase]
        elif not phrases and quals and not left.gap and state.part_until > group[0].start:
            # "其中国家级8家": the tier of the parent just named, elliptic.
            phrases = [Phrase(qualifiers=set(quals), head_word="*")]
        else:
            for p in phrases:
                p.attributes |= gap_phrase.attributes
                p.modifiers |= gap_phrase.modifiers
        if not any(p.topic for p in phrases) and len(group) == 1:
            # "新增2家省级孵化器", "建立5家企业博士工作站": a count before its noun names it.
            right = right_noun(text, self.tokens, self.end, group[-1], group_end)
            if right is not None:
                if right.topic is None:
                    state.subjects = []
                    return None, False, False
                right.modifiers |= gap_phrase.modifiers
                phrases = [right]
        if state.zone_noun and phrases and not any(p.topic for p in phrases):
            # An attribute of the zone just named ("面积…"), and what follows in the statement.
            state.zone_until = segment_end(text, group[0].start, self.end)
        state.zone_noun = False
        if state.zone_until > group[0].start:
            return None, False, False

        growth = gap.growth
        inherited = False
        if phrases and any(not p.empty or p.head_word for p in phrases):
            state.pending = []
            subjects = []
            for p, q in zip(phrases, _paired(phrases, group), strict=True):
                p.qualifiers |= quals
                p.modifiers |= mods
                subjects.append(self._complete(Subject(p, None, quote_start), q, growth))
        elif state.pending and not left.np:
            subjects = [
                self._complete(Subject(p, None, left.np_start), q, growth)
                for p, q in zip(state.pending, _paired(state.pending, group), strict=True)
            ]
            state.pending = []
        elif left.gap and state.respective and len(group) == 1:
            inherited = True
            subjects = [state.respective.pop(0)]
        elif left.gap:
            inherited = True
            subjects = list(state.subjects)
            if "respectively" in gap.classes and len(subjects) < len(group) > 1:
                subjects = self._distinct_history(len(group)) or subjects
            if any(t.hit is not None and t.word.startswith("累计") for t in left.gap):
                # "新增国家高新技术企业12家,累计达到58家": all added so far is the stock.
                subjects = [self._stock_of(s, group[0]) for s in subjects]
        else:
            subjects = []
        if not inherited:
            state.respective = []
            self._remember(subjects, left)
        return subjects, inherited, enumerated

    def _zone_words(self, left: Left) -> tuple[set[str], set[str], int]:
        """Qualifiers and modifiers of the zone that bear on the phrase, and where its quote
        starts: qualifiers right before the phrase ("规上工业研发费用", "企业专利申请") and the
        jurisdiction's own words ("全社会") belong to it."""
        quals: set[str] = set()
        mods: set[str] = set()
        adjacent = left.np_start
        for tok in reversed(left.zone):
            hit = tok.hit
            if tok.end < adjacent - 1 or hit is None or not hit.classes_any("qual", "self"):
                break
            if len(tok.word) == 1 and self._ends_a_name(tok, left):
                break  # "浙江省专利申请量": the tier word of a place's name qualifies nothing
            if hit.has("qual") and not hit.has("self"):
                quals.update(hit.values("qual"))
            adjacent = tok.start
        for tok in left.zone:
            if tok.hit is not None:
                mods.update(m for m in tok.hit.values("mod") if m in _ZONE_MODIFIERS)
        return quals, mods, adjacent

    def _ends_a_name(self, tok: Token, left: Left) -> bool:
        """Whether a word ends words the lexicon does not know ("浙江" before 省)."""
        before = tok.start - 1
        return (
            before >= left.zone_start
            and "\u4e00" <= self.text[before] <= "\u9fff"
            and not any(t.end == tok.start for t in left.zone)
        )

    def _complete(self, subject: Subject, q: Quantity, growth: bool) -> Subject:
        antecedent = self.state.antecedent or self.memory.antecedent
        return complete(subject, self.cat, antecedent, q, growth)

    def _remember(self, subjects: list[Subject], left: Left) -> None:
        state, memory = self.state, self.memory
        state.subjects = subjects
        state.shared_new = (
            bool(left.np)
            and "mod" in left.np[0].classes
            and any("new" in s.phrase.modifiers for s in subjects)
        )
        for s in subjects:
            if s.phrase.topic:
                state.antecedent = memory.antecedent = s.phrase
            if s.indicator is not None:
                state.history.append(s)
        memory.last_codes = tuple(s.indicator.code for s in subjects if s.indicator)

    def _stock_of(self, subject: Subject, q: Quantity) -> Subject:
        """The stock a subject's additions are added to: its phrase without 新增, resolved
        for the figure (none for a flow of its own)."""
        if subject.indicator is None or not subject.indicator.new:
            return subject
        phrase = replace(subject.phrase, modifiers=subject.phrase.modifiers - {"new"})
        stock = next((found for unit in q.units if (found := self.cat.resolve(phrase, unit))), None)
        return replace(subject, phrase=phrase, indicator=stock)

    def _part_of_named(self, ind: Indicator) -> bool:
        """Whether 其中 names a part of what was just named: a sub-indicator (发明专利申请 of
        专利申请量), or the additions to a stock ("高新技术企业总数1580家,其中新认定420家")."""
        parents = self.state.part_parents
        if ind.part_of in parents:
            return True
        return ind.new and any(
            (parent := self.cat.indicators.get(code)) is not None
            and parent.topic == ind.topic
            and parent.is_stock
            for code in parents
        )

    def _distinct_history(self, n: int) -> list[Subject] | None:
        """The last `n` distinct subjects of the sentence, for "…,分别增长23.6%、18.2%"."""
        out: list[Subject] = []
        for subject in reversed(self.state.history):
            if subject.indicator and all(x.indicator is not subject.indicator for x in out):
                out.insert(0, subject)
            if len(out) == n:
                return out
        return None

    # --- readings ---------------------------------------------------------------------------

    def _reading(
        self,
        subject: Subject,
        ind: Indicator,
        q: Quantity,
        group: list[Quantity],
        left: Left,
        clause: int,
        group_end: int,
        gap: _Gap,
    ) -> Reading | None:
        text = self.text
        value = q.value
        if gap.growth:
            if ind.nature == "ratio":
                return None  # a share's change is said in points, or not at all
            if q.base == "times":
                value = value * 100  # 增长3.2倍 = +320 %
            elif q.base != "percent":
                return None
            if gap.negative:
                value = -value
            measure = "cagr" if "average" in gap.classes else "change"
        else:
            if q.rejected:
                return None
            unit = next((u for u in q.units if compatible(ind.unit, u)), q.units[0])
            if not compatible(ind.unit, unit) or (unit == "percent") != (ind.unit == "percent"):
                return None
            measure = "level"
        end = group_end if q is group[-1] else q.end
        return Reading(
            indicator=ind,
            measure=measure,
            value=value,
            start=min(subject.start, q.start),
            end=end,
            figure_start=q.start,
            words="".join(text[t.start : t.end] for t in left.gap)
            + (q.approx or "")
            + text[q.end : end],
            times=tuple(self._times_in_force(left, clause, q, gap) + gap.local),
            yoy="yoy" in gap.classes,
            base=gap.base,
            clause_start=clause,
            # "完成全年200家的任务", "完成年度目标(50亿元)的57.2%": the figure is the goal.
            implied_target=not gap.growth
            and (bool(_TARGET_AFTER_RE.match(text, end)) or "goal" in gap.classes),
            own_time=bool(gap.local),
            # A level a year on average: 年均新增15家, 每年新增高新技术企业100家.
            average=not gap.growth
            and any("average" in t.classes for t in (*left.zone, *left.np, *left.gap)),
        )

    def _times_in_force(self, left: Left, clause: int, q: Quantity, gap: _Gap) -> list[TimeExpr]:
        """Clause openers before the figure anywhere in the sentence, and times of its own
        clause, but not the times other figures were stated with."""
        out = []
        for t in self.times:
            if t.start >= left.np_start or t.base:
                continue
            if t.start not in self.openers and t.start < clause:
                continue
            if t.start in self.state.owned_times and t not in gap.local:
                continue
            # "连续3年推进…": a duration speaks for its own statement, up to the semicolon; so
            # does a time that opens a statement inside the sentence ("…;1-9月财政科技支出…;
            # 高新技术企业90家": the months are the spending's, not the firms').
            if _semicolon_between(self.text, t.end, q.start) and (
                t.kind == "lastn"
                or _semicolon_between(self.text, self.start, t.start)
                or _opens_after_colon(self.text, self.start, t.start)
            ):
                continue
            out.append(t)
        return out

    def _endpoint(self, left: Left, reading: Reading) -> str:
        """'from' and 'to' of "从441家增长到1000家": both ends are levels of their own years."""
        if reading.measure != "level":
            return ""
        words = [t.word for t in left.gap if t.hit is not None]
        to = any(w.endswith(("到", "至")) for w in words)
        if any(w in _FROM_WORDS for w in words) and not to:
            return "from"
        if self.state.from_code == reading.indicator.code and (
            to or any(t.time is not None and self.text[t.start] in "到至" for t in left.gap)
        ):
            return "to"
        return ""
