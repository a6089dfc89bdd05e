"""Inline SVG charts for the report, drawn by hand: no JavaScript, no fonts, no network.

Every text that ends up in the SVG goes through html.escape.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from html import escape

# One colour per finding type; unknown types get the last colours in turn.
TYPE_COLOURS = {
    "DUPLICATE_DEBIT": "#c0392b",
    "HALF_COMPLETED": "#e67e22",
    "AMOUNT_MISMATCH": "#8e44ad",
    "INVOICE": "#2e86c1",
}
_SPARE_COLOURS = ("#16a085", "#7f8c8d", "#d4ac0d", "#5d6d7e")
FAILURE_COLOUR = "#34495e"


def type_colour(type_: str, known: Sequence[str] = ()) -> str:
    if type_ in TYPE_COLOURS:
        return TYPE_COLOURS[type_]
    others = [t for t in known if t not in TYPE_COLOURS]
    index = others.index(type_) if type_ in others else 0
    return _SPARE_COLOURS[index % len(_SPARE_COLOURS)]


@dataclass(frozen=True)
class Timeline:
    """Counts per time bucket: findings stacked by type, channel failures as a line."""

    starts: tuple[datetime, ...]  # bucket starts, consecutive, `minutes` apart
    minutes: int
    findings: Mapping[str, Sequence[int]]  # type -> count per bucket
    failures: Sequence[int] | None = None  # failed channel requests per bucket
    windows: Sequence[tuple[datetime, datetime]] = ()  # shaded outage windows
    label: str = ""  # e.g. "times in UTC"


def nice_ceiling(value: int) -> int:
    """The smallest 1/2/5 x 10^k at or above `value` (at least 1): a readable axis top."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def timeline_svg(chart: Timeline, width: int = 1100, height: int = 280) -> str:
    """Stacked bars of findings per bucket, failed requests as a line, outage windows shaded."""
    left, right, top, bottom = 48, 52, 22, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(chart.starts)
    if n == 0:
        return '<p class="muted">No timestamps to chart.</p>'
    slot = plot_w / n
    first = chart.starts[0]
    span = timedelta(minutes=chart.minutes * n)

    def x_at(moment: datetime) -> float:
        return left + plot_w * ((moment - first) / span)

    totals = [sum(series[i] for series in chart.findings.values()) for i in range(n)]
    y_top = nice_ceiling(max(totals, default=0))
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" class="chart" '
        f'aria-label="findings per {chart.minutes} minutes, {escape(chart.label)}">',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fbfbfb" '
        'stroke="#ccc"/>',
    ]
    for start, end in chart.windows:
        x0, x1 = max(left, x_at(start)), min(left + plot_w, x_at(end))
        parts.append(
            f'<rect x="{x0:.1f}" y="{top}" width="{max(x1 - x0, 1.5):.1f}" height="{plot_h}" '
            'fill="#f5b7b1" fill-opacity="0.55" class="outage">'
            f"<title>{escape(_span_text(start, end))} outage window</title></rect>"
        )
        parts.append(
            f'<text x="{x0:.1f}" y="{top - 6}" class="lbl" fill="#922b21">'
            f"outage {escape(_span_text(start, end))}</text>"
        )
    for tick in _ticks(y_top):
        y = top + plot_h - plot_h * tick / y_top
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="lbl">{tick}</text>'
        )
    types = list(chart.findings)
    bar_w = max(slot * 0.85, 0.8)
    for i, start in enumerate(chart.starts):
        base = 0
        for type_ in types:
            count = chart.findings[type_][i]
            if not count:
                continue
            y1 = top + plot_h - plot_h * (base + count) / y_top
            h = plot_h * count / y_top
            when = _span_text(start, start + timedelta(minutes=chart.minutes))
            parts.append(
                f'<rect x="{left + i * slot:.2f}" y="{y1:.2f}" width="{bar_w:.2f}" '
                f'height="{h:.2f}" fill="{type_colour(type_, types)}">'
                f"<title>{escape(when)}: {count} {escape(type_)}</title></rect>"
            )
            base += count
    if chart.failures is not None:
        f_top = nice_ceiling(max(chart.failures, default=0))
        points = " ".join(
            f"{left + (i + 0.5) * slot:.1f},{top + plot_h - plot_h * v / f_top:.1f}"
            for i, v in enumerate(chart.failures)
        )
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{FAILURE_COLOUR}" '
            'stroke-width="1.3" stroke-dasharray="3,2"/>'
        )
        for tick in _ticks(f_top):
            y = top + plot_h - plot_h * tick / f_top
            parts.append(
                f'<text x="{left + plot_w + 6}" y="{y + 4:.1f}" class="lbl" '
                f'fill="{FAILURE_COLOUR}">{tick}</text>'
            )
    step = _label_step(n * chart.minutes)
    moment = _round_up(first, step)
    while moment <= first + span:
        x = x_at(moment)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top + plot_h}" y2="{top + plot_h + 4}" '
            'stroke="#666"/>'
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" class="lbl">'
            f"{moment:%H:%M}</text>"
        )
        moment += timedelta(minutes=step)
    parts.append(
        f'<text x="{left}" y="{height - 8}" class="lbl">{escape(chart.label)}; '
        f"bars: findings per {chart.minutes} min (left axis)"
        + (
            "; dashed line: failed or timed-out channel requests (right axis)"
            if chart.failures is not None
            else ""
        )
        + "</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def legend_html(types: Sequence[str]) -> str:
    """A colour key for the finding types, as HTML so it prints with the text."""
    items = "".join(
        f'<span class="key"><span class="swatch" style="background:{type_colour(t, types)}">'
        f"</span>{escape(t)}</span>"
        for t in types
    )
    return (
        f'<div class="legend">{items}<span class="key"><span class="swatch dash"></span>'
        'failed channel requests</span><span class="key"><span class="swatch shade"></span>'
        "outage window</span></div>"
    )


MIN_BAR_PX = 4  # a bar of any non-zero value is at least this wide, so it is seen


def bar_html(value: int | Decimal, maximum: int | Decimal, colour: str = "#5d6d7e") -> str:
    """A horizontal bar for a table cell, sized against the column's largest value (exact:
    money is never turned into a float); a non-zero value is never thinner than MIN_BAR_PX."""
    share = (
        Decimal(0)
        if not maximum
        else max(Decimal(0), min(Decimal(1), Decimal(value) / Decimal(maximum)))
    )
    least = f";min-width:{MIN_BAR_PX}px" if share > 0 else ""
    return f'<span class="bar" style="width:{share * 100:.1f}%{least};background:{colour}"></span>'


def _span_text(start: datetime, end: datetime) -> str:
    fmt = "%H:%M" if start.date() == end.date() or end.time() == datetime.min.time() else "%d %H:%M"
    return f"{start:{fmt}}\u2013{end:{fmt}}"


def _ticks(top: int) -> list[int]:
    step = max(1, top // 4) if top >= 4 else 1
    return list(range(0, top + 1, step))


def _label_step(total_minutes: int) -> int:
    """Minutes between x-axis labels: about a dozen labels whatever the span."""
    for step in (1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440):
        if total_minutes / step <= 14:
            return step
    return 1440


def _round_up(moment: datetime, minutes: int) -> datetime:
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    elapsed = (moment - midnight) / timedelta(minutes=1)
    return midnight + timedelta(minutes=math.ceil(elapsed / minutes) * minutes)
