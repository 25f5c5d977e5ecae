"""Inline SVG charts of the auditor's report, drawn on the server (no scripts, no CDN)."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker import display
from tracker.models import Measure

NO_DATA = _("No data: no target of this page has a reported figure to compare yet.")

# A status in a chart's margin: a word or two (the table beside it has the full label).
STATUS_SHORT = {
    "met": _("met"),
    "missed": _("missed"),
    "on_track": _("on track"),
    "behind": _("behind"),
    "in_progress": _("in progress"),
    "pending": _("pending"),
    "no_data": _("no data"),
}

STATUS_COLOURS = {
    "met": "#2e7d32",
    "on_track": "#66bb6a",
    "in_progress": "#f9a825",
    "behind": "#ef6c00",
    "missed": "#c62828",
    "pending": "#9e9e9e",
    "no_data": "#bdbdbd",
}
ROW_HEIGHT = 22
LABEL_WIDTH = 240
PLOT_WIDTH = 420
VALUE_WIDTH = 70


def _frame(*, title: str, label: str, rows: int, body: SafeString) -> SafeString:
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    height = ROW_HEIGHT * max(rows, 1) + 30
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'aria-label="{}" width="{}" height="{}" viewBox="0 0 {} {}" '
        'font-family="sans-serif" font-size="12"><title>{}</title>{}</svg>',
        label,
        width,
        height,
        width,
        height,
        title,
        body,
    )


def _hundred_percent(*, scale: float, rows: int) -> SafeString:
    """The dashed line where a bar reaches its target (an attainment ratio of 1)."""
    one = f"{LABEL_WIDTH + scale:.1f}"
    bottom = 20 + ROW_HEIGHT * max(rows, 1)
    return format_html(
        '<line x1="{}" y1="14" x2="{}" y2="{}" stroke="#333" stroke-dasharray="4 3"/>'
        '<text x="{}" y="12" text-anchor="middle">100%</text>',
        one,
        one,
        bottom,
        one,
    )


def attainment_chart(rows: list[dict], *, link) -> SafeString:
    """Bars of the attainment ratio per target, with the 100 % line; each bar links its quote."""
    rated = [r for r in rows if r["attainment_ratio"] is not None]
    top = max([1.2, *(min(r["attainment_ratio"], 3.0) for r in rated)])
    scale = PLOT_WIDTH / top
    parts = [_no_data(len(rated))]
    for index, row in enumerate(rated):
        y = 20 + index * ROW_HEIGHT
        ratio = row["attainment_ratio"]
        width = max(min(ratio, top), 0) * scale
        parts.append(
            format_html(
                '<g class="bar" data-target="{}"><text x="{}" y="{}" text-anchor="end">{}</text>'
                '<a href="{}"><rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                "<title>{}: {}</title></rect></a>"
                '<text x="{}" y="{}">{}</text></g>',
                row["target"]["id"],
                LABEL_WIDTH - 6,
                y + 13,
                _label(row),
                link(row),
                LABEL_WIDTH,
                y + 2,
                f"{width:.1f}",
                ROW_HEIGHT - 6,
                STATUS_COLOURS.get(row["status"], "#999"),
                row["status"],
                ratio,
                f"{LABEL_WIDTH + width + 4:.1f}",
                y + 13,
                f"{ratio:.0%}",
            )
        )
    if rated:  # no axis without bars: the message says why the chart is empty
        parts.append(_hundred_percent(scale=scale, rows=len(rated)))
    body = format_html_join("", "{}", ((p,) for p in parts))
    return _frame(
        title=gettext("Attainment ratio by indicator"),
        label="attainment chart",
        rows=len(rated),
        body=body,
    )


def growth_gap_chart(rows: list[dict], *, link) -> SafeString:
    """Bars of achieved minus required growth (percentage points), left of zero when short."""
    gapped = [r for r in rows if r["growth_gap"] is not None]
    reach = max([5.0, *(abs(r["growth_gap"]) for r in gapped)])
    half = PLOT_WIDTH / 2
    zero = LABEL_WIDTH + half
    parts = [_no_data(len(gapped))]
    for index, row in enumerate(gapped):
        y = 20 + index * ROW_HEIGHT
        gap = row["growth_gap"]
        width = abs(gap) / reach * half
        x = zero if gap >= 0 else zero - width
        parts.append(
            format_html(
                '<g class="bar" data-target="{}"><text x="{}" y="{}" text-anchor="end">{}</text>'
                '<a href="{}"><rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                "<title>{}</title></rect></a>"
                '<text x="{}" y="{}">{}</text></g>',
                row["target"]["id"],
                LABEL_WIDTH - 6,
                y + 13,
                _label(row),
                link(row),
                f"{x:.1f}",
                y + 2,
                f"{width:.1f}",
                ROW_HEIGHT - 6,
                "#2e7d32" if gap >= 0 else "#c62828",
                gettext("achieved %(achieved)s%% − required %(required)s%% = %(gap)s")
                % {
                    "achieved": row["achieved_growth"],
                    "required": row["required_growth"],
                    "gap": display.points_label(f"{gap:+.2f}"),
                },
                LABEL_WIDTH + PLOT_WIDTH + 4,
                y + 13,
                f"{gap:+.2f}",
            )
        )
    bottom = 20 + ROW_HEIGHT * max(len(gapped), 1)
    parts.append(
        SafeString("")
        if not gapped
        else format_html(
            '<line x1="{}" y1="14" x2="{}" y2="{}" stroke="#333"/>'
            '<text x="{}" y="12" text-anchor="middle">0 pp</text>',
            f"{zero:.1f}",
            f"{zero:.1f}",
            bottom,
            f"{zero:.1f}",
        )
    )
    return _frame(
        title=gettext("Growth gap (achieved − required) by indicator"),
        label="growth gap chart",
        rows=len(gapped),
        body=format_html_join("", "{}", ((p,) for p in parts)),
    )


def _label(row: dict) -> str:
    target = row["target"]
    measure = "" if target["measure"] == "level" else f" ({Measure(target['measure']).label})"
    return f"{target['indicator']['name_zh']}{measure}"


def _no_data(rows: int) -> SafeString:
    if rows:
        return SafeString("")
    return format_html('<text x="{}" y="{}" class="no-data">{}</text>', 10, 35, NO_DATA)


def ranking_chart(rows: list[dict], *, highlight: int) -> SafeString:
    """Bars of the attainment ratio of each jurisdiction, best first; this one highlighted."""
    rated = [r for r in rows if r["attainment_ratio"] is not None]
    top = max([1.2, *(min(r["attainment_ratio"], 3.0) for r in rated)])
    scale = PLOT_WIDTH / top
    parts = [_no_data(len(rated))]
    for index, row in enumerate(rated):
        y = 20 + index * ROW_HEIGHT
        ratio = row["attainment_ratio"]
        width = max(min(ratio, top), 0) * scale
        mine = row["jurisdiction"]["id"] == highlight
        parts.append(
            format_html(
                '<g class="bar{}" data-jurisdiction="{}" data-rank="{}">'
                '<text x="{}" y="{}" text-anchor="end">{}. {}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                "<title>{}: {}</title></rect>"
                '<text x="{}" y="{}">{}</text></g>',
                " mine" if mine else "",
                row["jurisdiction"]["code"] or "",
                row["rank_by_ratio"],
                LABEL_WIDTH - 6,
                y + 13,
                row["rank_by_ratio"],
                row["jurisdiction"]["name_zh"],
                LABEL_WIDTH,
                y + 2,
                f"{width:.1f}",
                ROW_HEIGHT - 6,
                "#1565c0" if mine else STATUS_COLOURS.get(row["status"], "#999"),
                row["status"],
                ratio,
                f"{LABEL_WIDTH + width + 4:.1f}",
                y + 13,
                f"{ratio:.0%}",
            )
        )
    if rated:
        parts.append(_hundred_percent(scale=scale, rows=len(rated)))
    return _frame(
        title=gettext("Attainment ratio by jurisdiction, ranked"),
        label="ranking chart",
        rows=len(rated),
        body=format_html_join("", "{}", ((p,) for p in parts)),
    )


def trajectory_chart(points: list[dict]) -> SafeString:
    """Bars of the indicator's figure each year, with the year's target as a tick."""
    shown = [p for p in points if p["value"] is not None or p["target"] is not None]
    values = [p["value"] for p in shown if p["value"] is not None]
    values += [float(p["target"]["value"]) for p in shown if p["target"] is not None]
    top = max(values, default=1.0) or 1.0
    scale = PLOT_WIDTH / (top * 1.1)
    parts = [_no_data(len(shown))]
    for index, point in enumerate(shown):
        y = 20 + index * ROW_HEIGHT
        value = point["value"]
        width = (value or 0) * scale
        target = point["target"]
        tick = ""
        if target is not None:
            x = LABEL_WIDTH + float(target["value"]) * scale
            tick = format_html(
                '<line class="target" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#000" '
                'stroke-width="2"><title>{} {} {}</title></line>',
                f"{x:.1f}",
                y,
                f"{x:.1f}",
                y + ROW_HEIGHT - 2,
                gettext("target"),
                target["comparator"],
                target["value"],
            )
        parts.append(
            format_html(
                '<g class="year" data-year="{}"><text x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
                '{}<text x="{}" y="{}">{}</text></g>',
                point["year"],
                LABEL_WIDTH - 6,
                y + 13,
                point["year"],
                LABEL_WIDTH,
                y + 2,
                f"{width:.1f}",
                ROW_HEIGHT - 6,
                STATUS_COLOURS.get(point["status"] or "", "#90a4ae"),
                point["year"],
                value,
                tick,
                LABEL_WIDTH + PLOT_WIDTH + 4,
                y + 13,
                STATUS_SHORT.get(point["status"] or "", ""),
            )
        )
    return _frame(
        title=gettext("The indicator year by year (bars) against each year's target (ticks)"),
        label="trajectory chart",
        rows=len(shown),
        body=format_html_join("", "{}", ((p,) for p in parts)),
    )
