"""The month's P&L workbook, built with openpyxl.

Sheets: Summary (P&L by platform and shop; this month, prior month, change), SKUs, Cost
structure, Unallocated & unclassified, Allocation, Sources, then one sheet per contributed
``Section``. Money is written as exact ``Decimal`` (cents / 100, never a float) with one number
format; ratios as ``Decimal`` with a percent format; totals are live ``SUM`` formulas so staff can
audit them. Every text cell that can come from a statement goes through ``safe_text`` so that it
can never become a formula. A table longer than a sheet holds (``MAX_ROWS``) goes to a CSV file
beside the workbook, and its sheet says where.

A table's data rows (the SKU sheet's tens of thousands on a big month) are rendered by polars in
``xlsxrows`` and written when the workbook is saved: the same values (money as the exact decimal
text of its cents), formats and quote prefixes as ``put`` and ``safe_text`` give, tested cell for
cell against them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finance.i18n import basis_text, reason_text
from finance.margin import PNL_COLUMNS
from finance.money import cents_to_decimal, cents_to_text
from finance.report import xlsxrows
from finance.report.csvfile import FORMULA_STARTS, write_for_excel
from finance.report.labels import category_name, flag_text, label, platform_name, sign
from finance.schema import COST_CATEGORIES, EXCLUDED

if TYPE_CHECKING:
    from finance.report import Figures
    from finance.report.sections import Section

MAX_ROWS = 1_048_576
"""Excel's rows per sheet. A table that would not fit goes to CSV beside the workbook (a test
lowers this to see it happen)."""
MONEY_FORMAT = "#,##0.00;[Red]-#,##0.00"
RATIO_FORMAT = "0.00%;[Red]-0.00%"
INT_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
NUMBER_FORMATS = {
    "money": MONEY_FORMAT,
    "ratio": RATIO_FORMAT,
    "int": INT_FORMAT,
    "date": DATE_FORMAT,
    "datetime": DATETIME_FORMAT,
}
MARGIN_LOW = Decimal("0.10")
"""Margin % below this is shaded amber, below zero red, otherwise green."""

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
RED_FILL = PatternFill("solid", fgColor="F8D7DA")
AMBER_FILL = PatternFill("solid", fgColor="FFF3CD")
GREEN_FILL = PatternFill("solid", fgColor="D4EDDA")
RULE_ABOVE = Border(top=Side(style="thin"))
RULE_BELOW = Border(bottom=Side(style="thin"))
FONT = "Calibri"  # openpyxl's default body font; named so every office program uses the same
MUTED = Font(name=FONT, italic=True, color="666666")
BOLD = Font(name=FONT, bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
TITLE = Font(name=FONT, bold=True, size=14)


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
    """Write one cell: ``money`` takes integer cents, ``ratio`` a Decimal, ``int`` a count,
    ``date``/``datetime`` a date, ``formula`` our own formula text (never statement text)."""
    cell = ws.cell(row=row, column=col)
    if value is None or value == "":
        return cell
    if kind == "money":
        cell.value = cents_to_decimal(int(value))  # type: ignore[call-overload]
        cell.number_format = MONEY_FORMAT
    elif kind == "ratio":
        cell.value = Decimal(value)  # type: ignore[arg-type]
        cell.number_format = RATIO_FORMAT
    elif kind == "int":
        cell.value = int(value)  # type: ignore[call-overload]
        cell.number_format = INT_FORMAT
    elif kind in ("date", "datetime"):
        cell.value = value
        cell.number_format = DATE_FORMAT if kind == "date" else DATETIME_FORMAT
    elif kind == "formula":
        cell.value = str(value)
    else:
        safe_text(cell, str(value))
    return cell


def _header(
    ws: Worksheet,
    row: int,
    values: Sequence[str],
    start: int = 1,
    *,
    numeric: Sequence[bool] | None = None,
    numeric_from: int = 3,
) -> None:
    """A header row; headings over figures are right-aligned like the figures (by default
    from column ``numeric_from`` on, or as ``numeric`` says per column)."""
    for i, text in enumerate(values):
        col = start + i
        cell = put(ws, row, col, text)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = RULE_BELOW
        right = numeric[i] if numeric is not None else col >= numeric_from
        cell.alignment = Alignment(
            wrap_text=True, vertical="center", horizontal="right" if right else "left"
        )


def _emphasise(ws: Worksheet, row: int, width: int) -> None:
    for col in range(1, width + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = BOLD
        cell.border = RULE_ABOVE
        cell.fill = TOTAL_FILL


def _print_setup(ws: Worksheet, title_rows: str | None = None) -> None:
    """Landscape, fit to one page wide, the header repeated on every printed page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    if title_rows:
        ws.print_title_rows = title_rows


def _margin_colours(ws: Worksheet, ref: str) -> None:
    """Shade margin % cells: red below zero, amber below ``MARGIN_LOW``, green otherwise."""
    low = str(MARGIN_LOW)
    # Blank cells (no net sales) stay unshaded.
    ws.conditional_formatting.add(
        ref, CellIsRule(operator="lessThan", formula=["0"], fill=RED_FILL, stopIfTrue=True)
    )
    ws.conditional_formatting.add(
        ref,
        CellIsRule(operator="between", formula=["0", low], fill=AMBER_FILL, stopIfTrue=True),
    )
    ws.conditional_formatting.add(
        ref, CellIsRule(operator="greaterThan", formula=[low], fill=GREEN_FILL)
    )


@dataclass(frozen=True)
class Column:
    """A table column: its heading, how its cells are written, and whether it gets a total."""

    name: str
    heading: str
    kind: str = "text"  # text | int | money | ratio | date | datetime
    total: bool = False
    wrap: int = 0  # long text: wrap it within this many characters' width
    muted: str | None = None  # a boolean column of the frame: grey this cell where true


def _spill(
    ws: Worksheet, frame: pl.DataFrame, columns: list[Column], folder: Path | None, key: str
) -> Path:
    """Write a table too long for a sheet to ``pnl-<key>.csv`` (UTF-8 with BOM, for Excel)."""
    name = f"pnl-{key}.csv"
    target = (folder or Path(".")) / name
    out = frame.select(
        [
            (cents_to_text(pl.col(c.name)) if c.kind == "money" else pl.col(c.name)).alias(
                c.heading
            )
            for c in columns
        ]
    )
    return write_for_excel(out, target)


def _cell_rows(ws: Worksheet, frame: pl.DataFrame, columns: list[Column], first: int) -> int:
    """Rows written cell by cell, for tables with wrapped text (their rows get a height from
    the text; such tables are short: the unallocated parts, the imported files). Returns the
    last row written."""
    row = first - 1
    names = [c.name for c in columns]
    kinds = [c.kind for c in columns]
    for row, values in enumerate(frame.select(names).iter_rows(), start=first):
        for col, (value, kind) in enumerate(zip(values, kinds, strict=True), start=1):
            put(ws, row, col, value, kind)
    for col, column in enumerate(columns, start=1):
        if column.muted:
            for r, grey in enumerate(frame[column.muted], start=first):
                if grey:
                    ws.cell(row=r, column=col).font = MUTED
    last = row
    wrapped = [(col, c.wrap) for col, c in enumerate(columns, start=1) if c.wrap]
    for r in range(first, last + 1):
        for col in range(1, len(columns) + 1):
            ws.cell(row=r, column=col).alignment = TOP
        lines = 1
        for col, width in wrapped:
            cell = ws.cell(row=r, column=col)
            cell.alignment = WRAP
            if cell.value is not None:
                lines = max(lines, -(-display_width(cell.value) // (width - 2)))
        if lines > 1:  # office programs do not all size wrapped rows themselves
            ws.row_dimensions[r].height = 15 * lines
    return last


def table(
    ws: Worksheet,
    frame: pl.DataFrame,
    columns: list[Column],
    lang: str,
    *,
    top: int = 1,
    key: str,
    folder: Path | None = None,
    freeze: int = 1,
    total_label: str | None = None,
) -> int:
    """A header row at ``top``, one row per frame row, a total row with live ``SUM`` formulas
    (when a column asks for one), an autofilter, a frozen header and print set-up.

    Returns the last row written. When the table would not fit in a sheet (``MAX_ROWS``) the
    whole frame goes to ``pnl-<key>.csv`` beside the workbook and the sheet says where.
    """
    totals = any(c.total for c in columns) and frame.height > 0
    if top + frame.height + (1 if totals else 0) > MAX_ROWS:
        target = _spill(ws, frame, columns, folder, key)
        note = label(
            "spilled", lang, rows=f"{frame.height:,}", limit=f"{MAX_ROWS:,}", file=target.name
        )
        put(ws, top, 1, note).font = BOLD
        put(ws, top + 1, 1, target.name)
        return top + 1
    _header(ws, top, [c.heading for c in columns], numeric=[c.kind != "text" for c in columns])
    first = top + 1
    if any(c.wrap for c in columns):
        last = _cell_rows(ws, frame, columns, first)
    else:
        xlsxrows.defer(
            ws,
            frame,
            [(c.name, c.kind, c.muted) for c in columns],
            first,
            xlsxrows.styles(ws, NUMBER_FORMATS, MUTED),
        )
        last = top + frame.height
    width = len(columns)
    ws.auto_filter.ref = f"A{top}:{get_column_letter(width)}{max(last, top)}"
    ws.freeze_panes = f"{get_column_letter(freeze)}{top + 1}"  # (ws.cell would make a cell)
    _print_setup(ws, f"{top}:{top}")
    if totals:
        last += 1
        put(ws, last, 1, total_label or label("total", lang))
        for col, column in enumerate(columns, start=1):
            if column.total:
                letter = get_column_letter(col)
                cell = put(ws, last, col, f"=SUM({letter}{first}:{letter}{last - 1})", "formula")
                cell.number_format = MONEY_FORMAT if column.kind == "money" else INT_FORMAT
        _emphasise(ws, last, width)
    return last


# --- Summary


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
    the change by shop; then what stays out of margin and what reached no SKU."""
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


# --- SKUs


def sku_frame(figs: Figures, lang: str) -> pl.DataFrame:
    """The SKU sheet's rows: names in the reader's language, flags as words, ratios as text."""
    pnl = figs.skus
    flags = [
        flag_text(cost_missing=bool(c), returns_inferred=bool(r), lang=lang)
        for c, r in zip(pnl["cost_missing"], pnl["returns_inferred"], strict=True)
    ]
    return pnl.with_columns(
        platform=pl.col("platform").replace_strict(
            {p: platform_name(p, lang) for p in pnl["platform"].unique().to_list()},
            default=pl.col("platform"),
            return_dtype=pl.String,
        ),
        sku=pl.col("sku").fill_null(label("unallocated_row", lang)),
        margin_pct=pl.col("margin_pct").replace("", None),
        flags=pl.Series(flags, dtype=pl.String),
    )


def sku_sheet(ws: Worksheet, figs: Figures, lang: str, folder: Path | None) -> None:
    """One row per P&L row (a shop's unallocated row labelled in the SKU column), a total row
    of live sums, and margin % shaded."""
    ws.title = label("sheet_skus", lang)
    columns = [
        Column("platform", label("platform", lang)),
        Column("shop", label("shop", lang)),
        Column("sku", label("sku", lang), muted="unallocated"),
        Column("units_sold", label("units_sold", lang), "int", total=True),
        Column("units_returned", label("units_returned", lang), "int", total=True),
        *(Column(c, label(c, lang), "money", total=True) for c in PNL_COLUMNS),
        Column("true_margin", label("true_margin", lang), "money", total=True),
        Column("margin_pct", label("margin_pct", lang), "ratio"),
        Column("flags", label("flags", lang)),
    ]
    frame = sku_frame(figs, lang).with_columns(unallocated=figs.skus["sku"].is_null())
    last = table(ws, frame, columns, lang, key="skus", folder=folder, freeze=4)
    if ws.auto_filter.ref is None or frame.height == 0:
        _fit_columns(ws)
        return  # spilled to CSV, or nothing to total
    pct = columns.index(next(c for c in columns if c.name == "margin_pct")) + 1
    letter = get_column_letter(pct)
    sales, refund, margin = (
        get_column_letter(columns.index(next(c for c in columns if c.name == n)) + 1)
        for n in ("sales", "refund", "true_margin")
    )
    net = f"({sales}{last}-{refund}{last})"
    total = put(ws, last, pct, f'=IF({net}=0,"",{margin}{last}/{net})', "formula")
    total.number_format = RATIO_FORMAT
    _margin_colours(ws, f"{letter}2:{letter}{last}")
    _fit_columns(ws)


# --- Cost structure


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
    """Per platform: each cost line in money, then the same as a share of net sales (live)."""
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
    for line in [*COST_LINES[2:], "total_costs", "true_margin"]:
        source = {"total_costs": costs_row, "true_margin": margin_row}.get(line) or rows[line]
        put(ws, row, 1, label(line, lang))
        for col in range(3, total_col + 1):
            c = get_column_letter(col)
            formula = f'=IF({c}${net_row}=0,"",{c}{source}/{c}${net_row})'
            put(ws, row, col, formula, "formula").number_format = RATIO_FORMAT
        if line == "true_margin":
            _emphasise(ws, row, total_col)
            _margin_colours(ws, f"C{row}:{get_column_letter(total_col)}{row}")
        row += 1
    ws.freeze_panes = ws.cell(row=top + 1, column=3).coordinate
    _print_setup(ws, f"{top}:{top}")
    _fit_columns(ws, skip_rows={1, 2, share_top})


# --- Unallocated & unclassified


EXCEPTION_SCHEMA = {
    "kind": pl.String,
    "platform": pl.String,
    "shop": pl.String,
    "category": pl.String,
    "fee_name": pl.String,
    "reason": pl.String,
    "entries": pl.Int64,
    "amount": pl.Int64,
}


def exceptions_frame(figs: Figures, lang: str) -> pl.DataFrame:
    """Parts that reached no SKU (with the reason), then fee names no rule maps."""
    unallocated = pl.DataFrame(
        [
            {
                "kind": label("kind_unallocated", lang),
                "platform": platform_name(p, lang),
                "shop": shop,
                "category": category_name(c, lang),
                "fee_name": "",
                "reason": reason_text(reason, lang),
                "entries": entries,
                "amount": amount,
            }
            for p, shop, c, reason, entries, amount in figs.unallocated.select(
                "platform", "shop", "category", "reason", "entries", "amount"
            ).iter_rows()
        ],
        schema=EXCEPTION_SCHEMA,
    )
    names = figs.unclassified
    if names.height == 0:
        return unallocated
    unclassified = names.select(
        kind=pl.lit(label("kind_unclassified", lang)),
        platform=pl.col("platform").replace_strict(
            {p: platform_name(p, lang) for p in names["platform"].unique().to_list()},
            return_dtype=pl.String,
        ),
        shop=pl.col("shop"),
        category=pl.lit(category_name("unclassified", lang)),
        fee_name=pl.col("fee_name"),
        reason=pl.lit(label("no_rule_reason", lang)),
        entries=pl.col("entries"),
        amount=pl.col("amount"),
    )
    return pl.concat([unallocated, unclassified.cast(EXCEPTION_SCHEMA)])  # type: ignore[arg-type]


def exceptions_sheet(ws: Worksheet, figs: Figures, lang: str, folder: Path | None) -> None:
    ws.title = label("sheet_exceptions", lang)
    columns = [
        Column("kind", label("kind", lang)),
        Column("platform", label("platform", lang)),
        Column("shop", label("shop", lang)),
        Column("category", label("category", lang)),
        Column("fee_name", label("fee_name", lang), wrap=30),
        Column("reason", label("reason", lang), wrap=60),
        Column("entries", label("entries", lang), "int"),
        Column("amount", label("signed_amount", lang), "money"),
    ]
    table(ws, exceptions_frame(figs, lang), columns, lang, key="exceptions", folder=folder)
    _fit_columns(ws)
    _wrap_widths(ws, columns)


def bases_sheet(ws: Worksheet, figs: Figures, lang: str, folder: Path | None) -> None:
    """How split costs were divided: key and basis per category (fallbacks in their words)."""
    ws.title = label("sheet_bases", lang)
    frame = pl.DataFrame(
        [
            {
                "platform": platform_name(p, lang),
                "shop": shop or "",
                "category": category_name(c, lang),
                "key": label(f"key_{key}", lang),
                "basis": basis_text(basis, lang),
                "entries": n,
                "amount": amount,
            }
            for p, shop, c, key, basis, n, amount in figs.bases.select(
                "platform", "shop", "category", "key", "basis", "entries", "amount"
            ).iter_rows()
        ],
        schema={
            **dict.fromkeys(("platform", "shop", "category", "key", "basis"), pl.String),
            "entries": pl.Int64,
            "amount": pl.Int64,
        },
    )
    columns = [Column(c, label(c, lang)) for c in ("platform", "shop", "category", "key", "basis")]
    columns += [
        Column("entries", label("entries", lang), "int"),
        Column("amount", label("signed_amount", lang), "money"),
    ]
    table(ws, frame, columns, lang, key="allocation", folder=folder)
    _fit_columns(ws)


SOURCE_KINDS = {
    "rows_read": "int",
    "rows_added": "int",
    "rows_skipped": "int",
    "rows_this_month": "int",
    "first_date": "date",
    "last_date": "date",
    "imported_at": "datetime",
}


def sources_sheet(ws: Worksheet, figs: Figures, lang: str, folder: Path | None) -> None:
    """Each imported file behind the month: name, format, shop, rows, date range, hash."""
    ws.title = label("sheet_sources", lang)
    frame = figs.sources
    if frame.width == 0:
        from finance.report import SOURCE_COLUMNS

        frame = pl.DataFrame(schema=SOURCE_COLUMNS)
    frame = frame.with_columns(
        platform=pl.col("platform").replace_strict(
            {p: platform_name(p, lang) for p in frame["platform"].drop_nulls().unique().to_list()},
            default=pl.col("platform"),
            return_dtype=pl.String,
        )
    )
    names = {"name": "file_name", "kind": "file_kind"}
    wraps = {"name": 36, "sha256": 20, "archived_as": 30}
    columns = [
        Column(
            c,
            label(names.get(c, c), lang),
            SOURCE_KINDS.get(c, "text"),
            c == "rows_this_month",
            wraps.get(c, 0),
        )
        for c in frame.columns
    ]
    table(ws, frame, columns, lang, key="sources", folder=folder)
    _fit_columns(ws)
    _wrap_widths(ws, columns)


# --- contributed sections


SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\']")


def sheet_name(text: str, taken: Sequence[str]) -> str:
    """A valid, unused sheet name (Excel: at most 31 characters, none of []:*?/\\)."""
    base = SHEET_NAME_BAD.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", text)).strip()[:31] or "Sheet"
    name, n = base, 2
    lowered = {t.lower() for t in taken}
    while name.lower() in lowered:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    return name


def _section_kind(dtype: pl.DataType, money: bool) -> str:
    if money:
        return "money"
    if dtype.is_integer():
        return "int"
    if dtype == pl.Date:
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "datetime"
    return "text"


def section_sheet(ws: Worksheet, section: Section, lang: str, folder: Path | None) -> None:
    """One contributed section as a table: money in yuan, statement text kept as text."""
    ws.title = sheet_name(section.heading(lang), [s.title for s in ws.parent if s is not ws])
    frame = section.rows(lang)
    top = 1
    for line in section.summary.get(lang) or section.summary.get("en") or []:
        put(ws, top, 1, line).font = MUTED
        top += 1
    if top > 1:
        top += 1
    columns = [
        Column(
            c,
            section.column_label(c, lang),
            _section_kind(frame.schema[c], c in section.money),
            total=section.totals and c in section.money,
        )
        for c in frame.columns
    ]
    text = [
        c for c in frame.columns if _section_kind(frame.schema[c], c in section.money) == "text"
    ]
    frame = frame.with_columns(pl.col(text).cast(pl.String)) if text else frame
    key = re.sub(r"[^A-Za-z0-9_-]", "_", section.key) or "section"
    table(ws, frame, columns, lang, top=top, key=key, folder=folder)
    _fit_columns(ws, skip_rows=set(range(1, top)))


def build(
    figs: Figures,
    *,
    lang: str = "zh-CN",
    sections: Sequence[Section] = (),
    folder: Path | None = None,
) -> Workbook:
    """The workbook in memory; ``folder`` is where tables too long for a sheet are written.

    The tables' data rows are not cells of the workbook: they are written when it is saved
    with ``xlsxrows.save`` (as ``finance.report.write_workbook`` does), not ``Workbook.save``."""
    book = Workbook()
    book.calculation.fullCalcOnLoad = True  # totals are formulas: compute them on opening
    summary_sheet(book.active, figs, lang)
    sku_sheet(book.create_sheet(), figs, lang, folder)
    costs_sheet(book.create_sheet(), figs, lang)
    exceptions_sheet(book.create_sheet(), figs, lang, folder)
    bases_sheet(book.create_sheet(), figs, lang, folder)
    sources_sheet(book.create_sheet(), figs, lang, folder)
    for section in sections:
        section_sheet(book.create_sheet(), section, lang, folder)
    return book


def display_width(value: object) -> int:
    """Roughly how many character widths a value takes (CJK characters count twice)."""
    if isinstance(value, Decimal):
        return len(f"{value:,.2f}") + 1
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    text = str(value)
    if text.startswith("="):
        return 12  # a formula: as wide as a money figure
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap_widths(ws: Worksheet, columns: list[Column]) -> None:
    """Long-text columns keep the width they wrap at."""
    for col, column in enumerate(columns, start=1):
        if column.wrap:
            ws.column_dimensions[get_column_letter(col)].width = column.wrap


FIT_ROWS = 5_000


def _deferred_widths(ws: Worksheet, rows: int) -> dict[int, int]:
    """The widest of the first ``rows`` values of each column of the rows ``table`` deferred,
    measured on the values ``put`` would write."""
    deferred = xlsxrows.pending(ws)
    if deferred is None:
        return {}
    head = deferred.frame.head(rows)
    widths: dict[int, int] = {}
    for col, (name, kind) in enumerate(zip(deferred.names, deferred.kinds, strict=True), 1):
        values = head[name].drop_nulls()
        if kind == "money":
            shown = [cents_to_decimal(int(v)) for v in values]
        elif kind == "ratio":
            shown = [Decimal(v) for v in values if v != ""]
        elif kind in ("int", "date", "datetime"):
            shown = list(values)
        else:
            shown = [t for v in values if (t := ILLEGAL_CHARACTERS_RE.sub("", str(v)))]
        if shown:
            widths[col] = max(display_width(v) for v in shown)
    return widths


def _fit_columns(
    ws: Worksheet,
    *,
    skip_rows: frozenset[int] | set[int] = frozenset(),
    least: int = 8,
    most: int = 48,
    rows: int = FIT_ROWS,
) -> None:
    """Column widths from the widest value in the first ``rows`` rows (a big sheet's first few
    thousand rows show its widths; measuring every cell of 60,000 rows costs seconds)."""
    widths = _deferred_widths(ws, rows)
    # The cells that exist (``ws.iter_rows`` would create every cell of its range, the rows
    # ``table`` deferred among them).
    for cell in list(ws._cells.values()):
        if cell.value is None or cell.row > rows or cell.row in skip_rows:
            continue
        widths[cell.column] = max(widths.get(cell.column, 0), display_width(cell.value))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, least), most)
