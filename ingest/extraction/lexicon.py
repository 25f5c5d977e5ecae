"""Word lists as one fast matcher: leftmost-longest hits of many words in one regex pass.

A regular expression built as a trie ("高新技术(?:产业|企业)…") matches each position in
time proportional to the word's length, not to the number of words, so the whole
vocabulary of the catalogue and of the grammar is found in one scan of a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["Hit", "Lexicon", "trie_pattern"]


def trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation of `words` shaped as a trie, longest alternatives first."""
    trie: dict = {}
    for word in words:
        if not word:
            continue
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_pattern(trie) if trie else "(?!)"


def _node_pattern(node: dict) -> str:
    ends_here = "" in node
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Greedy: the longer word is tried first; the shorter one when the longer fails.
    return f"(?:{body})?" if ends_here else body


@dataclass(frozen=True)
class Hit:
    """One word found: where, which word, and what the word lists say it is."""

    start: int
    end: int
    word: str
    senses: tuple[tuple[str, str], ...]  # (class, value) pairs

    def has(self, kind: str) -> bool:
        """Whether one of the word's senses is of class `kind`."""
        return any(k == kind for k, _ in self.senses)

    def classes_any(self, *kinds: str) -> bool:
        """Whether one of the word's senses is of one of `kinds`."""
        return any(k in kinds for k, _ in self.senses)

    def values(self, kind: str) -> list[str]:
        """The values of the word's senses of class `kind`."""
        return [v for k, v in self.senses if k == kind]


class Lexicon:
    """Words with their senses; `scan` finds them leftmost-longest without overlaps."""

    def __init__(self, entries: Iterable[tuple[str, str, str]]) -> None:
        senses: dict[str, list[tuple[str, str]]] = {}
        for word, kind, value in entries:
            bucket = senses.setdefault(word, [])
            if (kind, value) not in bucket:
                bucket.append((kind, value))
        self.senses = {w: tuple(s) for w, s in senses.items()}
        self._re = re.compile(trie_pattern(self.senses))

    def __contains__(self, word: str) -> bool:
        return word in self.senses

    def scan(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        """Hits in text[start:end], positions in `text`."""
        stop = len(text) if end is None else end
        for m in self._re.finditer(text, start, stop):
            word = m.group()
            yield Hit(m.start(), m.end(), word, self.senses[word])
