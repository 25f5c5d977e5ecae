"""Noun phrases: the walk back from a figure, coordination, ellipsis and counts before nouns.

Left of a figure stand, read backwards, the *gap* (what may come between a subject and its
figure: 达到, 力争突破, 同比增长, a time), the *noun phrase* (topic, attributes, modifiers,
lists) and the *qualifier zone* (whose figure it is). A phrase is resolved by composition
(catalogue.py); one without a topic completes from its antecedent ("授权16件" after
专利申请量, "合同成交额" after 技术合同).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from ..catalogue import (
    BLOCKING_MODIFIERS,
    UNSELECTIVE_ATTRIBUTES,
    Catalogue,
    Indicator,
    Phrase,
)
from ..numbers import Quantity
from .figures import Token, unknown_between

__all__ = [
    "GAP_CLASSES",
    "NP_CLASSES",
    "Left",
    "Subject",
    "build_phrase",
    "complete",
    "conjuncts",
    "distribute",
    "read_left",
    "right_noun",
]

# Classes that may stand between a subject and its figure.
GAP_CLASSES = frozenset(
    {
        "reach", "growth", "yoy", "average", "cmp", "cue_target", "cue_estimate", "cue_past",
        "respectively", "each", "on_base", "time", "double", "attr", "mod", "self", "net",
        "goal",
    }
)  # fmt: skip
NP_CLASSES = frozenset({"topic", "attr", "mod", "qual", "list", "enum", "batch"})
_VERBAL = frozenset({"reach", "cue_target", "cue_past", "cue_estimate", "growth"})
_NOMINAL = frozenset({"topic", "attr", "mod", "qual"})
_MAX_UNKNOWN = 3
# Words that stand for an earlier, longer topic: "通过认定的企业" after 高新技术企业.
_GENERIC_HEADS = ("企业", "合同", "平台", "机构", "基金", "专利")
_NOT_NOUN = frozenset(
    {"reach", "growth", "yoy", "cmp", "cue_target", "cue_past", "cue_estimate", "self",
     "other_scope", "discourse", "list", "respectively", "each", "on_base", "average", "part",
     "enum", "goal"}
)  # fmt: skip
_NOT_NOUN_RE = re.compile(r"的?(?:目标|任务|计划)|[居占比较为是达增超列位排]")


@dataclass
class Subject:
    """A phrase, the indicator it resolved to (or None), and where its quote starts."""

    phrase: Phrase
    indicator: Indicator | None
    start: int


@dataclass
class Left:
    """The text left of a group of figures, read backwards."""

    gap: list[Token]
    np: list[Token]
    zone: list[Token]
    zone_start: int
    np_start: int
    unknown: bool  # unknown words stand right before the gap: the subject is unknown


def read_left(text: str, tokens: list[Token], ends: list[int], lo: int, hi: int) -> Left:
    """Walk back from a figure at `hi` to `lo`: the gap, then the noun phrase; the rest is
    the qualifier zone."""
    idx = bisect.bisect_right(ends, hi) - 1
    gap: list[Token] = []
    np: list[Token] = []
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
        between = unknown_between(text, tok.end, cursor)
        classes = tok.classes
        if examples:
            if "mod" in classes:
                examples = False
                np.append(tok)
            elif classes & _VERBAL and not classes & {"topic", "attr", "qual"}:
                reason = "token"
                break
            cursor = tok.start
            idx -= 1
            continue
        nominal = bool(classes & _NOMINAL)
        if between and (not nominal or between > 2 or unknown + between > _MAX_UNKNOWN):
            reason = "unknown"
            break
        if not in_np and classes & {"topic", "qual", "list", "enum"}:
            in_np = not (classes & (GAP_CLASSES - {"attr", "mod"}))
            # Attributes right before the figure belong to the last conjunct of a list
            # ("专利申请量与授权量超…"), not to the gap.
            while (
                in_np
                and gap
                and gap[-1].classes & {"attr", "mod"}
                and not (gap[-1].classes & (GAP_CLASSES - {"attr", "mod"}))
            ):
                np.append(gap.pop())
        if in_np:
            if not classes & NP_CLASSES or (classes & _VERBAL and not nominal):
                reason = "token"
                break
            np.append(tok)
            examples = "enum" in classes
        else:
            if not classes & GAP_CLASSES:
                reason = "token"
                break
            gap.append(tok)
        unknown += between
        cursor = tok.start
        idx -= 1
    if reason == "start" and not examples and unknown_between(text, lo, cursor):
        reason = "unknown"
    gap.reverse()
    np.reverse()
    # Leading qualifiers ("省级", "全市") say whose figure it is: they join the zone.
    while np and np[0].classes <= {"qual", "list", "self"}:
        np.pop(0)
    np_start = np[0].start if np else (gap[0].start if gap else hi)
    if examples:
        np_start = min(np_start, cursor)  # an 等-list's examples belong to the phrase
    zone = [t for t in tokens if lo <= t.start and t.end <= np_start]
    # Unknown words right before the gap name the subject ("吸引创业就业人数22.96万人",
    # "战略性新兴产业产值增长16%").
    before_gap = text[gap[0].start - 1] if gap and gap[0].start > lo else ""
    unknown_subject = not np and (
        reason == "unknown"
        or (before_gap.isalnum() and not any(t.end == gap[0].start for t in tokens))
    )
    return Left(gap, np, zone, lo, np_start, unknown_subject)


def conjuncts(np: list[Token]) -> tuple[list[list[Token]], bool]:
    """Split a noun phrase at its list words; an 等-list keeps only the head after 等.

    Returns the conjuncts and whether the phrase was an 等-list."""
    enum_at = max((i for i, t in enumerate(np) if "enum" in t.classes), default=-1)
    if enum_at >= 0:
        lead = []
        for t in np[:enum_at]:
            if t.classes & {"topic", "list"}:
                break
            lead.append(t)
        return [lead + np[enum_at + 1 :]], True
    parts: list[list[Token]] = [[]]
    for t in np:
        if "list" in t.classes and not t.classes & {"topic", "attr", "mod"}:
            parts.append([])
        else:
            parts[-1].append(t)
    return [p for p in parts if p], False


def build_phrase(tokens: list[Token]) -> Phrase:
    """What a run of words says: topic, attributes, modifiers, qualifiers."""
    phrase = Phrase()
    for tok in tokens:
        if tok.share:
            phrase.attributes.add(tok.share)
            phrase.attribute_words.append(frozenset({tok.share}))
            continue
        if tok.hit is None:
            continue
        topics = tok.hit.values("topic")
        if topics or tok.hit.values("attr"):
            phrase.topic_last = bool(topics)
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
        if not topics and not attributes and not tok.hit.has("mod"):
            phrase.qualifiers.update(tok.hit.values("qual"))
            if tok.hit.word in _GENERIC_HEADS:
                phrase.head_word = tok.hit.word
    return phrase


def distribute(phrases: list[Phrase]) -> list[Phrase]:
    """Conjuncts share what one of them states: the head topic, the leading modifiers
    ("申请和授权专利", "专利申请量和授权量", "新增A和B")."""
    if len(phrases) < 2:
        return phrases
    for i, p in enumerate(phrases):
        if p.topic is None:
            right = next((q for q in phrases[i + 1 :] if q.topic), None)
            left = next((q for q in reversed(phrases[:i]) if q.topic), None)
            # A topic that ends its conjunct is shared with those before it ("申请和授权专利");
            # one followed by its attribute, with those after it ("专利申请量、授权量和发明专利
            # 授权量": 授权量 is the patents', not the invention patents').
            shares_left = right is not None and (right.topic_last or left is None)
            donor = right if shares_left else left
            if donor is not None:
                p.topic, p.topic_word = donor.topic, donor.topic_word
    lead = phrases[0]
    for p in phrases[1:]:
        if not p.modifiers:
            p.modifiers |= lead.modifiers & {"new"}
        p.qualifiers |= lead.qualifiers
    return phrases


def complete(
    subject: Subject,
    cat: Catalogue,
    antecedent: Phrase | None,
    q: Quantity,
    growth: bool,
) -> Subject:
    """Resolve a phrase, completing an elliptic one from its antecedent: the last phrase
    with a topic in the sentence, else in the paragraph."""
    if growth:
        return _complete(subject, cat, antecedent, None, growth)
    # A figure whose unit was left out (3500万) is in the first unit its subject takes.
    for unit in q.units:
        found = _complete(subject, cat, antecedent, unit, growth)
        if found.indicator is not None:
            return found
    return found


def _complete(
    subject: Subject,
    cat: Catalogue,
    antecedent: Phrase | None,
    unit: str | None,
    growth: bool,
) -> Subject:
    phrase = subject.phrase
    if phrase.topic is None and antecedent is not None and antecedent.topic is not None:
        head = phrase.head_word.strip("*")
        if head and not antecedent.topic_word.endswith(head):
            return Subject(phrase, None, subject.start)
        qualifiers = set(phrase.qualifiers)
        if head:
            qualifiers -= {"enterprise"}
        # What blocked the antecedent ("引导…组建基金30支") blocks its bare attributes too.
        blocking = set() if phrase.modifiers else antecedent.modifiers & BLOCKING_MODIFIERS
        if "neutral" in phrase.attributes:
            # "净增100家以上,总数达到800家": the total is the stock itself, whatever changed it.
            blocking -= {"net"}
        # "专利申请量7865件,…“十一五”累计5066件": the antecedent's attribute carries over.
        carried = antecedent.attributes - UNSELECTIVE_ATTRIBUTES
        if phrase.attributes - UNSELECTIVE_ATTRIBUTES:
            carried = set()
        trial = replace(
            phrase,
            topic=antecedent.topic,
            topic_word=antecedent.topic_word,
            attributes=phrase.attributes | carried,
            attribute_words=[*phrase.attribute_words, *([frozenset(carried)] if carried else [])],
            modifiers=phrase.modifiers | blocking,
            qualifiers=qualifiers,
        )
        found = cat.resolve(trial, unit, growth=growth)
        if found is not None or phrase.head_word:
            return Subject(trial, found, subject.start)
    found = cat.resolve(phrase, unit, growth=growth)
    if (
        found is None
        and antecedent is not None
        and phrase.topic is not None
        and not phrase.dangling
        and not phrase.attributes - UNSELECTIVE_ATTRIBUTES
    ):
        # "专利受理数389件;发明专利136件": the attribute carries over from the antecedent.
        carried = antecedent.attributes - UNSELECTIVE_ATTRIBUTES
        if carried:
            trial = replace(
                phrase,
                attributes=phrase.attributes | carried,
                attribute_words=[*phrase.attribute_words, frozenset(carried)],
            )
            found = cat.resolve(trial, unit, growth=growth)
    return Subject(phrase, found, subject.start)


def right_noun(
    text: str, tokens: list[Token], s_end: int, q: Quantity, group_end: int
) -> Phrase | None:
    """The noun a count stands before ("新认定43家高新技术企业"), or None when none follows.

    A phrase without a topic means the count is of something the catalogue does not know
    ("建成5家企业博士工作站")."""
    if q.base != "count":
        return None
    after = group_end + (1 if text[group_end : group_end + 1] == "的" else 0)
    if after >= s_end or not "\u4e00" <= text[after] <= "\u9fff":
        return None
    run: list[Token] = []
    for tok in tokens:
        if tok.end <= after:
            continue
        if tok.start != (run[-1].end if run else after):
            break
        if not tok.classes & _NOMINAL:
            break
        run.append(tok)
    if not run:
        first = next((t for t in tokens if t.start >= after), None)
        if (
            first is not None
            and first.start == after
            and (first.classes & _NOT_NOUN or first.time is not None)
        ):
            return None  # "43家,同比增长", "20家以上": no noun follows
        if _NOT_NOUN_RE.match(text, group_end):
            return None  # "20家的目标", "43家居全省第一"
    elif run[-1].end < s_end and "\u4e00" <= text[run[-1].end] <= "\u9fff":
        following = next((t for t in tokens if t.start == run[-1].end), None)
        if following is None or not following.classes & _NOT_NOUN:
            return Phrase()  # "新增20家专利优势示范企业": the noun's head is something else
    return build_phrase(run)
