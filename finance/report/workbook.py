"""The month's P&L workbook: sheets Summary, SKUs and Unallocated, built with openpyxl.

Money is written as exact ``Decimal`` (cents / 100, never a float) with one number format;
ratios as ``Decimal`` with a percent format. Every text cell that can come from a statement goes
through ``safe_text`` so that it can never become a formula.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finance.export import EXPORT_COLUMNS
from finance.i18n import basis_text, reason_text
from finance.margin import PNL_COLUMNS
from finance.money import cents_to_decimal
from finance.report.labels import category_name, flag_text, label, platform_name, sign
from finance.schema import EXCLUDED

if TYPE_CHECKING:
    from finance.report import Figures

MONEY_FORMAT = "#,##0.00;[Red]-#,##0.00"
RATIO_FORMAT = "0.00%;[Red]-0.00%"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula (OWASP "CSV injection")."""

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
RULE_ABOVE = Border(top=Side(style="thin"))
RULE_BELOW = Border(bottom=Side(style="thin"))
MUTED = Font(italic=True, color="666666")


def safe_text(cell: Cell, value: str) -> Cell:
    """Write ``value`` to ``cell`` as text that a spreadsheet never evaluates.

    Statement text (shops, SKUs, fee names, reasons) is written by whoever made the statement:
    a SKU named ``=HYPERLINK("http://x")`` must stay text. The cell is typed as a string, and
    text that starts like a formula also gets Excel's quote prefix (what typing a leading ``'``
    does), so it stays text even after someone edits the cell. Characters XML cannot hold are
    dropped; empty text leaves the cell empty.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not text:
        cell.value = None
        return cell
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def put(ws: Worksheet, row: int, col: int, value: object, kind: str = "text") -> Cell:
    """Write one cell: ``money`` takes integer cents, ``ratio`` a Decimal, ``int`` a count."""
    cell = ws.cell(row=row, column=col)
    if value is None or value == "":
        return cell
    if kind == "money":
        cell.value = cents_to_decimal(int(value))
        cell.number_format = MONEY_FORMAT
    elif kind == "ratio":
        cell.value = Decimal(value)
        cell.number_format = RATIO_FORMAT
    elif kind == "int":
        cell.value = int(value)
    else:
        safe_text(cell, str(value))
    return cell


def _header(ws: Worksheet, row: int, values: list[str]) -> None:
    for col, text in enumerate(values, start=1):
        cell = put(ws, row, col, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = RULE_BELOW
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _table(
    ws: Worksheet, headers: list[str], kinds: list[str], rows: Iterable[list[object]]
) -> int:
    """A header row, data rows, an autofilter and a frozen header; returns the last row."""
    _header(ws, 1, headers)
    last = 1
    for last, values in enumerate(rows, start=2):
        for col, (value, kind) in enumerate(zip(values, kinds, strict=True), start=1):
            put(ws, last, col, value, kind)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
    return last


def _line(ws: Worksheet, row: int, name: str, mark: str, values: list, kind: str) -> None:
    put(ws, row, 1, name)
    put(ws, row, 2, mark).alignment = Alignment(horizontal="center")
    for col, value in enumerate(values, start=3):
        put(ws, row, col, value, kind)


def _emphasise(ws: Worksheet, row: int, width: int) -> None:
    for col in range(1, width + 1):
        ws.cell(row=row, column=col).font = Font(bold=True)
        ws.cell(row=row, column=col).border = RULE_ABOVE


def summary_sheet(ws: Worksheet, figs: Figures, lang: str) -> None:
    """P&L lines (rows) by shop (columns) with a total, then excluded lines, then unallocated."""
    ws.title = label("sheet_summary", lang)
    put(ws, 1, 1, label("title", lang, month=figs.month)).font = Font(bold=True, size=14)
    put(
        ws,
        2,
        1,
        label(
            "costs_positive",
            lang,
            currency=figs.currency or "-",
            period=label(f"period_{figs.period}", lang),
        ),
    ).font = MUTED
    width = 3 + len(figs.shops)
    _header(
        ws,
        4,
        [
            label("platform", lang),
            label("sign", lang),
            *(platform_name(p, lang) for p, _ in figs.shops),
            label("total", lang),
        ],
    )
    _header(ws, 5, [label("shop", lang), "", *(s for _, s in figs.shops), ""])
    row = 6
    for line in [*PNL_COLUMNS, "true_margin"]:
        _line(ws, row, label(line, lang), sign(line), figs.lines[line], "money")
        row += 1
    _emphasise(ws, row - 1, width)
    _line(ws, row, label("margin_pct", lang), "", figs.ratios, "ratio")
    ws.cell(row=row, column=1).font = Font(bold=True)
    row += 2
    notes = {1, 2, row}  # long text that may run over into the next cells
    put(ws, row, 1, label("excluded_heading", lang)).font = Font(bold=True)
    put(ws, row, 3, label("signed_amount", lang)).font = MUTED
    for category in EXCLUDED:
        row += 1
        _line(ws, row, label(category, lang), "±", figs.excluded[category], "money")
    row += 2
    _line(ws, row, label("unallocated_total", lang), "±", figs.unallocated_total, "money")
    ws.freeze_panes = "C6"
    _fit_columns(ws, skip_rows=notes)


def _sku_rows(figs: Figures, lang: str) -> Iterable[list[object]]:
    for r in figs.skus.iter_rows(named=True):
        ratio = r["margin_pct"]
        yield [
            platform_name(r["platform"], lang),
            r["shop"],
            r["sku"] if r["sku"] is not None else label("unallocated_row", lang),
            r["units_sold"],
            r["units_returned"],
            *(r[c] for c in PNL_COLUMNS),
            r["true_margin"],
            Decimal(ratio) if ratio else None,
            flag_text(
                cost_missing=bool(r["cost_missing"]),
                returns_inferred=bool(r["returns_inferred"]),
                lang=lang,
            ),
        ]


def sku_sheet(ws: Worksheet, figs: Figures, lang: str) -> None:
    """One row per P&L row; a shop's unallocated row is labelled in the SKU column."""
    ws.title = label("sheet_skus", lang)
    columns = [*(c for c in EXPORT_COLUMNS if c != "month"), "flags"]
    kinds = [
        "text",
        "text",
        "text",
        "int",
        "int",
        *(["money"] * (len(PNL_COLUMNS) + 1)),
        "ratio",
        "text",
    ]
    _table(ws, [label(c, lang) for c in columns], kinds, _sku_rows(figs, lang))
    for row, sku in enumerate(figs.skus["sku"], start=2):
        if sku is None:
            ws.cell(row=row, column=3).font = MUTED
    ws.freeze_panes = "D2"
    _fit_columns(ws)


def unallocated_sheet(ws: Worksheet, figs: Figures, lang: str) -> None:
    """The parts that reached no SKU, by shop, category and reason (signed amounts)."""
    ws.title = label("sheet_unallocated", lang)
    headers = [
        label(c, lang)
        for c in ("platform", "shop", "category", "reason", "entries", "signed_amount")
    ]
    rows = (
        [
            platform_name(p, lang),
            shop,
            category_name(c, lang),
            reason_text(reason, lang),
            entries,
            amount,
        ]
        for p, shop, c, reason, entries, amount in figs.unallocated.select(
            "platform", "shop", "category", "reason", "entries", "amount"
        ).iter_rows()
    )
    _table(ws, headers, ["text", "text", "text", "text", "int", "money"], rows)
    ws.freeze_panes = "A2"
    _fit_columns(ws)


def bases_sheet(ws: Worksheet, figs: Figures, lang: str) -> None:
    """How split costs were divided: key and basis per category (fallbacks in their words)."""
    ws.title = label("sheet_bases", lang)
    headers = [
        label(c, lang)
        for c in ("platform", "shop", "category", "key", "basis", "entries", "signed_amount")
    ]
    rows = (
        [
            platform_name(p, lang),
            shop or "",
            category_name(c, lang),
            label(f"key_{key}", lang),
            basis_text(basis, lang),
            n,
            amount,
        ]
        for p, shop, c, key, basis, n, amount in figs.bases.select(
            "platform", "shop", "category", "key", "basis", "entries", "amount"
        ).iter_rows()
    )
    _table(ws, headers, ["text", "text", "text", "text", "text", "int", "money"], rows)
    ws.freeze_panes = "A2"
    _fit_columns(ws)


def build(figs: Figures, *, lang: str = "zh-CN") -> Workbook:
    """The workbook in memory (``finance.report.write_workbook`` saves it)."""
    book = Workbook()
    summary_sheet(book.active, figs, lang)
    sku_sheet(book.create_sheet(), figs, lang)
    unallocated_sheet(book.create_sheet(), figs, lang)
    bases_sheet(book.create_sheet(), figs, lang)
    return book


def display_width(value: object) -> int:
    """Roughly how many character widths a value takes (CJK characters count twice)."""
    if isinstance(value, Decimal):
        return len(f"{value:,.2f}") + 1
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit_columns(
    ws: Worksheet,
    *,
    skip_rows: frozenset[int] | set[int] = frozenset(),
    least: int = 8,
    most: int = 48,
) -> None:
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or cell.row in skip_rows:
                continue
            widths[cell.column] = max(widths.get(cell.column, 0), display_width(cell.value))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, least), most)
