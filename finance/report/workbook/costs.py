"""The Cost structure sheet: each P&L line by platform."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finance.report.labels import label, platform_name, sign
from finance.report.workbook.charts import cost_chart
from finance.report.workbook.style import (
    BOLD,
    MONEY_FORMAT,
    MUTED,
    RATIO_FORMAT,
    TITLE,
    _emphasise,
    _header,
    _margin_colours,
    _print_setup,
    put,
)
from finance.report.workbook.tables import _fit_columns
from finance.schema import COST_CATEGORIES

if TYPE_CHECKING:
    from finance.report import Figures


COST_LINES = ("sales", "refund", "platform_subsidy", *COST_CATEGORIES, "unclassified")


def _by_platform(figs: Figures) -> tuple[list[str], dict[str, list[int]]]:
    pnl = figs.skus
    platforms = sorted({p for p, _ in figs.shops})
    sums = {
        line: [int(pnl.filter(pl.col("platform") == p)[line].sum()) for p in platforms]
        for line in (*COST_LINES, "true_margin")
    }
    return platforms, sums


def costs_sheet(ws: Worksheet, figs: Figures, lang: str) -> None:
    """Per platform: each cost line in money, then the same as a share of net sales (live),
    then the costs' shares as a chart."""
    ws.title = label("sheet_costs", lang)
    platforms, sums = _by_platform(figs)
    put(ws, 1, 1, label("costs_by_platform", lang)).font = TITLE
    put(
        ws, 2, 1, label("costs_positive", lang, currency=figs.currency or "-", period="")
    ).font = MUTED
    n = len(platforms)
    total_col = 3 + n
    last_platform = get_column_letter(total_col - 1)
    top = 4
    heads = [label("line", lang), label("sign", lang), *(platform_name(p, lang) for p in platforms)]
    _header(ws, top, [*heads, label("total", lang)])
    row = top + 1
    rows: dict[str, int] = {}
    for line in COST_LINES:
        rows[line] = row
        put(ws, row, 1, label(line, lang))
        put(ws, row, 2, sign(line)).alignment = Alignment(horizontal="center")
        for col, value in enumerate(sums[line], start=3):
            put(ws, row, col, value, "money")
        row += 1
    net_row, costs_row, margin_row = row, row + 1, row + 2
    put(ws, net_row, 1, label("net_sales", lang))
    put(ws, costs_row, 1, label("total_costs", lang))
    put(ws, margin_row, 1, label("true_margin", lang))
    cost_rows = [rows[c] for c in COST_CATEGORIES]
    for col in range(3, total_col):
        c = get_column_letter(col)
        put(ws, net_row, col, f"={c}{rows['sales']}-{c}{rows['refund']}", "formula")
        put(ws, costs_row, col, f"=SUM({c}{cost_rows[0]}:{c}{cost_rows[-1]})", "formula")
        margin = (
            f"={c}{net_row}+{c}{rows['platform_subsidy']}-{c}{costs_row}+{c}{rows['unclassified']}"
        )
        put(ws, margin_row, col, margin, "formula")
    for r in range(top + 1, margin_row + 1):
        formula = f"=SUM(C{r}:{last_platform}{r})" if n else "=0"
        put(ws, r, total_col, formula, "formula")
        for col in range(3, total_col + 1):
            ws.cell(row=r, column=col).number_format = MONEY_FORMAT
        ws.cell(row=r, column=total_col).font = BOLD
    for r in (net_row, margin_row):
        _emphasise(ws, r, total_col)
    # The same lines as a share of net sales.
    share_top = margin_row + 2
    put(ws, share_top, 1, label("share_of_net_sales", lang)).font = BOLD
    _header(ws, share_top + 1, [*heads, label("total", lang)])
    row = share_top + 2
    cost_rows = []
    for line in [*COST_LINES[2:], "total_costs", "true_margin"]:
        source = {"total_costs": costs_row, "true_margin": margin_row}.get(line) or rows[line]
        put(ws, row, 1, label(line, lang))
        for col in range(3, total_col + 1):
            c = get_column_letter(col)
            formula = f'=IF({c}${net_row}=0,"",{c}{source}/{c}${net_row})'
            put(ws, row, col, formula, "formula").number_format = RATIO_FORMAT
        if line in COST_CATEGORIES:
            cost_rows.append(row)
        if line == "true_margin":
            _emphasise(ws, row, total_col)
            _margin_colours(ws, f"C{row}:{get_column_letter(total_col)}{row}")
        row += 1
    cost_chart(ws, lang, share_top + 1, cost_rows[0], cost_rows[-1], total_col, row + 2)
    ws.freeze_panes = ws.cell(row=top + 1, column=3).coordinate
    _print_setup(ws, f"{top}:{top}")
    _fit_columns(ws, skip_rows={1, 2, share_top})
