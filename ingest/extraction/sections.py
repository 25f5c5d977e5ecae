"""Sections: which headings are in force, whether they plan or review, and their years."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["TARGET_COLON_RE", "Section", "section_kind"]

TARGET, ACTUAL = "target", "actual"

# Outermost headings ("一、…", "第二部分") may use the words loosely.
_PLAN_WORDS = re.compile(
    r"思路|目标|任务|安排|打算|要点|计划|部署|重点工作|举措|措施|展望|下步|下一步|今后|意见|方案|规划"
)
_REVIEW_WORDS = re.compile(
    r"回顾|成效|成绩|进展|情况|总结|亮点|主要成就|问题|短板|差距|不足|完成|成果|概况|回眸|取得|"
    r"发展基础|现实基础|工作基础|发展现状"
)
# Deeper headings ("(三)实施科技计划改革") need a clearer phrase.
_SUB_PLAN = re.compile(
    r"工作思路|目标任务|主要目标|预期目标|发展目标|工作目标|总体目标|工作安排|工作打算|工作要点|"
    r"下步|下一步|重点任务|主要任务|工作任务|主要指标|职责任务|年度任务|任务目标|绩效目标"
)
_SUB_REVIEW = re.compile(
    r"回顾|成效|进展|总结|亮点|情况|存在的问题|问题|短板|差距|不足|概况|发展基础|现实基础|发展现状"
)
# A title or a label line ("主要目标:", "2015年工作总结") only counts with a clear phrase.
_STRICT_PLAN = re.compile(
    r"工作要点|工作计划|工作思路|工作安排|工作打算|工作意见|主要目标|预期目标|目标任务|发展目标|"
    r"工作目标|总体目标|实施意见|实施方案|行动计划"
)
_STRICT_REVIEW = re.compile(r"工作总结|工作回顾|主要成效|工作成效|进展情况|完成情况|统计公报|概况")
# A review of one year and the plan of the next, each named with its year.
_REVIEW_THEN_PLAN_RE = re.compile(
    r"(?:19|20)\d{2}年(?:度)?[^，,。]{0,12}?(?:总结|回顾|成效|情况)[^，,。]{0,4}?"
    r"(?:及|和|与|暨|、)[^，,。]{0,6}?(?:19|20)\d{2}年(?:度)?"
)
# A list of targets announced by a colon: "主要目标是:", "2025年科技工作总体目标是:".
TARGET_COLON_RE = re.compile(
    r"(?:目标|指标|任务)(?:是|为|如下)?\s*[:：]|(?:目标|任务)如下|以下目标"
)


def section_kind(heading: str, *, level: float = 1) -> str | None:
    """'target' for a plan heading, 'actual' for a review heading, None when unclear."""
    if level == 1:
        plan_re, review_re = _PLAN_WORDS, _REVIEW_WORDS
    elif level in (0, 5) or not float(level).is_integer():  # a title or a label line
        plan_re, review_re = _STRICT_PLAN, _STRICT_REVIEW
    else:
        plan_re, review_re = _SUB_PLAN, _SUB_REVIEW
    plan = plan_re.search(heading)
    review = review_re.search(heading)
    if review and not plan:
        return ACTUAL
    if plan and not review:
        return TARGET
    if plan and review:
        if _REVIEW_THEN_PLAN_RE.search(heading):
            # "2023年度工作总结及2024年度工作计划": each year's figures are what its own
            # words say; the heading decides neither.
            return None
        # "主要工作成效" reviews, "工作思路及目标任务" plans: the later word is the head noun.
        return TARGET if plan.start() > review.start() else ACTUAL
    return None


@dataclass
class Section:
    """A heading in force: its level, whether it plans or reviews, and the window it names."""

    level: float
    kind: str | None
    anchor: object | None
    target_list: bool = False
