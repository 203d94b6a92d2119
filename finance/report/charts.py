"""The report's charts as plain shapes (rectangles, lines, texts) that ``_chart.html`` draws as
inline SVG: no chart library, nothing fetched. Geometry is integer pixels computed here from
integer cents; every text is plain and escaped by the template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from finance.report.labels import label
from finance.schema import COST_CATEGORIES

if TYPE_CHECKING:
    from finance.report import Figures

WIDTH = 960


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int
    css: str  # pos | neg | total | a colour class c0..c9
    tip: str = ""  # the <title> shown on hover


@dataclass(frozen=True)
class Text:
    x: int
    y: int
    text: str
    css: str = ""  # value | axis | name
    anchor: str = "middle"  # start | middle | end


@dataclass(frozen=True)
class Line:
    x1: int
    y1: int
    x2: int
    y2: int
    css: str = "axis"


@dataclass(frozen=True)
class Chart:
    """One SVG chart: ``title`` above it, ``width`` x ``height`` pixels, its shapes, a legend
    (text, colour class) and ``empty``: shown instead when there is nothing to draw."""

    id: str
    title: str
    width: int
    height: int
    rects: list[Rect] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    empty: str = ""


def _money(cents: int) -> str:
    return f"{Decimal(cents).scaleb(-2):,.2f}"


def _short(cents: int) -> str:
    """A compact label: 12.50 under a thousand, 4,321 under ten thousand, then 12k, 4.5M."""
    value = Decimal(abs(cents)).scaleb(-2)
    sign = "-" if cents < 0 else ""
    if value >= 1_000_000:
        return f"{sign}{value.scaleb(-6):.1f}M"
    if value >= 10_000:
        return f"{sign}{value.scaleb(-3):.0f}k"
    if value >= 1000:
        return f"{sign}{value:,.0f}"
    return f"{sign}{value:.2f}"


def _scale(low: int, high: int, top: int, bottom: int):  # type: ignore[no-untyped-def]
    """Cents -> y pixel, ``high`` at ``top`` and ``low`` at ``bottom``."""
    span = max(high - low, 1)

    def y(cents: int) -> int:
        return bottom - (cents - low) * (bottom - top) // span

    return y


def waterfall_steps(figs: Figures) -> list[tuple[str, int]]:
    """The steps from sales to true margin, as both reports draw them: (P&L line, signed
    cents: income +, cost −), a line that is zero left out (sales always shown)."""
    steps = [("sales", figs.total("sales"))]
    steps += [
        ("refund", -figs.total("refund")),
        ("platform_subsidy", figs.total("platform_subsidy")),
    ]
    steps += [(c, -figs.total(c)) for c in COST_CATEGORIES]
    steps += [("unclassified", figs.total("unclassified"))]
    return [(line, cents) for line, cents in steps if cents != 0 or line == "sales"]


def waterfall(steps: list[tuple[str, int]], result: tuple[str, int], *, title: str) -> Chart:
    """From sales to true margin: one floating bar per step (signed cents: income +, cost −),
    then the result as a bar from zero."""
    height, top, bottom, left = 350, 24, 270, 70
    running, spans = 0, []
    for name, amount in steps:
        spans.append((name, running, running + amount, amount))
        running += amount
    ends = [0, running, *(s for _, s, _, _ in spans), *(e for _, _, e, _ in spans)]
    low, high = min(ends), max(ends)
    y = _scale(low, high, top, bottom)
    count = len(spans) + 1
    slot = (WIDTH - left - 10) // max(count, 1)
    bar = max(slot * 2 // 3, 8)
    chart = Chart("waterfall", title, WIDTH, height)
    chart.lines.append(Line(left, y(0), WIDTH - 10, y(0)))
    for tick in (low, high):
        chart.texts.append(Text(left - 6, y(tick) + 4, _short(tick), "axis", "end"))
    bars = [*spans, (result[0], 0, result[1], result[1])]
    for i, (name, start, end, amount) in enumerate(bars):
        x = left + i * slot + (slot - bar) // 2
        y1, y2 = sorted((y(start), y(end)))
        css = "total" if i == len(spans) else ("pos" if amount >= 0 else "neg")
        chart.rects.append(Rect(x, y1, bar, max(y2 - y1, 1), css, f"{name}: {_money(amount)}"))
        chart.texts.append(Text(x + bar // 2, y1 - 5, _short(amount), "value"))
        # Long names would run into each other: every other one sits a line lower.
        chart.texts.append(Text(x + bar // 2, bottom + 18 + (i % 2) * 18, name, "name"))
        if i < len(spans):
            nxt = left + (i + 1) * slot + (slot - bar) // 2
            chart.lines.append(Line(x + bar, y(end), nxt, y(end), "link"))
    return chart


PALETTE = 10


def stacked_shares(
    rows: list[tuple[str, int, list[int]]], names: list[str], *, title: str, empty: str
) -> Chart:
    """One horizontal bar per row (platform): its costs as shares of its net sales, stacked in
    ``names`` order. ``rows``: (row name, net sales in cents, cost per name in cents)."""
    drawn = [(n, net, costs) for n, net, costs in rows if net > 0]
    left, bar, gap = 150, 26, 18
    height = 40 + len(drawn) * (bar + gap) + 30
    chart = Chart("costs", title, WIDTH, height, empty="" if drawn else empty)
    span = WIDTH - left - 80
    for i, (row, net, costs) in enumerate(drawn):
        y = 30 + i * (bar + gap)
        chart.texts.append(Text(left - 8, y + bar // 2 + 5, row, "name", "end"))
        x = left
        total = 0
        for k, amount in enumerate(costs):
            if amount <= 0:
                continue
            share = Decimal(amount) / Decimal(net)
            w = min(int(amount * span // net), left + span - x)
            if w <= 0:
                continue
            tip = f"{names[k]}: {_money(amount)} ({share:.1%})"
            chart.rects.append(Rect(x, y, w, bar, f"c{k % PALETTE}", tip))
            if w >= 34:
                chart.texts.append(Text(x + w // 2, y + bar // 2 + 4, f"{share:.0%}", "inbar"))
            x += w
            total += amount
        chart.texts.append(
            Text(x + 6, y + bar // 2 + 5, f"{Decimal(total) / Decimal(net):.1%}", "value", "start")
        )
    axis_y = 30 + len(drawn) * (bar + gap) - gap // 2
    for pct in (0, 25, 50, 75, 100):
        x = left + span * pct // 100
        chart.lines.append(Line(x, 22, x, axis_y, "grid"))
        chart.texts.append(Text(x, axis_y + 14, f"{pct}%", "axis"))
    chart.legend.extend((name, f"c{k % PALETTE}") for k, name in enumerate(names))
    return chart


def ranked_bars(rows: list[tuple[str, int]], *, title: str, empty: str) -> Chart:
    """Horizontal bars around zero, one per (name, cents), in the given order."""
    left, bar, gap = 260, 20, 8
    height = 20 + len(rows) * (bar + gap) + 10
    chart = Chart("best-worst", title, WIDTH, height, empty="" if rows else empty)
    if not rows:
        return chart
    values = [v for _, v in rows]
    low, high = min(0, *values), max(0, *values)
    span = max(high - low, 1)
    plot = WIDTH - left - 110
    zero = left + (0 - low) * plot // span
    for i, (name, cents) in enumerate(rows):
        y = 16 + i * (bar + gap)
        end = left + (cents - low) * plot // span
        x, w = min(zero, end), max(abs(end - zero), 1)
        chart.rects.append(
            Rect(x, y, w, bar, "pos" if cents >= 0 else "neg", f"{name}: {_money(cents)}")
        )
        chart.texts.append(Text(left - 8, y + bar // 2 + 5, name, "name", "end"))
        value_x, anchor = (x + w + 6, "start") if cents >= 0 else (x - 6, "end")
        if cents < 0 and value_x < left + 60:
            value_x, anchor = zero + 6, "start"
        chart.texts.append(Text(value_x, y + bar // 2 + 5, _money(cents), "value", anchor))
    chart.lines.append(Line(zero, 8, zero, height - 6))
    return chart


def trend(rows: list[tuple[str, int, int, Decimal | None]], *, lang: str, title: str) -> Chart:
    """Net sales and true margin per month (columns), margin % above each month."""
    height, top, bottom, left = 300, 34, 240, 70
    chart = Chart("trend", title, WIDTH, height)
    if len(rows) < 2:
        return Chart("trend", title, WIDTH, height, empty=label("trend_single", lang))
    values = [v for _, net, margin, _ in rows for v in (net, margin)]
    low, high = min(0, *values), max(0, *values)
    y = _scale(low, high, top, bottom)
    slot = (WIDTH - left - 10) // len(rows)
    bar = max(min(slot // 3, 60), 6)
    chart.lines.append(Line(left, y(0), WIDTH - 10, y(0)))
    for tick in (low, high):
        chart.texts.append(Text(left - 6, y(tick) + 4, _short(tick), "axis", "end"))
    for i, (month, net, margin, pct) in enumerate(rows):
        x = left + i * slot + (slot - 2 * bar) // 2
        for k, (cents, css) in enumerate(((net, "c0"), (margin, "pos" if margin >= 0 else "neg"))):
            y1, y2 = sorted((y(0), y(cents)))
            tip = (
                f"{month} {label('net_sales' if k == 0 else 'true_margin', lang)}: {_money(cents)}"
            )
            chart.rects.append(Rect(x + k * bar, y1, bar, max(y2 - y1, 1), css, tip))
        pct_text = label("no_ratio", lang) if pct is None else f"{pct.scaleb(2):.1f}%"
        chart.texts.append(Text(x + bar, top - 12, pct_text, "value"))
        chart.texts.append(Text(x + bar, bottom + 18, month, "name"))
    chart.legend.extend([(label("net_sales", lang), "c0"), (label("true_margin", lang), "pos")])
    return chart
