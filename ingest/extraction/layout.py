"""The layout pass: a clean view of the text with a map back to it, cut into blocks.

Reports arrive as web pages, reposts in traditional characters with pinyin glosses
("創(chuàng)新"), and PDF text with spaces inside words and numbers ("增长 12.9 %") and hard
line breaks inside sentences. The rules read a *view*: the shadow text (full-width forms
folded, traditional characters simplified) with such noise removed and canonical spellings
of common terms, where every character remembers its offset in the original text, so that
spans and quotes always point into what was posted.

The view is then cut into blocks: headings (with their level), list items and paragraphs.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field

from .text import shadow

__all__ = ["Block", "View", "build_view", "iter_sentences", "split_blocks"]

# --- the view ----------------------------------------------------------------------------------

# Inline pinyin glosses of converter-made reposts: 創(chuàng)新, 驅(qū)動(dòng).
_PINYIN_RE = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}[)）]")
_HSPACE = " \t\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff"
_HSPACE_RE = re.compile(f"[{_HSPACE}]+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
# Parenthetical glosses after a word that hold no figure: "(R&D)", "(工程技术研究中心和…)".
_GLOSS_RE = re.compile(r"(?<=[\u4e00-\u9fffA-Za-z\"”》])[(（][^()（）\n\d]{1,30}[)）]")
# Canonical spellings: surface variants of one term read alike (the longest first).
_CANON: tuple[tuple[str, str], ...] = (
    ("科学研究与试验发展", "研发"),
    ("科学研究与实验发展", "研发"),
    ("研究与试验发展", "研发"),
    ("研究与实验发展", "研发"),
    ("研究和试验发展", "研发"),
    ("研究和实验发展", "研发"),
    ("研究与开发", "研发"),
    ("研究开发", "研发"),
    ("R&D", "研发"),
    ("R＆D", "研发"),
    ("r&d", "研发"),  # as some pages write it
    ("r＆d", "研发"),
    ("国内生产总值", "GDP"),
    ("地区生产总值", "GDP"),
    ("生产总值", "GDP"),
    ("规模以上", "规上"),
)
_CANON_RE = re.compile("|".join(re.escape(a) for a, _ in _CANON))
_CANON_MAP = dict(_CANON)


@dataclass(frozen=True)
class View:
    """Normalised text for the rules, with each character's offset in the original text."""

    text: str
    index: list[int]
    original_length: int

    def origin(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span of view span [start, end)."""
        if start >= end:
            at = self.index[start] if start < len(self.index) else self.original_length
            return at, at
        return self.index[start], self.index[end - 1] + 1


def _removable_space(text: str, start: int, end: int) -> bool:
    """Whitespace inside a line goes unless it separates two ASCII words ("2017-07-24 10:09")."""
    before = text[start - 1] if start > 0 else "\n"
    after = text[end] if end < len(text) else "\n"
    if before == "\n" or after == "\n":
        return True
    return not (_ASCII_WORD.match(before) and _ASCII_WORD.match(after))


_TAB_BETWEEN_CELLS_RE = re.compile(r"(?<=\S)[ \t]*\t[ \t]*(?=\S)")
_TABLE_ROW_RE = re.compile(r"\S\s*[|\t]\s*\S")
# A printed page's number on a line of its own ("— 2 —", "- 12 -", "第3页", "第3页 共10页"):
# a PDF's text puts it wherever the page broke, often inside a sentence.
_PAGE_NUMBER_RE = re.compile(
    r"[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
)


# Wide characters (East Asian width W or F): CJK and its punctuation, kana, Hangul, full-width
# forms. One regex pass per line: a long report has hundreds of thousands of characters.
_WIDE_RE = re.compile("[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f"
                      "\uff00-\uff60\uffe0-\uffe6]")  # fmt: skip


def _columns(line: str) -> int:
    """Columns a line takes when set: two for a wide (Chinese) character, one for others."""
    return len(line) + len(_WIDE_RE.findall(line))


def _wrapped_line_ends(lines: list[str]) -> set[int]:
    """Indices of lines that a PDF wrapped in mid-sentence and that continue on the next line.

    A document is wrapped when many of its lines reach about the same width without ending
    a sentence; only there are lines that reach that width joined to the next one.
    """
    bodies = [line.strip(_HSPACE + "\r\n") for line in lines]
    # Widths as the page set them: a Chinese character takes two columns, a digit or a
    # space one, so a line of figures ("367.1 亿元,增长 17.1%") is as full as one of words.
    widths = [_columns(b) for b in bodies]
    lengths = [w for w in widths if w]
    if len(lengths) < 6:
        return set()
    width = statistics.quantiles(lengths, n=10)[-1] if len(lengths) >= 10 else max(lengths)
    if width < 12:
        return set()
    full = [
        i
        for i, b in enumerate(bodies)
        if widths[i] >= 0.8 * width and b[-1] not in "。！？；：!?;:"
    ]
    if len(full) < max(3, 0.3 * len(lengths)):
        return set()
    joined = set()
    for i in full:
        if i + 1 >= len(lines) or not bodies[i + 1]:
            continue
        nxt = lines[i + 1]
        if nxt[:1] in _HSPACE or _MARKER_RE.match(bodies[i + 1]):
            continue  # an indented or numbered line starts a new paragraph
        if _TABLE_ROW_RE.search(bodies[i]) or _TABLE_ROW_RE.search(bodies[i + 1]):
            continue  # rows of a table ("指标 | 2020年 | 2025年") are lines of their own
        joined.add(i)
    return joined


def build_view(text: str) -> View:
    """The view of `text` the rules read (see the module docstring)."""
    # A tab between two cells of a row (a Word table, a spreadsheet's paste) reads as the
    # cell border "|": the spaces around it go, the border stays (reading tables: tables.py).
    sh = _TAB_BETWEEN_CELLS_RE.sub(lambda m: m.group().replace("\t", "|"), shadow(text))
    drop = bytearray(len(sh))
    for m in _PINYIN_RE.finditer(sh):
        if m.start() > 0 and "\u4e00" <= sh[m.start() - 1] <= "\u9fff":
            drop[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    for m in _GLOSS_RE.finditer(sh):
        drop[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    for m in _HSPACE_RE.finditer(sh):
        if _removable_space(sh, m.start(), m.end()):
            drop[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    lines = sh.split("\n")
    page_numbers = {
        i for i, line in enumerate(lines) if _PAGE_NUMBER_RE.fullmatch(line.strip(_HSPACE + "\r"))
    }
    # Lines are wrapped or not as if the page numbers between them were not there.
    kept = [i for i in range(len(lines)) if i not in page_numbers]
    wrapped = {kept[j] for j in _wrapped_line_ends([lines[i] for i in kept])}
    pos = 0
    for i, line in enumerate(lines):
        if i in page_numbers:
            end = min(pos + len(line) + 1, len(drop))  # the line and its newline
            drop[pos:end] = b"\x01" * (end - pos)
        pos += len(line)
        if i in wrapped and pos < len(sh):
            drop[pos] = 1  # the newline that wrapped a sentence
        pos += 1
    chars: list[str] = []
    index: list[int] = []
    start = 0
    # Runs of kept characters are copied in slices: most of a report is kept as it is.
    for m in re.finditer(rb"\x01+", bytes(drop)):
        chars.append(sh[start : m.start()])
        index.extend(range(start, m.start()))
        start = m.end()
    chars.append(sh[start:])
    index.extend(range(start, len(sh)))
    view_text = "".join(chars)
    view_text, index = _canonical(view_text, index)
    return View(view_text, index, len(text))


def _canonical(text: str, index: list[int]) -> tuple[str, list[int]]:
    if not _CANON_RE.search(text):
        return text, index
    out: list[str] = []
    out_index: list[int] = []
    pos = 0
    for m in _CANON_RE.finditer(text):
        out.append(text[pos : m.start()])
        out_index.extend(index[pos : m.start()])
        repl = _CANON_MAP[m.group()]
        span = index[m.start() : m.end()]
        out.append(repl)
        # The first character stands for the start of the span, the last for its end.
        out_index.extend(span[min(j, len(span) - 1)] for j in range(len(repl) - 1))
        out_index.append(span[-1])
        pos = m.end()
    out.append(text[pos:])
    out_index.extend(index[pos:])
    return "".join(out), out_index


# --- blocks ------------------------------------------------------------------------------------

HEADING, ITEM, PARAGRAPH = "heading", "item", "paragraph"

_CN = "一二三四五六七八九十"
_MARKER_RE = re.compile(
    rf"(?P<part>第[{_CN}]+[部分章篇])"
    rf"|(?P<sect>第[{_CN}]+节)"
    rf"|(?P<l1>[{_CN}]+\s*[、.．])"
    rf"|(?P<l2>[(（][{_CN}]+[)）][、.．]?)"
    r"|(?P<l3>\d{1,2}\s*[、.．](?!\d))"
    r"|(?P<l4>[(（]\d{1,2}[)）]|\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩])"
    r"|(?P<bracket>【[^】\n]{1,30}】)"
    r"|(?P<bullet>[●•◆◇▲△■□▪▶►★☆✓√]|——(?!\d)|-(?!\d))"
)
_LEVELS = {"part": 1, "sect": 2, "l1": 1, "l2": 2, "l3": 3, "l4": 4, "bracket": 3}
_SENTENCE_PUNCT = "。！？!?；;"


@dataclass
class Block:
    """A line of the view: a heading, a list item or a paragraph.

    `head_end` is where a heading's own text ends (a numbered line may go on with a body:
    "(一)科技指标保持快增态势。坚持…"); `level` orders headings (1 outermost, 5 a title or
    a label; a label that heads a numbered list sits half a level above it: 2.5 over "1.").
    """

    kind: str
    start: int
    end: int
    level: float = 0
    head_end: int = 0
    marker: str = ""
    sentences: list[tuple[int, int]] = field(default_factory=list)


def _head_extent(text: str, body_from: int, end: int) -> int | None:
    """End of a numbered line's heading text, or None when the line is a sentence."""
    stop = end
    for i in range(body_from, end):
        if text[i] in "。；;！？!?:：":
            stop = i
            break
    if stop == end:
        return end if end - body_from <= 60 else None
    return stop if stop - body_from <= 40 else None


def split_blocks(view: View) -> list[Block]:
    """Cut the view into headings, list items and paragraphs, one per line."""
    text = view.text
    blocks: list[Block] = []
    pos = 0
    first_content = True
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        m = _MARKER_RE.match(line)
        block: Block
        if m:
            group = m.lastgroup or ""
            body_from = start + m.end()
            if group == "bullet":
                block = Block(ITEM, start, end, marker=m.group())
            elif group == "bracket":
                # "【高新技术产业发展竞进提速提质】全年…": a topic label, then the paragraph;
                # "【媒体解读】佛山科技发展“十四五”规划发布": a title.
                rest = text[body_from:end]
                title = len(rest) <= 40 and not re.search(r"[。；;，,]", rest)
                head_end = end if title else body_from
                block = Block(HEADING, start, end, level=3, head_end=head_end, marker=m.group())
                block.sentences = list(_sentences(text, body_from, end))
                blocks.append(block)
                first_content = False
                continue
            else:
                head_end = _head_extent(text, body_from, end)
                if head_end is None:
                    block = Block(ITEM, start, end, level=_LEVELS[group], marker=m.group())
                else:
                    block = Block(
                        HEADING,
                        start,
                        end,
                        level=_LEVELS[group],
                        head_end=head_end,
                        marker=m.group(),
                    )
        elif len(line) <= 40 and not re.search(r"[。；;，,]", line):
            # A short line without sentence punctuation is a title or a label ("主要目标:").
            block = Block(HEADING, start, end, level=0 if first_content else 5, head_end=end)
        else:
            block = Block(PARAGRAPH, start, end)
        # A list marker ("5.", "(一)", "●") is no part of the first sentence.
        body = start + len(block.marker) if block.marker else start
        block.sentences = list(_sentences(text, body, end))
        blocks.append(block)
        first_content = False
    _labels_over_lists(blocks)
    return blocks


def _labels_over_lists(blocks: list[Block]) -> None:
    """A label line right above a numbered list heads it ("2024年主要目标" over "1.新增…",
    "2.…"): it stays in force over the list's items, until a heading outside the list."""
    for block, nxt in itertools.pairwise(blocks):
        label = block.kind == HEADING and block.level == 5 and not block.marker
        if label and nxt.marker and 1 <= nxt.level <= 4:
            block.level = nxt.level - 0.5


_SENTENCE_RE = re.compile(r"[^。！？!?]+[。！？!?]?|[。！？!?]")


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences of a block: up to 。！？ (a semicolon ends a clause, not a sentence)."""
    for m in _SENTENCE_RE.finditer(text, start, end):
        if not m.group().isspace():
            yield m.start(), m.end()


def iter_sentences(blocks: list[Block]) -> Iterator[tuple[Block, int, int]]:
    """Every sentence with the block it belongs to."""
    for block in blocks:
        for start, end in block.sentences:
            yield block, start, end
