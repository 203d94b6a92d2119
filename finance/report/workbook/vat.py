"""The ex-VAT P&L sheet (when ``[tax]`` sets a regime): the basis the figures use, then the P&L
by shop in the terms Chinese finance uses (主营业务收入, 主营业务成本, 毛利, 销售费用, 贡献毛利),
the VAT as memo lines; totals are live ``SUM`` formulas."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finance.report.labels import label, platform_name
from finance.report.margin_basis import VAT_RATIOS, incomplete_shops
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
from finance.vat import LINE_SIGNS, VAT_LINES

if TYPE_CHECKING:
    from finance.report import Figures

RESULT_LINES = ("gross_profit", "contribution_ex_vat")
MEMO_LINES = ("output_vat", "input_vat")


def vat_sheet(ws: Worksheet, figs: Figures, lang: str) -> None:
    """The ex-VAT P&L by shop (lines as rows, shops as columns, a ``SUM`` total column)."""
    assert figs.vat is not None
    ws.title = label("sheet_vat", lang)
    put(ws, 1, 1, f"{label('vat_heading', lang)} {figs.month}").font = TITLE
    notes = [label("vat_note", lang, currency=figs.currency or "-"), *figs.vat.tax.describe(lang)]
    for i, text in enumerate(notes, start=2):
        put(ws, i, 1, text).font = MUTED
    top = len(notes) + 3
    n = len(figs.shops)
    total_col = 3 + n
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
    incomplete = incomplete_shops(figs.costs_status)
    row = top + 2
    rows: dict[str, int] = {}
    for line in VAT_LINES:
        if line == MEMO_LINES[0]:
            row += 1
            put(ws, row, 1, label("vat_memo", lang)).font = MUTED
            row += 1
        rows[line] = row
        put(ws, row, 1, label(line, lang))
        put(ws, row, 2, LINE_SIGNS[line]).alignment = Alignment(horizontal="center")
        for col, value in enumerate(figs.vat.lines[line][:n], start=3):
            put(ws, row, col, value, "money")
        first, last = get_column_letter(3), get_column_letter(total_col - 1)
        formula = f"=SUM({first}{row}:{last}{row})" if n else "=0"
        put(ws, row, total_col, formula, "formula").number_format = MONEY_FORMAT
        ws.cell(row=row, column=total_col).font = BOLD
        if line in RESULT_LINES:
            _emphasise(ws, row, total_col)
        row += 1
        if line in RESULT_LINES:
            ratio_name = next(k for k, v in VAT_RATIOS.items() if v == line)
            put(ws, row, 1, label(ratio_name, lang)).font = BOLD
            for col in range(3, total_col + 1):
                shop = figs.shops[col - 3] if col < total_col else None
                if (shop in incomplete) or (shop is None and incomplete):
                    continue  # no cost of goods: the ratio would not be a margin
                letter = get_column_letter(col)
                revenue, value = (f"{letter}{rows[x]}" for x in ("revenue_ex_vat", line))
                put(
                    ws, row, col, f'=IF({revenue}=0,"",{value}/{revenue})', "formula"
                ).number_format = RATIO_FORMAT
            _margin_colours(ws, f"C{row}:{get_column_letter(total_col)}{row}")
            row += 1
    ws.freeze_panes = ws.cell(row=top + 2, column=3).coordinate
    _print_setup(ws, f"{top}:{top + 1}")
    _fit_columns(ws, skip_rows=set(range(1, top)))
