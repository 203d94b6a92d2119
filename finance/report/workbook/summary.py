"""The Summary sheet: the P&L by platform and shop, against the prior month."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finance.margin import PNL_COLUMNS
from finance.report.labels import label, platform_name, sign
from finance.report.margin_basis import cost_notes
from finance.report.workbook.charts import summary_charts
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
from finance.schema import EXCLUDED

if TYPE_CHECKING:
    from finance.report import Figures


def _pnl_block(
    ws: Worksheet,
    top: int,
    figs: Figures,
    lang: str,
    lines: dict[str, list[int]],
    ratios: list[Decimal | None],
    *,
    change_of: tuple[int, int] | None = None,
) -> int:
    """P&L lines (rows) by shop (columns) with a ``SUM`` total column; returns the last row.

    ``change_of``: the first P&L rows of two earlier blocks: every cell is then ``this − prior``.
    """
    n = len(figs.shops)
    _header(
        ws,
        top,
        [
            label("platform", lang),
            label("sign", lang),
            *(platform_name(p, lang) for p, _ in figs.shops),
            label("total", lang),
        ],
    )
    _header(ws, top + 1, [label("shop", lang), "", *(s for _, s in figs.shops), ""])
    total_col = 3 + n
    row = top + 2
    for i, line in enumerate([*PNL_COLUMNS, "true_margin"]):
        put(ws, row, 1, label(line, lang))
        put(ws, row, 2, sign(line)).alignment = Alignment(horizontal="center")
        for col in range(3, total_col):
            if change_of is None:
                put(ws, row, col, lines[line][col - 3], "money")
            else:
                letter = get_column_letter(col)
                this, prior = (f"{letter}{start + i}" for start in change_of)
                put(ws, row, col, f"={this}-{prior}", "formula").number_format = MONEY_FORMAT
        first, last = get_column_letter(3), get_column_letter(total_col - 1)
        formula = f"=SUM({first}{row}:{last}{row})" if n else "=0"
        put(ws, row, total_col, formula, "formula").number_format = MONEY_FORMAT
        ws.cell(row=row, column=total_col).font = BOLD
        row += 1
    _emphasise(ws, row - 1, total_col)
    if change_of is None:
        put(ws, row, 1, label("margin_pct", lang)).font = BOLD
        for col, value in enumerate(ratios, start=3):
            put(ws, row, col, value, "ratio")
        _margin_colours(ws, f"C{row}:{get_column_letter(total_col)}{row}")
        return row
    return row - 1


def summary_sheet(ws: Worksheet, figs: Figures, lang: str) -> None:
    """The P&L by shop with a total; the total against the prior month; the prior month and
    the change by shop; then what stays out of margin and what reached no SKU; then the
    waterfall and trend charts with the cells they plot."""
    ws.title = label("sheet_summary", lang)
    put(ws, 1, 1, label("title", lang, month=figs.month)).font = TITLE
    note = label(
        "costs_positive",
        lang,
        currency=figs.currency or "-",
        period=label(f"period_{figs.period}", lang),
    )
    put(ws, 2, 1, note).font = MUTED
    prior = (
        label("prior_note", lang, month=figs.prior_month)
        if figs.prior_month
        else label("prior_none", lang)
    )
    put(ws, 3, 1, prior).font = MUTED
    notes = {1, 2, 3}
    top = 5
    last = _pnl_block(ws, top, figs, lang, figs.lines, figs.ratios)
    total_col = 3 + len(figs.shops)
    _against_prior(ws, top, figs, lang, total_col)
    ws.freeze_panes = ws.cell(row=top + 2, column=3).coordinate
    row = last + 2
    if figs.prior_lines is not None and figs.prior_ratios is not None:
        notes.add(row)
        put(ws, row, 1, label("by_shop_prior", lang, month=figs.prior_month)).font = BOLD
        prior_top = row + 1
        row = _pnl_block(ws, prior_top, figs, lang, figs.prior_lines, figs.prior_ratios) + 2
        notes.add(row)
        put(ws, row, 1, label("by_shop_change", lang)).font = BOLD
        row = _pnl_block(ws, row + 1, figs, lang, {}, [], change_of=(top + 2, prior_top + 2)) + 2
    notes.add(row)
    put(ws, row, 1, label("excluded_heading", lang)).font = BOLD
    put(ws, row, 3, label("signed_amount", lang)).font = MUTED
    for category in EXCLUDED:
        row += 1
        put(ws, row, 1, label(category, lang))
        put(ws, row, 2, "±").alignment = Alignment(horizontal="center")
        for col, value in enumerate(figs.excluded[category], start=3):
            put(ws, row, col, value, "money")
    row += 2
    put(ws, row, 1, label("unallocated_total", lang))
    put(ws, row, 2, "±").alignment = Alignment(horizontal="center")
    for col, value in enumerate(figs.unallocated_total, start=3):
        put(ws, row, col, value, "money")
    lines = cost_notes(figs.costs_status, lang)
    if lines:  # sales without cost of goods, or a stated estimate: said, never hidden
        row += 2
        notes.add(row)
        put(ws, row, 1, label("costs_heading", lang)).font = BOLD
        for text in lines:
            row += 1
            notes.add(row)
            put(ws, row, 1, text)
    notes |= summary_charts(ws, figs, lang, row + 3)
    _print_setup(ws, f"{top}:{top + 1}")
    _fit_columns(ws, skip_rows=notes)


def _against_prior(ws: Worksheet, top: int, figs: Figures, lang: str, total_col: int) -> None:
    """Beside the total: the prior month's total, the change and the change %, live."""
    heads = [label("prior_month", lang), label("change", lang), label("change_pct", lang)]
    _header(ws, top, heads, start=total_col + 1)
    _header(ws, top + 1, [figs.prior_month or "", "", ""], start=total_col + 1)
    this, before = get_column_letter(total_col), get_column_letter(total_col + 1)
    change = get_column_letter(total_col + 2)
    for i, line in enumerate([*PNL_COLUMNS, "true_margin"]):
        row = top + 2 + i
        prior = figs.prior_total(line)
        if prior is None:
            continue
        put(ws, row, total_col + 1, prior, "money")
        put(
            ws, row, total_col + 2, f"={this}{row}-{before}{row}", "formula"
        ).number_format = MONEY_FORMAT
        put(
            ws,
            row,
            total_col + 3,
            f'=IF({before}{row}=0,"",{change}{row}/ABS({before}{row}))',
            "formula",
        ).number_format = RATIO_FORMAT
    if figs.prior_ratios is not None:
        row = top + 2 + len(PNL_COLUMNS) + 1
        put(ws, row, total_col + 1, figs.prior_ratios[-1], "ratio")
        _margin_colours(ws, f"{before}{row}:{before}{row}")
    _emphasise(ws, top + 2 + len(PNL_COLUMNS), total_col + 3)
