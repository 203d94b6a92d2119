"""How cells look and what they may hold: number formats, fills, fonts, and ``put``/``safe_text``
that write a value so statement text can never become a formula."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from finance.money import cents_to_decimal
from finance.report.csvfile import FORMULA_STARTS

if TYPE_CHECKING:
    pass


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
