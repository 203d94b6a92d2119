"""What the page's templates see: ``page``, a ``ReportContext`` of tables, cells, figures,
drill-downs and contributed sections, already formatted for reading (no polars frame)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from markupsafe import Markup

from finance.report.charts import Chart

if TYPE_CHECKING:
    pass


TEMPLATE = "report.html"


DRILL_DEFAULT = 5


SCRIPT = "_report.js"


"""The page's one small script (sorting, filtering, opening a drill-down), inlined; the page's
Content-Security-Policy allows exactly this script by its SHA-256 hash."""


@dataclass(frozen=True)
class Cell:
    """One table cell: ``text`` as shown, ``note`` a smaller second line, ``css`` its classes
    (``num`` right-aligned figure, ``neg`` negative, ``sign`` the ± column, ``muted``,
    ``flag`` a warning, ``wrap`` long text that may wrap)."""

    text: str
    note: str = ""
    css: str = ""
    sort: str = ""  # the value a sortable table sorts by (a plain number), when not the text
    href: str = ""  # a link within the page (``#drill-3``)


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    css: str = ""  # "total": an emphasised line
    html: Markup | None = None  # the cells already rendered (a big table, built by polars)


@dataclass(frozen=True)
class Table:
    """What ``_table.html`` renders: a captioned table; ``empty`` is shown when it has no rows."""

    id: str
    caption: str
    headers: list[Cell]
    rows: list[Row]
    empty: str = ""
    body: Markup | None = None  # the rows already rendered as <tr> elements (a big table)


@dataclass(frozen=True)
class Figure:
    """A headline figure: its label, its text as shown, and the exact value behind it."""

    label: str
    text: str
    value: Decimal | None
    css: str = ""
    note: str = ""  # against the prior month: "prior month 1,234.00 · +12.34%"


@dataclass(frozen=True)
class Drill:
    """A SKU traced to its statement rows: ``id`` is the anchor its figures link to."""

    id: str
    title: str
    note: str
    table: Table


@dataclass(frozen=True)
class SectionView:
    """A contributed ``Section`` as the page shows it (at most ``limit_html`` rows)."""

    key: str
    heading: str
    summary: list[str]
    table: Table
    more: str = ""


@dataclass(frozen=True)
class ReportContext:
    """Everything ``report.html`` (and ``base.html``) may use, as ``page``.

    lang: ``zh-CN`` or ``en`` (the ``<html lang>``); title: page heading; month: ``YYYY-MM``;
    note: how to read the amounts (currency, signs); headline: sales, refunds, true margin,
    margin %; summary: P&L lines by shop; skus: every P&L row; unallocated: what reached no
    SKU and why; bases: how split costs were divided (key and basis, fallbacks marked);
    excluded: transfers, deposits and tax; footer: the last line of the page.
    charts: waterfall, cost structure, best/worst SKUs, trend (``charts.Chart``, drawn by
    ``_chart.html``); unclassified: fee names no rule maps; sources: the imported files;
    drills: the best and worst SKUs traced to their rows; sections: contributed ``Section``s;
    filter_placeholder, sort_hint: the SKU table's controls; script, script_hash: the inline
    script and its CSP hash. vat: the ex-VAT P&L by shop (``[tax]``), vat_notes: its terms and
    basis; cost_notes: shops whose cost of goods is missing or a stated estimate.
    """

    lang: str
    title: str
    month: str
    note: str
    headline: list[Figure]
    summary: Table
    skus: Table
    unallocated: Table
    bases: Table
    excluded: Table
    footer: str
    costs: Table | None = None
    charts: list[Chart] = field(default_factory=list)
    unclassified: Table | None = None
    sources: Table | None = None
    drills: list[Drill] = field(default_factory=list)
    sections: list[SectionView] = field(default_factory=list)
    filter_placeholder: str = ""
    sort_hint: str = ""
    script: str = ""
    script_hash: str = ""
    drill_heading: str = ""
    toc: list[tuple[str, str]] = field(default_factory=list)  # (anchor, text) under the title
    vat: Table | None = None  # the ex-VAT P&L by shop, when [tax] sets a regime
    vat_notes: list[str] = field(default_factory=list)  # its terms and VAT basis
    cost_notes: list[str] = field(default_factory=list)  # cost of goods missing or estimated
    cost_heading: str = ""
