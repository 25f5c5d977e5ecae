"""Decoding raw documents to text and building the same-length shadow string the rules read."""

from __future__ import annotations

import codecs
import re
import unicodedata
from html import unescape
from html.parser import HTMLParser

from .formats import (
    LEGACY_DOC,
    FormatError,
    docx_text,
    is_docx,
    is_legacy_doc,
    is_pdf,
    main_content,
    pdf_text,
)

__all__ = ["NotTextError", "decode_document", "html_report", "shadow", "strip_controls"]


class NotTextError(ValueError):
    """Raised when the input bytes are not a text document."""


# Traditional -> simplified for characters that occur in indicator names, units, numbers and
# the wording the rules key on.  One char to one char, so offsets never move.
_TRAD = (
    "結结 維维 紐纽 純纯 給给 絕绝 練练 細细 終终 繼继 評评 識识 議议 調调 諮咨 詢询 謀谋 "
    "訂订 訊讯 託托 誠诚 語语 講讲 譜谱 僅仅 倉仓 們们 儀仪 傑杰 傷伤 償偿 儲储 寶宝 審审 "
    "屆届 嚴严 圓圆 墊垫 復复 複复 夠够 奮奋 奪夺 婦妇 歷历 歸归 殘残 滿满 煙烟 爭争 畫画 "
    "當当 盡尽 監监 盤盘 確确 禮礼 種种 競竞 築筑 簡简 糧粮 緊紧 緣缘 聲声 肅肃 脫脱 舉举 "
    "艱艰 薦荐 衝冲 裝装 見见 視视 親亲 覺觉 診诊 詳详 誤误 謝谢 貝贝 財财 貧贫 販贩 貸贷 "
    "賦赋 購购 贈赠 趨趋 跡迹 踐践 輔辅 輕轻 輪轮 農农 連连 週周 遊游 違违 遠远 適适 遲迟 "
    "遺遗 釋释 針针 鋪铺 錢钱 錯错 鍵键 閉闭 閱阅 陣阵 階阶 隨随 隱隐 雖虽 雜杂 離离 難难 "
    "靈灵 響响 頁页 順顺 須须 領领 頻频 題题 顏颜 顯显 風风 飛飞 養养 館馆 鬥斗 魚鱼 鳥鸟 "
    "億亿 萬万 專专 發发 經经 費费 項项 術术 場场 產产 業业 與与 資资 額额 達达 長长 計计 "
    "總总 數数 個个 區区 縣县 開开 報报 創创 設设 備备 權权 請请 獎奖 實实 現现 學学 廠厂 "
    "會会 標标 準准 較较 進进 為为 內内 際际 質质 體体 幣币 園园 積积 約约 餘余 過过 擴扩 "
    "認认 證证 頭头 轉转 貢贡 獻献 強强 佔占 國国 門门 職职 點点 類类 應应 態态 劃划 導导 "
    "務务 驗验 試试 濟济 營营 環环 節节 優优 勢势 論论 臺台 號号 屬属 庫库 軟软 網网 絡络 "
    "聯联 線线 條条 變变 壓压 戶户 幾几 兩两 員员 時时 間间 據据 統统 規规 爲为 於于 並并 "
    "對对 從从 來来 後后 關关 係系 級级 廣广 東东 陽阳 組组 織织 興兴 蘇苏 漢汉 鄉乡 鎮镇 "
    "處处 這这 選选 獲获 參参 歲岁 剛刚 傳传 價价 値值 層层 擁拥 轄辖 縮缩 減减 漲涨 礎础 "
    "讓让 買买 賣卖 覽览 觀观 範范 將将 績绩 義义 遼辽 寧宁 陝陕 瀋沈 濱滨 嶺岭 廈厦 灣湾 "
    "紹绍 竊窃 雲云 貴贵 魯鲁 閩闽 贛赣 滬沪 黨党 齊齐 蘭兰 銀银 鄭郑 書书 記记 課课 豐丰 "
    "壯壮 聽听 說说 讀读 寫写 無无 車车 運运 輸输 電电 腦脑 機机 鐵铁 鋼钢 礦矿 醫医 藥药 "
    "療疗 衛卫 護护 險险 災灾 綠绿 溫温 熱热 氣气 燈灯 陸陆 島岛 淨净 齡龄 辦办 勵励 補补 "
    "貼贴 稅税 幹干 團团 隊队 帶带 戰战 圍围 載载 負负 責责 擔担 稱称 諾诺 預预 峯峰 製制 "
    "併并 採采 藝艺 眾众 衆众 徵征 麼么 臨临 雙双 邊边 鄰邻 況况 狀状 驅驱 動动 構构 礙碍 "
    "盧卢 萊莱 樣样 單单 劑剂 協协 聖圣 圖图 邁迈 觸触 續续 紀纪 錄录 測测 檢检 廳厅 誌志 "
    "孫孙 陳陈 劉刘 張张 趙赵 楊杨 黃黄 吳吴 鄧邓 許许 馬马 鳳凤 龍龙 嶽岳 穩稳 貨货 貿贸 "
    "勞劳 獨独 別别 佈布 碩硕 繞绕 賽赛 鏈链 啟启 擬拟 檔档 蓋盖 攜携 兌兑 撥拨 簽签 輻辐 "
    "頒颁 晉晋 壇坛 譽誉 躍跃 匯汇 帳账 貫贯 徹彻 執执 綱纲 筆笔 驟骤 鑽钻 揮挥 揚扬 廢废 "
    "棄弃 儘尽 曆历 趕赶 辭辞 極极 歐欧 "
)
_TRAD_MAP = {pair[0]: pair[1] for pair in _TRAD.split() if len(pair) == 2}

# Kept as is: a full-width comma separates clauses and must never read as a digit group separator.
_KEEP = frozenset("，")

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _shadow_char(ch: str) -> str:
    """Map one character to its normalised form when that form is a single character."""
    mapped = _TRAD_MAP.get(ch)
    if mapped:
        return mapped
    if ch.isascii() or ch in _KEEP:
        return ch
    norm = unicodedata.normalize("NFKC", ch)
    if len(norm) == 1:
        return _TRAD_MAP.get(norm, norm)
    return ch


# Characters whose shadow differs from themselves; everything else maps to itself.
_SHADOW_TABLE: dict[int, str] = {}


def shadow(text: str) -> str:
    """Return a same-length string with full-width forms folded and traditional chars simplified."""
    table = _SHADOW_TABLE
    for ch in set(text):
        code = ord(ch)
        if code not in table and code > 127:
            table[code] = _shadow_char(ch)
    out = text.translate(table)
    if len(out) != len(text):  # defensive: a mapping must never change length
        return text
    return out


def strip_controls(text: str) -> str:
    """Remove control characters other than newline, tab and carriage return."""
    return _CONTROL_RE.sub("", text)


# --- decoding --------------------------------------------------------------------------------

_HTML_SNIFF_RE = re.compile(rb"<\s*(html|body|p|div|br|head|!doctype)[\s>/]", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "tr",
        "td",
        "th",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "hr",
        "title",
        "dd",
        "dt",
        "dl",
        "form",
        "nav",
        "aside",
        "main",
        "figure",
        "figcaption",
    ]
)
_DROP_TAGS = frozenset({"script", "style", "noscript", "template", "head_script"})


class _TextExtractor(HTMLParser):
    """Collect visible text; script and style bodies are dropped, blocks become newlines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _DROP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


_BLANK_RUN_RE = re.compile(r"[ \t\u3000]*\n[ \t\u3000\n]*\n")


def html_to_text(markup: str) -> str:
    """Reduce an HTML document to plain text with one line per block."""
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # html.parser is lenient, but never let markup crash ingestion
        return unescape(re.sub(r"<[^>]+>", "\n", markup))
    text = "".join(parser.parts)
    text = "\n".join(line.strip() for line in text.splitlines())
    return _BLANK_RUN_RE.sub("\n\n", text).strip("\n") + "\n"


def _looks_binary(raw: bytes) -> bool:
    if not raw:
        return False
    if b"\x00" in raw[:65536] and not (raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))):
        return True
    sample = raw[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls >= 4 and controls / len(sample) > 0.05


def _is_html(raw: bytes, filename: str | None, content_type: str | None) -> bool:
    if content_type and "html" in content_type.lower():
        return True
    if filename and filename.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    return bool(_HTML_SNIFF_RE.search(raw[:4096]))


def _charset_from(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset=([\w-]+)", content_type, re.IGNORECASE)
    return m.group(1) if m else None


def decode_document(
    raw: bytes, *, filename: str | None = None, content_type: str | None = None
) -> str:
    """Decode a report to text: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK,
    HTML (its main content), PDF (its text layer) or Word .docx."""
    try:
        if is_pdf(raw):
            return _checked(pdf_text(raw))
        if is_docx(raw):
            return _checked(docx_text(raw))
    except FormatError as exc:
        raise NotTextError(f"input is not text: {exc}") from exc
    if is_legacy_doc(raw):
        raise NotTextError(f"input is not text: {LEGACY_DOC}")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise NotTextError("input is not text: invalid UTF-16") from exc
    else:
        if _looks_binary(raw):
            raise NotTextError("input is not text: binary content (NUL or control bytes)")
        text = None
        declared = _charset_from(content_type)
        for encoding in filter(None, ("utf-8-sig", declared, "gb18030")):
            try:
                text = raw.decode(encoding)
                break
            except (UnicodeDecodeError, LookupError):
                continue
        if text is None:
            raise NotTextError("input is not text: not valid UTF-8 or GB18030")
    text = text.removeprefix("\ufeff")
    if _is_html(raw[:4096] if raw else b"", filename, content_type) and re.search(
        r"<\s*[a-zA-Z!/]", text
    ):
        text = html_report(text)
    return _checked(text)


def _checked(text: str) -> str:
    text = strip_controls(text)
    if text and _control_ratio(text) > 0.05:
        raise NotTextError("input is not text: too many control characters")
    return text


def html_report(markup: str) -> str:
    """A web page's report: its title, its date and its main content, without menus and
    footers; the whole page's text when no main content stands out."""
    try:
        found = main_content(markup)
    except Exception:  # a page the content extractor trips on is still read whole
        found = None
    if found is None:
        return html_to_text(markup)
    title, body, published = found
    lines = []
    if title and not body.startswith(title):
        lines.append(title)
    if published is not None:
        # The page's date line is a menu to the content extractor; the report keeps it.
        lines.append(f"发布日期: {published.isoformat()}")
    lines.append(body)
    return "\n".join(lines) + "\n"


def _control_ratio(text: str) -> float:
    sample = text[:65536]
    bad = sum(1 for ch in sample if unicodedata.category(ch) in ("Co", "Cs", "Cn"))
    return bad / max(1, len(sample))
