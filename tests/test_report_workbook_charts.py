"""The workbook's native Excel charts, read back from the saved file: the waterfall and the trend
on the Summary sheet plot a block of chart data that holds the P&L's own amounts; the cost
structure plots the Cost structure sheet's live share rows; every title and series name is in
the report language; the waterfall's stacked parts draw each step from the running total
before it to the one after it (a property over generated steps)."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.chart import BarChart

from finance.report import figures, ratio, write_workbook
from finance.report.charts import waterfall_steps
from finance.report.labels import label
from finance.report.workbook.charts import waterfall_bars
from finance.schema import COST_CATEGORIES

from .test_report_workbook import empty_result, prior_result, sample_result


def _title(chart) -> str:
    return "".join(run.t for p in chart.title.tx.rich.p for run in (p.r or []))


def _rgb(fill) -> str:
    colour = fill.srgbClr
    return getattr(colour, "val", colour)


def _cells(ws, ref: str) -> list:
    """The values of a chart reference such as ``'Summary'!$D$114:$D$127``."""
    sheet, cells = ref.rsplit("!", 1)
    book = ws.parent
    target = book[sheet.strip("'").replace("''", "'")]
    found = target[cells.replace("$", "")]
    if not isinstance(found, tuple):
        return [found.value]
    return [c.value for row in found for c in (row if isinstance(row, tuple) else (row,))]


def _book(tmp_path: Path, lang: str, prior: bool):
    figs = figures(sample_result(), prior=prior_result() if prior else None)
    return figs, load_workbook(write_workbook(figs, tmp_path / f"pnl-{lang}.xlsx", lang=lang))


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_summary_waterfall_plots_the_pnl_amounts(tmp_path: Path, lang: str) -> None:
    figs, book = _book(tmp_path, lang, prior=False)
    ws = book[label("sheet_summary", lang)]
    (chart,) = ws._charts  # one month: no trend chart
    assert isinstance(chart, BarChart) and (chart.type, chart.grouping) == ("col", "stacked")
    assert _title(chart) == label("waterfall_heading", lang)
    base, above, below = chart.series
    assert [_cells(ws, s.tx.strRef.f)[0] for s in chart.series] == [
        label(k, lang) for k in ("chart_base", "chart_above", "chart_below")
    ]
    assert base.graphicalProperties.noFill  # the floating columns' base is not drawn
    steps = waterfall_steps(figs)
    names = _cells(ws, base.cat.strRef.f)
    assert names == [label(line, lang) for line, _ in steps] + [label("true_margin", lang)]
    assert names[0] == label("sales", lang)
    # the amount beside each name is the Summary total of that line (signed: income +, cost −)
    first = int(re.search(r"\$(\d+):", base.val.numRef.f).group(1))
    amounts = [ws.cell(first + i, 3).value for i in range(len(names))]
    expected = [Decimal(c).scaleb(-2) for _, c in steps] + [
        Decimal(figs.total("true_margin")).scaleb(-2)
    ]
    assert [Decimal(str(a)) for a in amounts] == expected
    drawn = [
        (Decimal(str(b)), Decimal(str(a)), Decimal(str(w)))
        for b, a, w in zip(
            _cells(ws, base.val.numRef.f),
            _cells(ws, above.val.numRef.f),
            _cells(ws, below.val.numRef.f),
            strict=True,
        )
    ]
    cents = [tuple(int(v * 100) for v in bar) for bar in drawn]
    assert cents == waterfall_bars([c for _, c in steps], figs.total("true_margin"))
    # the last column (true margin) stands on zero and is as high as the P&L's total
    assert sum(drawn[-1]) == expected[-1] and drawn[-1][0] == 0
    colours = {p.idx: _rgb(p.graphicalProperties.solidFill) for p in above.dPt}
    assert colours[0] == "2E7D32" and colours[len(names) - 1] == "0B5394"
    assert colours[1] == "C0392B"  # refunds: a cost


def test_the_trend_chart_appears_over_more_than_one_month(tmp_path: Path) -> None:
    figs, book = _book(tmp_path, "en", prior=True)
    ws = book["Summary"]
    waterfall, trend = ws._charts
    assert _title(trend) == "Margin trend" and trend.anchor._from.row > waterfall.anchor._from.row
    kinds = [type(c).__name__ for c in trend._charts]
    assert kinds == ["BarChart", "LineChart"]
    net, margin = trend._charts[0].series
    (pct,) = trend._charts[1].series
    assert [_cells(ws, s.tx.strRef.f)[0] for s in (net, margin, pct)] == [
        "Net sales (sales − refunds)",
        "True margin (contribution margin)",
        "Contribution margin %",
    ]
    assert _cells(ws, net.cat.strRef.f) == ["2026-09", "2026-10"]
    rows = figs.trend.sort("month").rows()
    assert [Decimal(str(v)) for v in _cells(ws, net.val.numRef.f)] == [
        Decimal(s - r).scaleb(-2) for _, s, r, _ in rows
    ]
    assert [Decimal(str(v)) for v in _cells(ws, margin.val.numRef.f)] == [
        Decimal(m).scaleb(-2) for *_, m in rows
    ]
    ratios = [Decimal(str(v)) for v in _cells(ws, pct.val.numRef.f)]
    assert ratios == [ratio(m, s - r) for _, s, r, m in rows]  # as the summary's margin %
    assert trend._charts[1].y_axis.axId == 200  # margin % on its own axis


def test_the_cost_structure_chart_plots_the_live_share_rows(tmp_path: Path) -> None:
    _, book = _book(tmp_path, "zh-CN", prior=False)
    ws = book["费用结构"]
    (chart,) = ws._charts
    assert _title(chart) == "按平台费用结构 (占净销售额比例)"  # as the page's chart
    assert (chart.type, chart.grouping) == ("bar", "stacked")
    names = [_cells(ws, s.tx.strRef.f)[0] for s in chart.series]
    assert names == [label(c, "zh-CN") for c in COST_CATEGORIES]
    assert _cells(ws, chart.series[0].cat.strRef.f) == ["京东", "天猫", "合计"]
    for series in chart.series:
        cells = _cells(ws, series.val.numRef.f)
        assert all(isinstance(v, str) and v.startswith("=IF(") for v in cells)  # live shares


def test_an_empty_month_still_gets_its_waterfall(tmp_path: Path) -> None:
    path = write_workbook(empty_result(), tmp_path / "pnl.xlsx", lang="en")
    ws = load_workbook(path)["Summary"]
    (chart,) = ws._charts
    assert _cells(ws, chart.series[0].cat.strRef.f) == [
        "Sales",
        "True margin (contribution margin)",
    ]


def test_the_charts_are_drawingml_charts_in_the_file(tmp_path: Path) -> None:
    """What another office program reads: chart parts related to the sheets' drawings."""
    figs = figures(sample_result(), prior=prior_result())
    path = write_workbook(figs, tmp_path / "pnl.xlsx", lang="en")
    with zipfile.ZipFile(path) as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        xml = [archive.read(n).decode() for n in charts]
        types = archive.read("[Content_Types].xml").decode()
    assert len(charts) == 3
    assert "application/vnd.openxmlformats-officedocument.drawingml.chart+xml" in types
    assert sum('<grouping val="stacked"/>' in x for x in xml) == 2
    assert sum("<lineChart>" in x for x in xml) == 1
    assert all("<cat><strRef>" in x for x in xml)  # category names as text


@given(st.lists(st.integers(-(10**9), 10**9), max_size=14), st.integers(-(10**9), 10**9))
def test_waterfall_parts_draw_each_step_between_its_running_totals(
    steps: list[int], result: int
) -> None:
    bars = waterfall_bars(steps, result)
    assert len(bars) == len(steps) + 1
    running = 0
    spans = []
    for amount in steps:
        spans.append((running, running + amount))
        running += amount
    spans.append((0, result))
    for (base, above, below), (start, end) in zip(bars, spans, strict=True):
        assert above >= 0 >= below
        # a chart stacks values above zero upwards from zero, those below zero downwards
        if above:
            assert base >= 0
        if below:
            assert base <= 0
        top = (base if base > 0 else 0) + above
        bottom = (base if base < 0 else 0) + below
        if above and below:
            drawn = (bottom, top)
        elif above:
            drawn = (top - above, top)
        elif below:
            drawn = (bottom, bottom - below)
        else:
            drawn = (base, base)
        assert drawn == (min(start, end), max(start, end))
