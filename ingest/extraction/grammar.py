"""The function words of report Chinese: verbs, modals, comparators, cues and scope words.

These belong to the language, not to the catalogue: they say how a figure is stated (reached,
planned, estimated, exceeded), never what it measures. Each list is one class of the
grammar lexicon (see lexicon.py); the rules ask a word for its class, never for itself.
"""

from __future__ import annotations

from itertools import product

__all__ = ["GRAMMAR_ENTRIES", "GROWTH_NEGATIVE"]

# Verbs that reach a level; with 到/至/为/在 after a change verb they state the new level
# ("提高到2.5%") rather than the change ("提高0.3%").
_REACH = (
    "达到 达 实现 完成 突破 超过 超 逾 高达 约为 共有 拥有 有 获 获得 获批 共 计 共计 合计 "
    "总计 累计达到 累计达 累计 保持 保持在 稳定在 控制在 为 是 在 净 登记 实现了 "
    "达到了 完成了 突破了 超过了 分别为 分别是 分别达到 分别达 分别 年达 再 首次 首破 跨越 "
    "攀升至 攀升到 迈上 跃上 站上 累计完成 到 至 由 从 计划 可 可达 能 能够 均 "
    "已 已经 已达 已达到 将达到 要达到 需 须 力争 力争达到 力争实现 争取 争取达到 确保 "
    "确保达到 力求 努力 有望 可望 预计 预计达到 预计可 预计可达 预期 预期达到 估计 "
    "当年 全年 年 了 其 之 后 时 以 增至 升至 达至 增加至 增长至 接近 基本 超额 一举 "
    "现在 目前 当前 现有 "
    # "距2025年120亿元的目标仍有差距": the figure a gap is measured to (a target, by 的目标).
    "距 距离"
)
_CHANGE_STEMS = "增加 增长 提高 提升 上升 扩大 发展 跃升 升 增 攀升 扩展 壮大 下降 减少 降低"
_TO = "到 至 为"

# A change: "增长12%", "同比增长", "年均增长", "增幅", "比增".
_GROWTH = (
    "增长 增长了 增加 增加了 提高 提高了 提升 提升了 上升 上升了 增幅 增速 增长率 增长速度 "
    "增幅度 比增 增 下降 下降了 减少 减少了 降低 降低了 扩大 扩大了 增幅达 增速达 "
    "增长幅度 净增"
)
GROWTH_NEGATIVE = frozenset(["下降", "下降了", "减少", "减少了", "降低", "降低了"])
# "同比", "比上年", "较上年同期": the change is year on year.
_YOY = (
    "同比 比上年 较上年 比去年 较去年 比上年同期 较上年同期 比去年同期 较去年同期 比上一年 "
    "较上一年 比上年度 较上年度 与上年相比 与去年相比 同比分别 "
    "在上年基础上 在去年基础上 在上年度基础上 在上一年基础上 "
    # On a comparable basis or at comparable prices: still against the year before.
    "同口径 按同口径 可比口径 按可比口径 按可比价 按可比价格 按可比价格计算 按可比价计算"
)
_AVERAGE = "年均 年平均 平均每年 每年 年均分别 平均"
# "比去年底增长": a change since the last year end, which is no year-on-year growth.
_SINCE_YEAR_END = (
    "比去年底 比上年底 较去年底 较上年底 比去年末 比上年末 较去年末 较上年末 比年初 较年初"
)

_COMPARATORS = {
    "gt": "突破 超过 超 高于 逾 多于 超出 突破了 超过了",
    "gte": "以上 不低于 不少于 及以上 至少",
    "lte": "以内 之内 不超过 不高于 控制在 以下",
    "approx": "左右 上下 约 近 约为 接近 大约",
}

# Cue words for target versus actual and the estimate convention (docs/extraction.md).
_TARGET_CUES = (
    "力争 争取 确保 力求 预期 预期目标 拟 有望 努力 可望 预定 期望 奋斗 "
    "目标是 目标为 主要目标 发展目标 工作目标 总体目标 计划到 计划新增 计划实现 "
    "计划完成 计划投入 规划目标 规划目标为 规划目标是"
)
# 将/要 mark the future only before a verb ("将达到", "要突破"): alone they are parts of other
# words (主要, 重要, 将来).
_FUTURE_MARKERS = "将 要 将要 还将 要力争 将力争"
_FUTURE_VERBS = (
    "达到 达 突破 超过 实现 完成 建成 新增 培育 增长 提高 提升 保持 力争 争取 确保 有 形成 "
    "建设 打造 引进 认定 备案 组建"
)
_ESTIMATE_CUES = "预计 预估 估计 可达 预计可 预计全年 初步统计 初步核算"
_PAST_CUES = (
    "已 已经 已达 完成了 实现了 达到了 取得了 共完成 累计完成 超额完成 提前完成 获得 获批 "
    "顺利完成 全面完成"
)
# "目前,全市拥有高新技术企业800家": today's figures, from anywhere before them in the sentence.
_NOW_CUES = "目前 当前 现有"
# A goal named before its figure in completion talk: "完成年度目标(50亿元)的57.2%".
_GOALS = "年度目标 全年目标 目标任务 年度任务 全年任务 考核目标 考核任务 年度目标任务 全年目标任务"

# Whose figure it is: the jurisdiction itself, or somewhere else.
_SELF_SCOPE = "全市 我市 本市 该市 全县 我县 本县 全州 我州 全盟 全社会 市本级 本级 市级 全年 当年"
_OTHER_SCOPE = "全省 全国 全区域 省会经济圈 经济圈 城市圈 都市圈"
_DISCOURSE = "其中 另外 此外 同时 并且 而且 以及 尤其是 特别是 包括"
_LIST = "、 和 与 及 以及 或 或者 及其"
# A batch of a call ("申报第一批国家高新技术企业53家"): part of the noun phrase, naming nothing.
_BATCHES = " ".join(f"第{n}批" for n in "一二三四五六七八九十") + " 首批 本批 新一批"


def _reach_entries() -> list[tuple[str, str, str]]:
    entries = [(w, "reach", "") for w in _REACH.split()]
    for stem, to in product(_CHANGE_STEMS.split(), _TO.split()):
        entries.append((stem + to, "reach", ""))
        entries.append((stem + "了" + to, "reach", ""))
    return entries


def _compound_cues(entries: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """A verb that starts with a cue ("力争实现", "预计可达") carries the cue too."""
    cues = [(w, kind) for w, kind, _ in entries if kind.startswith("cue_")]
    extra = []
    for word, kind, _ in entries:
        if kind.startswith("cue_"):
            continue
        for cue, cue_kind in cues:
            if word != cue and word.startswith(cue):
                extra.append((word, cue_kind, ""))
    return extra


_ENTRIES: list[tuple[str, str, str]] = [
    *_reach_entries(),
    *((w, "growth", "") for w in _GROWTH.split()),
    *((w, "yoy", "") for w in _YOY.split()),
    *((w, "average", "") for w in _AVERAGE.split()),
    *((w, "since_year_end", "") for w in _SINCE_YEAR_END.split()),
    *((w, "cmp", code) for code, words in _COMPARATORS.items() for w in words.split()),
    *((w, "cue_target", "") for w in _TARGET_CUES.split()),
    *(
        (marker + verb, "cue_target", "")
        for marker, verb in product(_FUTURE_MARKERS.split(), _FUTURE_VERBS.split())
    ),
    *((w, "cue_estimate", "") for w in _ESTIMATE_CUES.split()),
    *((w, "cue_past", "") for w in _PAST_CUES.split()),
    *((w, "cue_now", "") for w in _NOW_CUES.split()),
    *((w, "goal", "") for w in _GOALS.split()),
    # "年度目标为…" still announces goals, as "目标为" does.
    *((w + verb, "cue_target", "") for w in _GOALS.split() for verb in "为是"),
    *((w, "self", "") for w in _SELF_SCOPE.split()),
    *((w, "other_scope", "") for w in _OTHER_SCOPE.split()),
    *((w, "discourse", "") for w in _DISCOURSE.split()),
    *((w, "list", "") for w in _LIST.split()),
    *((w, "batch", "") for w in _BATCHES.split()),
    ("等", "enum", ""),
    ("其中", "part", ""),
    ("分别", "respectively", ""),
    # One figure said of each of several things ("专利申请量、授权量均增长5%").
    ("均", "each", ""),
    ("都", "each", ""),
    ("同比分别", "respectively", ""),
    ("年均分别", "respectively", ""),
    ("净增", "net", ""),
    # "在2015年基础上增长50%": what a change is measured from (the year is its base).
    ("基础上", "on_base", ""),
    # The verb of 翻一番/翻两番 (the doublings themselves are figures: reading/figures.py).
    ("翻", "double", ""),
    ("翻了", "double", ""),
    ("翻番", "double", ""),
]

GRAMMAR_ENTRIES: list[tuple[str, str, str]] = _ENTRIES + _compound_cues(_ENTRIES)
