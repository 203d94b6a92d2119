"""The month's P&L workbook, built with openpyxl (XlsxWriter was measured against it:
``benchmarks/FINDINGS.md``, fourth round).

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

The package, one module per concern: ``style`` (formats, fonts, ``put``/``safe_text``),
``tables`` (a frame as a table, spill, widths), one module per sheet (``summary``, ``skus``,
``costs``, ``detail``, ``sections``), ``charts`` (native Excel charts: the waterfall and trend
on Summary, the cost shares on Cost structure) and ``build`` (the workbook).
"""

from __future__ import annotations

from finance.report.workbook.build import build
from finance.report.workbook.costs import COST_LINES, costs_sheet
from finance.report.workbook.detail import (
    EXCEPTION_SCHEMA,
    SOURCE_KINDS,
    bases_sheet,
    exceptions_frame,
    exceptions_sheet,
    sources_sheet,
)
from finance.report.workbook.sections import SHEET_NAME_BAD, section_sheet, sheet_name
from finance.report.workbook.skus import sku_frame, sku_sheet
from finance.report.workbook.style import (
    AMBER_FILL,
    BOLD,
    DATE_FORMAT,
    DATETIME_FORMAT,
    FONT,
    GREEN_FILL,
    HEADER_FILL,
    INT_FORMAT,
    MARGIN_LOW,
    MONEY_FORMAT,
    MUTED,
    NUMBER_FORMATS,
    RATIO_FORMAT,
    RED_FILL,
    RULE_ABOVE,
    RULE_BELOW,
    TITLE,
    TOP,
    TOTAL_FILL,
    WRAP,
    _header,
    put,
    safe_text,
)
from finance.report.workbook.summary import summary_sheet
from finance.report.workbook.tables import (
    FIT_ROWS,
    MAX_ROWS,
    Column,
    _cell_rows,
    display_width,
    table,
)

__all__ = [
    "AMBER_FILL",
    "BOLD",
    "COST_LINES",
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "EXCEPTION_SCHEMA",
    "FIT_ROWS",
    "FONT",
    "GREEN_FILL",
    "HEADER_FILL",
    "INT_FORMAT",
    "MARGIN_LOW",
    "MAX_ROWS",
    "MONEY_FORMAT",
    "MUTED",
    "NUMBER_FORMATS",
    "RATIO_FORMAT",
    "RED_FILL",
    "RULE_ABOVE",
    "RULE_BELOW",
    "SHEET_NAME_BAD",
    "SOURCE_KINDS",
    "TITLE",
    "TOP",
    "TOTAL_FILL",
    "WRAP",
    "Column",
    "_cell_rows",
    "_header",
    "bases_sheet",
    "build",
    "costs_sheet",
    "display_width",
    "exceptions_frame",
    "exceptions_sheet",
    "put",
    "safe_text",
    "section_sheet",
    "sheet_name",
    "sku_frame",
    "sku_sheet",
    "sources_sheet",
    "summary_sheet",
    "table",
]
