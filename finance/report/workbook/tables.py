"""A frame as a sheet's table: header, data rows (deferred to ``xlsxrows``), live totals,
spill to CSV beyond Excel's row limit, and column widths."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finance.money import cents_to_decimal, cents_to_text
from finance.report import xlsxrows
from finance.report.csvfile import write_for_excel
from finance.report.labels import label
from finance.report.workbook.style import (
    BOLD,
    INT_FORMAT,
    MONEY_FORMAT,
    MUTED,
    NUMBER_FORMATS,
    TOP,
    WRAP,
    _emphasise,
    _header,
    _print_setup,
    put,
)

if TYPE_CHECKING:
    pass


MAX_ROWS = 1_048_576


"""Excel's rows per sheet. A table that would not fit goes to CSV beside the workbook (a test
lowers this to see it happen)."""


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
