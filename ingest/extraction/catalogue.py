"""The indicator catalogue (seeds/indicators.yaml) and reading indicators by composition.

A report names an indicator as a topic (专利), an attribute (申请量) and modifiers (新增,
每万人口) in either order, with qualifiers in front (省级, 规上, 企业). The catalogue's
vocabulary lists the words; `Catalogue.resolve` turns what a phrase holds into one
indicator, checked against the unit of the figure (件 is no amount of money).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

from .grammar import GRAMMAR_ENTRIES
from .layout import build_view
from .lexicon import Lexicon
from .units import compatible

__all__ = [
    "BLOCKING_MODIFIERS",
    "DEFAULT_CATALOGUE_PATH",
    "UNSELECTIVE_ATTRIBUTES",
    "Catalogue",
    "Indicator",
    "Phrase",
    "load_catalogue",
]

DEFAULT_CATALOGUE_PATH = Path(__file__).resolve().parents[2] / "seeds" / "indicators.yaml"

# Attribute classes that name the quantity without selecting an indicator (总量; 总额 says money).
UNSELECTIVE_ATTRIBUTES = frozenset({"neutral", "amount"})
# Modifier classes that make a figure something other than any indicator's value.
BLOCKING_MODIFIERS = frozenset({"net", "applied", "high_value", "leveraged"})


@dataclass(frozen=True)
class Indicator:
    """One catalogue indicator and how reports name it."""

    code: str
    name_zh: str
    unit: str
    nature: str = "flow"
    direction: str = "higher"
    aliases: tuple[str, ...] = ()
    name_en: str = ""
    topic: str = ""
    attributes: frozenset[str] = frozenset()
    default: bool = False
    new: bool = False
    requires: frozenset[str] = frozenset()
    qualifiers: frozenset[str] = frozenset()
    excludes: frozenset[str] = frozenset()
    part_of: str | None = None

    @property
    def is_stock(self) -> bool:
        """Stocks and ratios are levels at the end of a window, not sums over it."""
        return self.nature in ("stock", "ratio")


@dataclass
class Phrase:
    """What a noun phrase says about the quantity it names."""

    topic: str | None = None
    topic_word: str = ""
    attributes: set[str] = field(default_factory=set)
    modifiers: set[str] = field(default_factory=set)
    qualifiers: set[str] = field(default_factory=set)
    head_word: str = ""  # a generic head ("企业", "合同") standing for an earlier topic
    # The senses of each attribute word: every word must fit the indicator ("项目投资" fits none).
    attribute_words: list[frozenset[str]] = field(default_factory=list)
    dangling: bool = False  # unknown words follow the topic: the head noun is something else
    topic_last: bool = False  # the topic ends the phrase ("授权专利"), no attribute after it

    @property
    def empty(self) -> bool:
        """Whether the phrase names nothing at all."""
        return not (self.topic or self.attributes or self.modifiers)


@dataclass
class Catalogue:
    """Indicators by code, the vocabulary that names them and the grammar lexicon."""

    indicators: dict[str, Indicator]
    topics: dict[str, tuple[str, ...]] = field(default_factory=dict)
    attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    patterns: dict[str, str] = field(default_factory=dict)
    modifiers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    qualifiers: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._adopt_bare_indicators()
        self._build()
        # Aliases that composition does not read become words of their own (a new alias is one
        # word in the YAML, whatever it looks like).
        unread = self.unread_aliases()
        if unread:
            for alias, code in unread:
                topic = "alias:" + code
                self.topics[topic] = (*self.topics.get(topic, ()), build_view(alias).text)
                self._aliases[topic] = code
            self._build()

    def _adopt_bare_indicators(self) -> None:
        """An indicator without a topic (an admin's one-line entry) is named by its names."""
        self._aliases: dict[str, str] = {}
        for code, ind in list(self.indicators.items()):
            if ind.topic:
                continue
            topic = "indicator:" + code
            self.indicators[code] = replace(ind, topic=topic, default=True)
            self.topics[topic] = tuple(build_view(w).text for w in (ind.name_zh, *ind.aliases) if w)

    def _build(self) -> None:
        entries: list[tuple[str, str, str]] = list(GRAMMAR_ENTRIES)
        for kind, table in (
            ("topic", self.topics),
            ("attr", self.attributes),
            ("mod", self.modifiers),
            ("qual", self.qualifiers),
        ):
            for value, words in table.items():
                entries.extend((w, kind, value) for w in words)
        # A planning verb that ends with a modifier keeps it: "将新增", "计划新增" are one word
        # (a target's cue), and still say the firms are new ones.
        endings = [(w, value) for value, words in self.modifiers.items() for w in words]
        entries.extend(
            (word, "mod", value)
            for word, kind, _ in GRAMMAR_ENTRIES
            if kind == "cue_target"
            for ending, value in endings
            if word != ending and word.endswith(ending)
        )
        self.lexicon = Lexicon(entries)
        self.share_re = (
            re.compile("|".join(f"(?P<{k}>{p})" for k, p in self.patterns.items()))
            if self.patterns
            else None
        )
        # Whole surface forms read as one word: a share pattern at their end is part of them.
        self.alias_words = frozenset(w for topic in self._aliases for w in self.topics[topic])
        self.longest_alias = max(map(len, self.alias_words), default=0)
        self.by_topic: dict[str, list[Indicator]] = {}
        for ind in self.indicators.values():
            self.by_topic.setdefault(ind.topic, []).append(ind)
        for topic, code in self._aliases.items():
            self.by_topic[topic] = [
                replace(self.indicators[code], default=True, attributes=frozenset())
            ]

    # --- resolution ------------------------------------------------------------------------

    def resolve(
        self, phrase: Phrase, unit: str | None, *, growth: bool = False
    ) -> Indicator | None:
        """The one indicator a phrase names for a figure in `unit`, or None.

        `unit` is the parsed base unit of the figure (None for a growth rate, which fits any
        indicator whose level the phrase names).
        """
        blocking = BLOCKING_MODIFIERS - ({"net"} if growth else set())
        if phrase.modifiers & blocking:
            return None
        if phrase.topic is not None:
            candidates = list(self.by_topic.get(phrase.topic, ()))
        else:
            candidates = self._by_selector(phrase)
        if "amount" in phrase.attributes:
            candidates = [c for c in candidates if c.unit == "CNY"]
        specific = phrase.attributes - UNSELECTIVE_ATTRIBUTES
        if specific:
            candidates = [c for c in candidates if c.attributes & specific]
            words = [w for w in phrase.attribute_words if w - UNSELECTIVE_ATTRIBUTES]
            candidates = [c for c in candidates if all(w & c.attributes for w in words)]
        if not growth and unit is not None:
            candidates = [c for c in candidates if compatible(c.unit, unit)]
            if unit == "percent" and phrase.topic not in self._aliases:
                # A share or a rate needs its attribute: a bare "研发投入2.5%" is no intensity.
                # A whole alias ("全社会R&D占比") names the share itself.
                candidates = [c for c in candidates if c.attributes & specific]
        candidates = [
            c
            for c in candidates
            if c.requires <= phrase.modifiers and not c.excludes & phrase.modifiers
        ]
        if "per_capita" in phrase.modifiers:
            candidates = [c for c in candidates if "per_capita" in c.requires]
        candidates = self._by_newness(
            candidates, "new" in phrase.modifiers, "cumulative" in phrase.modifiers
        )
        if not specific and len(candidates) > 1:
            defaults = [c for c in candidates if c.default]
            candidates = defaults or candidates
        if len(candidates) != 1:
            return None
        found = candidates[0]
        if not self._qualifiers_allowed(found, phrase.qualifiers):
            return None
        return found

    def _by_selector(self, phrase: Phrase) -> list[Indicator]:
        """Without a topic, the indicators a required modifier singles out ("实现落地转化")."""
        wanted = phrase.modifiers & {"transfer"}
        if not wanted:
            return []
        return [ind for ind in self.indicators.values() if wanted <= ind.requires]

    @staticmethod
    def _by_newness(candidates: list[Indicator], new: bool, cumulative: bool) -> list[Indicator]:
        if new:
            fresh = [c for c in candidates if c.new]
            if fresh:
                return fresh
            if cumulative:
                # "累计培育技术经纪人150人": all added so far is the stock itself.
                return [c for c in candidates if c.is_stock]
            # Additions to a flow are the flow itself; additions to a stock are not its level.
            return [c for c in candidates if not c.is_stock]
        return [c for c in candidates if not c.new]

    @staticmethod
    def _qualifiers_allowed(ind: Indicator, qualifiers: set[str]) -> bool:
        return qualifiers <= ind.qualifiers

    # --- lookups --------------------------------------------------------------------------

    def read_phrase(self, text: str) -> Phrase:
        """The topic, attributes and modifiers a standalone phrase holds (for aliases and tests)."""
        phrase = Phrase()
        for hit in self.lexicon.scan(text):
            topics = hit.values("topic")
            if topics:
                phrase.topic, phrase.topic_word = topics[0], hit.word
            phrase.attributes.update(hit.values("attr"))
            if hit.values("attr"):
                phrase.attribute_words.append(frozenset(hit.values("attr")))
            phrase.modifiers.update(hit.values("mod"))
            if not topics:
                phrase.qualifiers.update(hit.values("qual"))
        if self.share_re is not None:
            for m in self.share_re.finditer(text):
                phrase.attributes.add(m.lastgroup or "")
        return phrase

    def unread_aliases(self) -> list[tuple[str, str]]:
        """Aliases the composition does not read as their own indicator: (alias, code)."""
        out = []
        for ind in self.indicators.values():
            for alias in (ind.name_zh, *ind.aliases):
                surface = build_view(alias).text
                for prefix in ("全社会", "全市", "市本级", "本级", "市级"):
                    surface = surface.removeprefix(prefix)
                unit = "count" if ind.unit == "per_10k_people" else ind.unit
                found = self.resolve(self.read_phrase(surface), unit)
                if found is None or found.code != ind.code:
                    out.append((alias, ind.code))
        return out


def _strings(values: Iterable | None) -> tuple[str, ...]:
    return tuple(str(v) for v in values or ())


def _load(path: Path) -> Catalogue:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    vocabulary = data.get("vocabulary") or {}
    indicators: dict[str, Indicator] = {}
    for row in data.get("indicators", []):
        ind = Indicator(
            code=str(row["code"]),
            name_zh=str(row.get("name_zh", "")),
            name_en=str(row.get("name_en", "")),
            unit=str(row.get("unit", "count")),
            nature=str(row.get("nature", "flow")),
            direction=str(row.get("direction", "higher")),
            aliases=_strings(row.get("aliases")),
            topic=str(row.get("topic") or ""),
            attributes=frozenset(_strings(row.get("attributes"))),
            default=bool(row.get("default", False)),
            new=bool(row.get("new", False)),
            requires=frozenset(_strings(row.get("requires"))),
            qualifiers=frozenset(_strings(row.get("qualifiers"))),
            excludes=frozenset(_strings(row.get("excludes"))),
            part_of=row.get("part_of"),
        )
        indicators[ind.code] = ind

    def table(name: str) -> dict[str, tuple[str, ...]]:
        return {str(k): _strings(v) for k, v in (vocabulary.get(name) or {}).items()}

    return Catalogue(
        indicators,
        topics=table("topics"),
        attributes=table("attributes"),
        patterns={str(k): str(v) for k, v in (vocabulary.get("patterns") or {}).items()},
        modifiers=table("modifiers"),
        qualifiers=table("qualifiers"),
    )


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Catalogue:
    return _load(Path(path))


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load indicators.yaml (default: the project's seeds/indicators.yaml), cached per version."""
    p = Path(path) if path is not None else DEFAULT_CATALOGUE_PATH
    return _load_cached(str(p.resolve()), p.stat().st_mtime)
