"""The month's report as one self-contained HTML page, rendered by jinja2.

Templates see one variable, ``page``, a ``ReportContext``: plain text already formatted for
reading ("12,345.67", "12.34%") plus the exact ``Decimal`` behind each headline figure, never a
polars frame; charts arrive as shapes in integer pixels (``charts``). ``report.html`` extends
``base.html`` and includes ``_table.html`` once per table and ``_chart.html`` once per chart;
``_report.js`` is the one inline script (sorting, filtering, drill-down), allowed by its SHA-256
in the page's Content-Security-Policy. A workspace ``templates/`` folder overrides a shipped
template by file name (ChoiceLoader: workspace first, shipped second; ``report-<shop>.html``
before ``report.html`` for a one-shop month). Autoescaping is on: statement text is never markup.

The package, one module per part of the page: ``context`` (what templates see), ``cells``
(money and percent text), ``summary`` (headline, P&L by shop, cost structure), ``skus`` (the SKU
table), ``detail`` (unallocated, bases, excluded, unclassified, sources), ``drills`` (charts and
drill-downs), ``sections`` (contributed sections) and ``render`` (context, template, page).
"""

from __future__ import annotations

from finance.report.html.cells import money_cell, money_text, percent_text, ratio, ratio_cell
from finance.report.html.context import (
    DRILL_DEFAULT,
    SCRIPT,
    TEMPLATE,
    Cell,
    Drill,
    Figure,
    ReportContext,
    Row,
    SectionView,
    Table,
)
from finance.report.html.detail import (
    bases_table,
    excluded_table,
    sources_table,
    unallocated_table,
    unclassified_table,
)
from finance.report.html.drills import DRILL_COLUMNS, chart_list, drill_list
from finance.report.html.render import (
    environment,
    render,
    report_context,
    script_hash,
    template_names,
)
from finance.report.html.sections import section_views
from finance.report.html.skus import _sku_row, sku_body, sku_rows, sku_table
from finance.report.html.summary import costs_table, summary_table

__all__ = [
    "DRILL_COLUMNS",
    "DRILL_DEFAULT",
    "SCRIPT",
    "TEMPLATE",
    "Cell",
    "Drill",
    "Figure",
    "ReportContext",
    "Row",
    "SectionView",
    "Table",
    "_sku_row",
    "bases_table",
    "chart_list",
    "costs_table",
    "drill_list",
    "environment",
    "excluded_table",
    "money_cell",
    "money_text",
    "percent_text",
    "ratio",
    "ratio_cell",
    "render",
    "report_context",
    "script_hash",
    "section_views",
    "sku_body",
    "sku_rows",
    "sku_table",
    "sources_table",
    "summary_table",
    "template_names",
    "unallocated_table",
    "unclassified_table",
]
