"""China's administrative divisions (GB/T 2260) from the maintained `cpca` data set.

`cpca` ships `resources/adcodes.csv` (MIT licence) with every province, prefecture and
county: a 12-digit code whose first six digits are the GB/T 2260 code. We read that file
directly rather than importing `cpca`, whose import pulls in heavy matching machinery.
"""

from __future__ import annotations

import csv
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pypinyin import lazy_pinyin

from tracker.models import Level

# Rows that group divisions administratively but are not jurisdictions themselves.
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

# Longest suffix first, so that 自治州 wins over 州.
SUFFIXES_EN = (
    ("特别行政区", "SAR"),
    ("维吾尔自治区", "Uygur Autonomous Region"),
    ("壮族自治区", "Zhuang Autonomous Region"),
    ("回族自治区", "Hui Autonomous Region"),
    ("自治区", "Autonomous Region"),
    ("自治州", "Autonomous Prefecture"),
    ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"),
    ("林区", "Forestry District"),
    ("地区", "Prefecture"),
    ("新区", "New Area"),
    ("省", ""),
    ("市", ""),
    ("区", "District"),
    ("县", "County"),
    ("旗", "Banner"),
    ("盟", "League"),
)


@dataclass(frozen=True)
class Division:
    """One administrative division as the data set lists it."""

    code: str
    name_zh: str
    name_en: str
    level: str
    parent_code: str | None


def english_name(name_zh: str) -> str:
    """Romanise a division name: 绍兴市 → Shaoxing, 越城区 → Yuecheng District."""
    for suffix, english in SUFFIXES_EN:
        stem = name_zh.removesuffix(suffix)
        if stem != name_zh and len(stem) >= 1:
            base = "".join(lazy_pinyin(stem)).capitalize()
            return f"{base} {english}".strip()
    return "".join(lazy_pinyin(name_zh)).capitalize()


def default_source() -> Path:
    """Where the installed `cpca` package keeps its division table."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the cpca package is not installed (pip install -r requirements)")
    return Path(spec.origin).parent / "resources" / "adcodes.csv"


def read_divisions(path: Path | None = None) -> Iterator[Division]:
    """Yield every province, prefecture and county, parents before their children."""
    path = path or default_source()
    with path.open(encoding="utf-8") as handle:
        rows = [
            (row["adcode"][:6], row["name"].strip())
            for row in csv.DictReader(handle)
            if row["name"].strip() not in PLACEHOLDER_NAMES
        ]
    codes = {code for code, _ in rows}

    def level_of(code: str) -> str:
        if code.endswith("0000"):
            return Level.PROVINCE
        if code.endswith("00"):
            return Level.PREFECTURE
        return Level.COUNTY

    def parent_of(code: str) -> str | None:
        level = level_of(code)
        if level == Level.PROVINCE:
            return None
        prefecture = code[:4] + "00"
        if level == Level.COUNTY and prefecture in codes:
            return prefecture
        # Districts of Beijing and the like, and counties governed by the province itself.
        return code[:2] + "0000"

    order = {Level.PROVINCE: 0, Level.PREFECTURE: 1, Level.COUNTY: 2}
    for code, name in sorted(rows, key=lambda r: (order[level_of(r[0])], r[0])):
        yield Division(
            code=code,
            name_zh=name,
            name_en=english_name(name),
            level=level_of(code),
            parent_code=parent_of(code),
        )
