"""Document-level facts: publication date, jurisdiction, the years a report is about, its type."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .numbers import parse_year

__all__ = [
    "DocYears",
    "document_prior",
    "infer_jurisdiction",
    "infer_published",
    "infer_title",
    "infer_years",
]

_HEAD_LINES = 14

_YMD = r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
_DATE_PATTERNS = (
    # 成文日期: 2017-02-13 / 发布时间:2014-12-05 / 公文生成日期:2025-03-11
    re.compile(
        r"(?:成文日期|发布日期|发布时间|发文日期|印发日期|生成日期|日期|时间|发布)\s*[:：|]?\s*\|?\s*"
        + _YMD
    ),
    # a date alone on a line, maybe with a time, a weekday, brackets or pipes around it
    re.compile(
        r"^[\s|()（）\[\]【】-]*" + _YMD + r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
        r"(?:\s*星期[一二三四五六日天])?[\s)）\]】|]*(?:\[?来源|$)",
        re.MULTILINE,
    ),
    # 16.03.2016  16:32
    re.compile(
        r"^\s*(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d{2})(?:\s+\d{1,2}:\d{2})?\s*$",
        re.MULTILINE,
    ),
    # a document number followed by its date: "通政办发〔2012〕59号 2012年3月19日"
    re.compile(r"〔(?:19|20)\d{2}〕\d+号\s*" + _YMD),
    # a speech's subtitle: "——2024年1月18日在某市第十七届人民代表大会第三次会议上"
    re.compile(r"^[\s—－-]*[(（]?" + _YMD + r"在[^\n]{2,60}?(?:会议|大会|会)上", re.MULTILINE),
)
_SIGNATURE_RE = re.compile(
    r"^\s*[(（]?(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日[)）]?\s*$", re.MULTILINE
)


def _valid(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def infer_published(text: str) -> date | None:
    """The publication date printed in the header, or a signature date on a line of its own."""
    lines = text.splitlines()
    head = "\n".join(lines[:_HEAD_LINES])
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(head):
            found = _valid(m.group("y"), m.group("m"), m.group("d"))
            if found:
                return found
    for m in _SIGNATURE_RE.finditer(text):
        found = _valid(m.group("y"), m.group("m"), m.group("d"))
        if found:
            return found
    return None


# --- title ------------------------------------------------------------------------------------

# Page furniture that stands where a title would: dates, 索引号 tables, greetings, bylines,
# "label: value" lines (作者：, 点击数：, 【字体：大 中 小】) and the site's own links.
_NOT_TITLE_RE = re.compile(
    r"今天是|索引号|发布机构|发文机关|公开方式|日期[:：]|发布时间|来源[:：]|浏览|字号|[:：]$|"
    r"分享|打印|关闭|当前位置|首页|[|｜]|^[-\d\s:./年月日星期一二三四五六七日]+$|"
    r"^[A-Za-z]{1,10}[:：]|登录|注册|^\W*$|"
    r"^\W{0,2}[\u4e00-\u9fff]{1,6}\s*[:：]|字体|点击|阅读次数|访问量|责任编辑|网站地图|"
    r"加入收藏|无障碍|繁體|手机版|^English$"
)
# Shorter lines are links or labels ("繁體", "搜索"), not a report's title.
_TITLE_MIN_LENGTH = 4


def is_page_furniture(line: str) -> bool:
    """Whether a line is the page around a report (menus, dates, labels), not its title."""
    stripped = line.strip(" \t\r\u3000")
    return len(stripped) < _TITLE_MIN_LENGTH or bool(_NOT_TITLE_RE.search(stripped))


def infer_title(text: str) -> str:
    """The report's own title: the first short line that is not page furniture."""
    content = ""
    for line in text.splitlines()[:_HEAD_LINES]:
        stripped = line.strip(" \t\r\u3000")
        if is_page_furniture(stripped):
            continue
        if len(stripped) <= 80:
            return stripped
        content = content or stripped  # running text: the report has no title line
        break
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return (content or first)[:80]


# --- jurisdiction ---------------------------------------------------------------------------

_SHI_RE = re.compile(r"([\u4e00-\u9fff]{2,4})市")
# Characters that do not occur in city names but do precede 市 in running text
# ("紧紧围绕市委", "科技进步先进市", "知识产权强市").
_NOT_NAME_CHARS = set(
    "全我本各该城省县区在对向与和的是了为及等由从到把被将这那此其每上下超门股副"
    "进强绕围范示权型级业化创建设入出打造促推动加快实施新首个年月日代表市技术"
)
_BOOK_CITY_RE = re.compile(r"《([\u4e00-\u9fff]{2,4}市)")
_NOT_NAMES = ("城市", "上市", "超市", "股市", "门市", "县市", "夜市", "集市", "都市")


def _city_candidates(text: str) -> Counter[str]:
    """Each 市 votes once for every plausible 2-4 character name ending right before it."""
    counts: Counter[str] = Counter()
    for m in _SHI_RE.finditer(text):
        stem = m.group(1)
        for k in range(len(stem) - 1):
            name = stem[k:]
            if not any(ch in _NOT_NAME_CHARS for ch in name):
                counts[name + "市"] += 1
    return counts


def infer_jurisdiction(text: str, gazetteer: Iterable[str] | None = None) -> str | None:
    """The city the report is about, or None when the text does not say clearly.

    With a gazetteer, candidates must be known division names; a report speaking of 我市/全市
    is about a city, so names ending in 市 are preferred over counties and provinces.
    """
    head = "\n".join(text.splitlines()[:_HEAD_LINES])
    # Only the title/header and book titles (《绍兴市…规划》) are trusted without a gazetteer:
    # running text is full of 市 that end other words (市场, 市委, 强市).
    counts = _city_candidates(head)
    for m in _BOOK_CITY_RE.finditer(text):
        counts.update(_city_candidates(m.group(1)))
    scored: list[tuple[int, int, str]] = []
    for name, count in counts.items():
        if name.endswith(_NOT_NAMES) or name[:-1].endswith("城"):
            continue
        scored.append((count, len(name), name))
    scored.sort(reverse=True)
    names = [g for g in gazetteer or () if g]
    if names:
        known = set(names)
        for _, _, name in scored:
            if name in known:
                return name
        return _from_gazetteer(text, head, names)
    # Among equally supported suffixes the longest wins (哈尔滨市 over 尔滨市).
    return scored[0][2] if scored else None


def _from_gazetteer(text: str, head: str, names: list[str]) -> str | None:
    """Count mentions of each known name's stem (青岛 for 青岛市)."""
    city_report = "我市" in text or "全市" in text
    best, best_score = None, 0
    for name in names:
        if city_report and not name.endswith("市"):
            continue
        stem = re.sub(r"(市|地区|自治州|盟|省|县|区)$", "", name)
        if len(stem) < 2:
            continue
        score = text.count(stem) + 5 * head.count(stem)
        if score > best_score:
            best, best_score = name, score
    return best if best_score >= 3 else None


# --- years and type -----------------------------------------------------------------------------

_PLAN_WORDS = (
    "工作要点|工作计划|工作思路|工作安排|工作打算|工作意见|实施意见|实施方案|行动计划|行动方案|"
    "规划|主要目标|目标任务|预期目标|工作目标|发展目标|主要任务|重点工作|工作部署|新局面"
)
_REVIEW_WORDS = (
    "工作总结|总结|工作回顾|回顾|工作成效|主要成效|成效|亮点工作|进展情况|完成情况|工作报告|"
    "统计公报|公报|自查报告|成绩单|情况"
)
_PLAN_TITLE_RE = re.compile(rf"((?:19|20)\d{{2}})年(?:度)?[^。\n]{{0,16}}?(?:{_PLAN_WORDS})")
_REVIEW_TITLE_RE = re.compile(rf"((?:19|20)\d{{2}})年(?:度)?[^。\n]{{0,16}}?(?:{_REVIEW_WORDS})")
_SUMMARY_OF_RE = re.compile(r"总结[^。\n]{0,30}?((?:19|20)\d{2})年")
_CN_YEAR_RE = re.compile(r"(二[〇零○][一二三四五六七八九〇零○]{2})年")
_YEAR_RE = re.compile(
    r"(?<![\d〔(（])((?:19|20)\d{2})(?:年(?!\d{1,2}月\d{1,2}日)|-(?=(?:19|20)\d{2}年))"
)
_NOT_REPORT_YEAR_RE = re.compile(r"(?:比|较|是|由|从|与|相比|同比)[“\"]?$")
_HEAD_RE = re.compile(rf"{_PLAN_WORDS}|{_REVIEW_WORDS}")


@dataclass(frozen=True)
class DocYears:
    """Years a report covers: the reviewed year, the planned year and 'this year'."""

    review: int | None
    plan: int | None
    current: int | None

    @property
    def report_year(self) -> int | None:
        """The year the report is mainly about (reviewed year, else planned year)."""
        return self.review if self.review is not None else self.plan


_SENTENCE_END_RE = re.compile("[。\n！？]")
_PLANNED_RE = re.compile(
    r"力争|确保|争取|预期|目标[是为:：]|计划到|将[^来]|明年|到(?:19|20)\d{2}年"
)


def _stated_years(text: str) -> Counter[int]:
    """Years the text reports on, weighted: titles and line starts count more; a year in a
    sentence that plans (力争, 将…) votes for no reviewed year unless no other year is stated."""
    votes: Counter[int] = Counter()
    planned: Counter[int] = Counter()
    # Sentence ends found once and bisected: searching the text for each year's would read
    # a long report once per year it states.
    stops = [m.start() for m in _SENTENCE_END_RE.finditer(text)]
    for m in _YEAR_RE.finditer(text):
        if _NOT_REPORT_YEAR_RE.search(text, max(0, m.start() - 3), m.start()):
            continue
        before = bisect_left(stops, m.start())
        start = stops[before - 1] + 1 if before else 0
        after = bisect_left(stops, m.end())
        end = stops[after] if after < len(stops) else len(text)
        year = int(m.group(1))
        line_start = text.rfind("\n", 0, m.start()) + 1
        weight = 3 if m.start() - line_start <= 2 else 1
        if _PLANNED_RE.search(text, start, end):
            planned[year] += weight
        else:
            votes[year] += weight
    return votes or planned


def infer_years(text: str, published: date | None) -> DocYears:
    """Reviewed and planned years from titles and the years the text states; the publication
    date only as a fallback."""
    text = _CN_YEAR_RE.sub(lambda m: str(parse_year(m.group(1))) + "年", text)
    head = "\n".join(text.splitlines()[:_HEAD_LINES])
    review = plan = None
    m = _REVIEW_TITLE_RE.search(head) or _REVIEW_TITLE_RE.search(text)
    if m or (m := _SUMMARY_OF_RE.search(text)):
        review = int(m.group(1))
    for m in _PLAN_TITLE_RE.finditer(text):
        year = int(m.group(1))
        if review is None or year >= review:
            plan = year
            break
    votes = _stated_years(text)
    if published is not None:
        votes = Counter({y: v for y, v in votes.items() if y <= published.year + 15})
    if review is None and votes:
        past = {
            y: v
            for y, v in votes.items()
            if (published is None or y <= published.year) and (plan is None or y < plan)
        }
        if past:
            review = max(past, key=lambda y: (past[y], y))
    if review is None and published is not None:
        # Reports published early in a year review the previous one.
        review = published.year - 1 if published.month <= 4 else published.year
        if plan is not None and review > plan:
            review = None
    if plan is None and review is not None:
        plan = review + 1 if published is not None and published.year > review else review
    current = published.year if published is not None else (plan if plan else review)
    if published is None and review is not None and plan is not None and plan > review:
        current = review
    return DocYears(review=review, plan=plan, current=current)


def document_prior(text: str) -> str:
    """'target' when the title says the document is a plan, else 'actual'."""
    lines = [line for line in text.splitlines() if line.strip()][:6]
    # Titles are short lines without sentence punctuation; running text names plans loosely.
    lines = [
        line for line in lines if len(line.strip()) <= 50 and not re.search(r"[。，,；;]", line)
    ]
    for line in lines:
        found = _HEAD_RE.findall(line)
        if not found:
            continue
        plan = re.search(_PLAN_WORDS, line)
        review = re.search(_REVIEW_WORDS, line)
        if plan and not review:
            return "target"
        if review:
            return "actual"
    return "actual"
