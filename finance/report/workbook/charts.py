"""Native Excel charts (``openpyxl.chart``): they stay charts in Excel, LibreOffice and WPS, and
copy into slides as charts.

- Summary: the P&L waterfall (from sales to true margin, the steps the page draws) and, when the
  report has more than one month, the margin trend (net sales and true margin as columns, margin
  % as a line on its own axis). A chart plots cells, so both plot a labelled block of chart
  data written below them: the same exact amounts as the P&L above (Decimal from cents), and the
  waterfall's invisible base and visible bars worked out from them.
- Cost structure: each cost as a share of net sales, stacked per platform, plotted from the
  sheet's own live share rows.

Every title, series name and heading is in the report language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import polars as pl
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.legend import Legend
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from finance.money import ratio_text
from finance.report.charts import waterfall_steps
from finance.report.labels import label
from finance.report.workbook.style import BOLD, MUTED, _header, put

if TYPE_CHECKING:
    from finance.report import Figures

INCOME = "2E7D32"
COST = "C0392B"
TOTAL = "0B5394"
"""The page's colours (``templates/base.html``: ``.pos``, ``.neg``, ``.total``)."""
PALETTE = (
    "4E79A7",
    "F28E2B",
    "76B7B2",
    "E15759",
    "59A14F",
    "EDC948",
    "B07AA1",
    "FF9DA7",
    "9C755F",
    "BAB0AC",
)
"""The page's series colours ``.c0`` … ``.c9``."""
WIDTH_CM = 24
HEIGHT_CM = 10
CHART_ROWS = 21
"""Rows a chart takes on its sheet (10 cm at the default row height of 15 pt, and a gap)."""
MONEY_AXIS = "#,##0"


def waterfall_bars(steps: Sequence[int], result: int) -> list[tuple[int, int, int]]:
    """(invisible base, part above zero, part below zero) in cents for each step and then the
    result, as a stacked column chart draws a waterfall: a step floats from the running total
    before it to the running total after it; the result stands on zero. A chart stacks values
    above zero upwards and values below zero downwards, each in series order, so a bar that
    crosses zero is drawn as its two parts from zero."""
    out = []
    running = 0
    spans = []
    for amount in steps:
        spans.append((running, running + amount))
        running += amount
    for start, end in [*spans, (0, result)]:
        low, high = min(start, end), max(start, end)
        if low >= 0:
            out.append((low, high - low, 0))
        elif high <= 0:
            out.append((high, 0, low - high))
        else:
            out.append((0, high, low))
    return out


def _fill(series: Series, colour: str | None) -> None:
    series.graphicalProperties = GraphicalProperties(solidFill=colour)
    if colour is None:
        series.graphicalProperties.noFill = True
        series.graphicalProperties.line = LineProperties(noFill=True)
    else:
        series.graphicalProperties.line = LineProperties(solidFill=colour)


def _axes(chart: BarChart | LineChart, number_format: str) -> None:
    chart.x_axis.delete = False  # (openpyxl leaves the axes out unless told)
    chart.y_axis.delete = False
    chart.y_axis.number_format = number_format
    chart.x_axis.tickLblPos = "low"  # the names below the plot, also where bars go negative


def _categories(chart: BarChart, names: Reference) -> None:
    """Category names from text cells, as text (``set_categories`` would call them numbers)."""
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(names)))


def _size(chart: BarChart) -> BarChart:
    chart.width, chart.height = WIDTH_CM, HEIGHT_CM
    return chart


def summary_charts(ws: Worksheet, figs: Figures, lang: str, top: int) -> set[int]:
    """The waterfall (and the trend, over more than one month) from row ``top`` down, their
    chart data below them. Returns the rows of the chart data: the sheet's column widths stay
    those of the P&L (the headings of the chart data wrap)."""
    months = figs.trend.height
    data = top + (2 if months > 1 else 1) * CHART_ROWS
    ws.row_breaks.append(Break(id=top - 1))  # printed: the charts start a page
    put(ws, data, 1, label("chart_data", lang)).font = BOLD
    put(ws, data + 1, 1, label("chart_data_note", lang)).font = MUTED
    first, last = _waterfall_data(ws, figs, lang, data + 3)
    ws.add_chart(_waterfall(ws, figs, lang, first, last), f"A{top}")
    if months > 1:
        first, last = _trend_data(ws, figs, lang, last + 3)
        ws.add_chart(_trend(ws, lang, first, last), f"A{top + CHART_ROWS}")
        ws.row_breaks.append(Break(id=top + CHART_ROWS - 1))
    return set(range(data, last + 1))


def _waterfall_data(ws: Worksheet, figs: Figures, lang: str, head: int) -> tuple[int, int]:
    """Line, signed amount, base, above zero, below zero: one row per step and the result."""
    steps = waterfall_steps(figs)
    result = figs.total("true_margin")
    _header(
        ws,
        head,
        [
            label("waterfall_heading", lang),
            "",
            label("signed_amount", lang),
            label("chart_base", lang),
            label("chart_above", lang),
            label("chart_below", lang),
        ],
    )
    rows = [*steps, ("true_margin", result)]
    bars = waterfall_bars([amount for _, amount in steps], result)
    for row, ((line, amount), parts) in enumerate(zip(rows, bars, strict=True), start=head + 1):
        put(ws, row, 1, label(line, lang))
        put(ws, row, 3, amount, "money")
        for col, cents in enumerate(parts, start=4):
            put(ws, row, col, cents, "money")
    return head + 1, head + len(rows)


def _waterfall(ws: Worksheet, figs: Figures, lang: str, first: int, last: int) -> BarChart:
    chart = _size(BarChart())
    chart.type, chart.grouping, chart.overlap, chart.gapWidth = "col", "stacked", 100, 50
    chart.title = label("waterfall_heading", lang)
    chart.legend = None  # the names under the columns say what each is; colours: + − =
    for col in (4, 5, 6):
        chart.add_data(
            Reference(ws, min_col=col, min_row=first - 1, max_row=last), titles_from_data=True
        )
    _categories(chart, Reference(ws, min_col=1, min_row=first, max_row=last))
    base, above, below = chart.series
    _fill(base, None)
    amounts = [a for _, a in waterfall_steps(figs)]
    colours = [INCOME if a >= 0 else COST for a in amounts] + [TOTAL]
    for series in (above, below):
        _fill(series, TOTAL)
        for idx, colour in enumerate(colours):
            point = DataPoint(idx=idx)
            point.graphicalProperties = GraphicalProperties(solidFill=colour)
            point.graphicalProperties.line = LineProperties(solidFill=colour)
            series.dPt.append(point)
    _axes(chart, MONEY_AXIS)
    return chart


def _trend_data(ws: Worksheet, figs: Figures, lang: str, head: int) -> tuple[int, int]:
    """Month, net sales, true margin, margin %: one row per month of the trend (the margin %
    rounded as the SKU sheet's, ``money.ratio_text``)."""
    _header(
        ws,
        head,
        [
            label("trend_heading", lang),
            "",
            label("net_sales", lang),
            label("true_margin", lang),
            label("margin_pct", lang),
        ],
    )
    net = pl.col("sales") - pl.col("refund")
    months = figs.trend.select(
        "month", net=net, margin="true_margin", pct=ratio_text(pl.col("true_margin"), net)
    )
    row = head
    for row, (month, net_sales, margin, pct) in enumerate(months.iter_rows(), start=head + 1):
        put(ws, row, 1, month)
        put(ws, row, 3, net_sales, "money")
        put(ws, row, 4, margin, "money")
        put(ws, row, 5, pct, "ratio")
    return head + 1, row


def _trend(ws: Worksheet, lang: str, first: int, last: int) -> BarChart:
    bars = _size(BarChart())
    bars.type, bars.grouping, bars.gapWidth = "col", "clustered", 80
    bars.title = label("trend_heading", lang)
    bars.add_data(
        Reference(ws, min_col=3, max_col=4, min_row=first - 1, max_row=last), titles_from_data=True
    )
    _categories(bars, Reference(ws, min_col=1, min_row=first, max_row=last))
    net, margin = bars.series
    _fill(net, PALETTE[0])
    _fill(margin, INCOME)
    _axes(bars, MONEY_AXIS)
    pct = LineChart()
    pct.add_data(Reference(ws, min_col=5, min_row=first - 1, max_row=last), titles_from_data=True)
    (line,) = pct.series
    line.graphicalProperties = GraphicalProperties(ln=LineProperties(solidFill=TOTAL, w=28575))
    line.marker.symbol = "circle"
    line.dLbls = DataLabelList(showVal=True, numFmt="0.0%")
    line.dLbls.showSerName = line.dLbls.showCatName = line.dLbls.showLegendKey = False
    pct.y_axis.axId = 200  # its own axis on the right: a ratio, not money
    pct.y_axis.crosses = "max"
    pct.y_axis.delete = False
    pct.y_axis.number_format = "0%"
    pct.y_axis.majorGridlines = None
    pct.y_axis.title = label("margin_pct", lang)
    bars += pct
    bars.legend = Legend(legendPos="b")
    return bars


def cost_chart(
    ws: Worksheet, lang: str, heads: int, first: int, last: int, columns: int, anchor: int
) -> None:
    """Each cost's share of net sales, stacked per platform (and the total), plotted from the
    live share rows ``first``..``last`` (names in column A) under the header row ``heads``;
    ``columns``: the last column (the total). Anchored at row ``anchor``."""
    chart = _size(BarChart())
    chart.type, chart.grouping, chart.overlap, chart.gapWidth = "bar", "stacked", 100, 60
    chart.title = f"{label('costs_by_platform', lang)} ({label('share_of_net_sales', lang)})"
    for k, row in enumerate(range(first, last + 1)):
        series = Series(Reference(ws, min_col=3, max_col=columns, min_row=row))
        series.tx = SeriesLabel(strRef=StrRef(f"{quote_sheetname(ws.title)}!$A${row}"))
        _fill(series, PALETTE[k % len(PALETTE)])
        chart.series.append(series)
    _categories(chart, Reference(ws, min_col=3, max_col=columns, min_row=heads))
    _axes(chart, "0%")
    chart.legend = Legend(legendPos="b")
    ws.add_chart(chart, f"A{anchor}")
