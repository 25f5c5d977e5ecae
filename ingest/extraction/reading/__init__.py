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

Modules: figures (figures, times, words, clauses), phrases (the walk back, coordination,
ellipsis), scope (whose figure it is), sentence (the reading of one sentence).
"""

from .figures import Figures, find_quantities
from .sentence import Memory, Reading, SentenceTimes, read_sentence

__all__ = ["Figures", "Memory", "Reading", "SentenceTimes", "find_quantities", "read_sentence"]
