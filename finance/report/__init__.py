"""The month's reports: the P&L workbook (``pnl.xlsx``) and the same report as an HTML page.

Both show the same figures, so they are computed once here, in integer cents, by ``figures``;
``workbook`` and ``html`` only lay them out (words from ``labels``). Public API:

- ``figures(result, *, prior, trend, drill)`` -> ``Figures``: everything both reports show
- ``write_workbook(result_or_figures, path, *, lang, sections)`` -> ``pnl.xlsx`` (and any
  detail too long for Excel beside it)
- ``write_html(result_or_figures, path, *, lang, templates, sections)`` -> ``report.html``
- ``safe_text(cell, value)``: write statement text to a cell so it can never become a formula
- ``ReportContext``: what the page templates see
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

import polars as pl

from finance.explain import explain
from finance.margin import PNL_COLUMNS, MonthResult
from finance.month import TREND_SCHEMA, month_totals
from finance.report import html, workbook, xlsxrows
from finance.report.html import ReportContext
from finance.report.margin_basis import COST_STATUS, VatFigures, cost_status, masked, vat_figures
from finance.report.workbook import safe_text
from finance.schema import CATEGORIES, EXCLUDED
from finance.section import Section

__all__ = [
    "TREND_SCHEMA",
    "Figures",
    "ReportContext",
    "figures",
    "month_totals",
    "ratio",
    "safe_text",
    "write_html",
    "write_workbook",
]

Shop = tuple[str, str]
"""A report column: (platform, shop)."""

SUMMARY_LINES = [*PNL_COLUMNS, "true_margin"]
"""The P&L lines in margin-formula order, then true margin."""

DRILL_SKUS = 5
"""How many best and worst SKUs (by true margin) the page traces to their statement rows."""


@dataclass(frozen=True)
class Figures:
    """A month's report figures in integer cents, laid out per shop.

    ``lines``, ``excluded`` and ``unallocated_total`` hold one value per shop in ``shops``
    order, then the total of all shops. Costs and refunds are positive amounts of cost, as in
    ``MonthResult.pnl``; excluded amounts and unallocated parts are signed (income +, cost −).
    """

    month: str
    currency: str
    period: str  # "posting" or "order": which month an entry belongs to
    shops: list[Shop]
    lines: dict[str, list[int]]  # SUMMARY_LINES -> per shop, then total
    ratios: list[Decimal | None]  # margin ratio (0.1234 = 12.34 %) per shop, then total
    excluded: dict[str, list[int]]  # tax/transfer/deposit -> per shop, then total
    unallocated_total: list[int]  # true margin of the unallocated rows, per shop then total
    skus: pl.DataFrame  # MonthResult.pnl, one row per (platform, shop, sku)
    unallocated: pl.DataFrame  # platform, shop, category, reason, entries, amount
    bases: pl.DataFrame  # platform, shop, category, key, basis, entries, amount, fallback
    excluded_rows: pl.DataFrame  # MonthResult.excluded
    unclassified: pl.DataFrame = field(default_factory=pl.DataFrame)
    # platform, shop, fee_name, entries, amount: fee names no rule maps (signed cents)
    sources: pl.DataFrame = field(default_factory=pl.DataFrame)
    # the imported files behind the month (store's imported_file), with rows_this_month
    prior_month: str | None = None  # the month before, when the store holds it
    prior_lines: dict[str, list[int]] | None = None  # as ``lines``, for the prior month
    prior_ratios: list[Decimal | None] | None = None
    trend: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=TREND_SCHEMA))
    drill: dict[tuple[str, str, str], pl.DataFrame] = field(default_factory=dict)
    # (platform, shop, sku) -> finance.explain rows, for the best and worst SKUs
    vat: VatFigures | None = None  # the ex-VAT P&L by shop, when [tax] sets a regime
    costs_status: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=COST_STATUS))
    # shops with sales without cost of goods, or a stated estimate (``basis.cost_status``)

    def total(self, line: str) -> int:
        return self.lines[line][-1]

    def prior_total(self, line: str) -> int | None:
        return None if self.prior_lines is None else self.prior_lines[line][-1]

    def net_sales(self) -> list[int]:
        return [s - r for s, r in zip(self.lines["sales"], self.lines["refund"], strict=True)]


def ratio(numerator: int, denominator: int, *, places: int = 4) -> Decimal | None:
    """``numerator / denominator`` rounded half away from zero, exactly; None when dividing by 0.

    The same rule as ``finance.money.ratio_text``, so shop and total ratios agree with SKU rows.
    """
    if denominator == 0:
        return None
    scale = 10**places
    num, den = abs(numerator) * scale, abs(denominator)
    q = (num * 2 + den) // (den * 2)
    negative = (numerator < 0) != (denominator < 0)
    return Decimal(-q if negative else q).scaleb(-places)


def _shops(*results: MonthResult) -> list[Shop]:
    keys = pl.concat(
        [
            frame.select(pl.col("platform", "shop").cast(pl.String))
            for result in results
            for frame in (result.pnl, result.excluded)
        ]
    )
    rows = keys.with_columns(pl.all().fill_null("")).unique().sort("platform", "shop")
    return list(rows.iter_rows())


def _per_shop(frame: pl.DataFrame, shops: list[Shop], value: str) -> list[int]:
    """Sum ``value`` per (platform, shop) in ``shops`` order, then the total of all."""
    sums = (
        frame.with_columns(pl.col("platform", "shop").fill_null(""))
        .group_by("platform", "shop")
        .agg(pl.col(value).sum())
    )
    found = {(p, s): int(v) for p, s, v in sums.iter_rows()}
    per_shop = [found.get(shop, 0) for shop in shops]
    return [*per_shop, sum(per_shop)]


def unallocated_parts(parts: pl.DataFrame) -> pl.DataFrame:
    """Parts that reached no SKU, grouped by shop, category and reason (signed cents)."""
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return (
        parts.filter(pl.col("sku").is_null())
        .with_columns(pl.col("platform", "shop", "reason").fill_null(""))
        .group_by("platform", "shop", "category", "reason")
        .agg(entries=pl.col("entry").n_unique(), amount=pl.col("amount").sum())
        .with_columns(__order=pl.col("category").replace_strict(order, default=len(order)))
        .sort("platform", "shop", "__order", "reason")
        .drop("__order")
    )


def split_bases(parts: pl.DataFrame) -> pl.DataFrame:
    """How split costs were divided: per shop, category, key and basis, with the amount; a
    basis that fell back says so in its own words (e.g. ``quantity (no weight for every SKU)``)."""
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return (
        parts.filter(pl.col("sku").is_not_null() & (pl.col("key") != "sku"))
        .group_by("platform", "shop", "category", "key", "basis")
        .agg(entries=pl.col("entry").n_unique(), amount=pl.col("amount").sum())
        .with_columns(
            fallback=pl.col("basis").str.contains(r"\("),
            __order=pl.col("category").replace_strict(order, default=len(order)),
        )
        .sort("platform", "shop", "__order", "key", "basis")
        .drop("__order")
    )


def unclassified_names(entries: pl.DataFrame) -> pl.DataFrame:
    """Fee names no rule maps, per shop: how many statement rows and their signed amount."""
    if "category" not in entries.columns:
        entries = pl.DataFrame(schema={"category": pl.String})
    return (
        entries.lazy()
        .filter(pl.col("category") == "unclassified")
        .with_columns(pl.col("platform", "shop", "fee_name").cast(pl.String).fill_null(""))
        .group_by("platform", "shop", "fee_name")
        .agg(entries=pl.len().cast(pl.Int64), amount=pl.col("amount").sum().cast(pl.Int64))
        .sort("platform", "shop", "fee_name")
        .collect()
    )


SOURCE_COLUMNS = {
    "name": pl.String,
    "format": pl.String,
    "kind": pl.String,
    "platform": pl.String,
    "shop": pl.String,
    "rows_read": pl.Int64,
    "rows_added": pl.Int64,
    "rows_skipped": pl.Int64,
    "rows_this_month": pl.Int64,
    "first_date": pl.Date,
    "last_date": pl.Date,
    "imported_at": pl.Datetime("us"),
    "sha256": pl.String,
    "archived_as": pl.String,
}


def sources(result: MonthResult) -> pl.DataFrame:
    """The imported files behind the month: those whose ledger rows it holds, those whose date
    range overlaps it, and dateless tables (unit costs, campaign maps) that every month uses."""
    files = result.files
    if files.height == 0 or "sha256" not in files.columns:
        return pl.DataFrame(schema=SOURCE_COLUMNS)
    used = (
        result.entries.group_by("file_id").agg(rows_this_month=pl.len().cast(pl.Int64))
        if "file_id" in result.entries.columns
        else pl.DataFrame(schema={"file_id": pl.Int64, "rows_this_month": pl.Int64})
    )
    start = pl.lit(f"{result.month}-01").str.to_date()
    end = start.dt.offset_by("1mo")
    return (
        files.join(used, left_on="id", right_on="file_id", how="left")
        .filter(
            pl.col("rows_this_month").is_not_null()
            | pl.col("first_date").is_null()
            | ((pl.col("first_date") < end) & (pl.col("last_date").fill_null(start) >= start))
        )
        .with_columns(pl.col("rows_this_month").fill_null(0))
        .sort("kind", "platform", "name")
        .select([pl.col(c).cast(t) for c, t in SOURCE_COLUMNS.items()])
    )


def drill_downs(
    result: MonthResult, *, count: int = DRILL_SKUS
) -> dict[tuple[str, str, str], pl.DataFrame]:
    """The statement rows behind the ``count`` best and worst SKUs by true margin."""
    ranked = result.pnl.filter(pl.col("sku").is_not_null()).sort(
        "true_margin", "platform", "shop", "sku", descending=[True, False, False, False]
    )
    keys: list[tuple[str, str, str]] = []
    for platform, shop, sku in [
        *ranked.head(count).select("platform", "shop", "sku").iter_rows(),
        *ranked.tail(count).select("platform", "shop", "sku").iter_rows(),
    ]:
        if (platform, shop, sku) not in keys:
            keys.append((platform, shop, sku))
    if not keys or "fee_name" not in result.entries.columns:
        return {}
    # each SKU explained over the parts of these SKUs and their entries only, not the month's
    parts = result.parts.filter(pl.col("sku").is_in([sku for _, _, sku in keys]))
    entries = result.entries.join(
        parts.select(pl.col("entry").alias("id")).unique(), on="id", how="semi"
    )
    behind = replace(result, parts=parts, entries=entries)
    out = {}
    for platform, shop, sku in keys:
        rows = explain(behind, sku, shop=shop).filter(pl.col("platform") == platform)
        out[(platform, shop, sku)] = rows
    return out


def _currency(entries: pl.DataFrame) -> str:
    if "currency" not in entries.columns:
        return ""
    found = entries["currency"].drop_nulls().unique().sort().to_list()
    return ", ".join(found)


def _lines(result: MonthResult, shops: list[Shop]) -> tuple[dict[str, list[int]], list]:
    lines = {line: _per_shop(result.pnl, shops, line) for line in SUMMARY_LINES}
    net = [s - r for s, r in zip(lines["sales"], lines["refund"], strict=True)]
    return lines, [ratio(m, n) for m, n in zip(lines["true_margin"], net, strict=True)]


def figures(
    result: MonthResult,
    *,
    prior: MonthResult | None = None,
    trend: pl.DataFrame | None = None,
    drill: int = DRILL_SKUS,
) -> Figures:
    """Everything both reports show, from a month's result.

    ``prior``: the month before (the summary then shows this month, prior month and change,
    over the shops of both); ``trend``: ``TREND_SCHEMA`` rows, one per month (by default the
    prior month and this one); ``drill``: how many best and worst SKUs to trace.
    """
    shops = _shops(result, *([prior] if prior is not None else []))
    lines, ratios = _lines(result, shops)
    prior_lines, prior_ratios = _lines(prior, shops) if prior is not None else (None, None)
    status = cost_status(result)
    ratios = masked(ratios, shops, status)  # an incomplete shop's margin is not a margin
    if prior is not None and prior_ratios is not None:
        prior_ratios = masked(prior_ratios, shops, cost_status(prior))
    if trend is None:
        months = [month_totals(r) for r in (prior, result) if r is not None]
        trend = pl.DataFrame(months, schema=TREND_SCHEMA)
    by_category = {
        c: _per_shop(result.excluded.filter(pl.col("category") == c), shops, "amount")
        for c in EXCLUDED
    }
    return Figures(
        month=result.month,
        currency=_currency(result.entries),
        period=result.period,
        shops=shops,
        lines=lines,
        ratios=ratios,
        excluded=by_category,
        unallocated_total=_per_shop(
            result.pnl.filter(pl.col("sku").is_null()), shops, "true_margin"
        ),
        skus=result.pnl,
        unallocated=unallocated_parts(result.parts),
        bases=split_bases(result.parts),
        excluded_rows=result.excluded,
        unclassified=unclassified_names(result.entries),
        sources=sources(result),
        prior_month=prior.month if prior is not None else None,
        prior_lines=prior_lines,
        prior_ratios=prior_ratios,
        trend=trend.sort("month"),
        drill=drill_downs(result, count=drill) if drill else {},
        vat=vat_figures(result, shops),
        costs_status=status,
    )


def _figures(report: MonthResult | Figures) -> Figures:
    return report if isinstance(report, Figures) else figures(report)


def write_workbook(
    report: MonthResult | Figures,
    path: Path,
    *,
    lang: str = "zh-CN",
    sections: list[Section] | tuple[Section, ...] = (),
) -> Path:
    """Write the month's P&L workbook to ``path``; a table too long for one sheet goes to a CSV
    file beside it (``pnl-<sheet>.csv``) and its sheet says so. Returns the workbook's path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = workbook.build(_figures(report), lang=lang, sections=sections, folder=path.parent)
    return xlsxrows.save(book, path)


def write_html(
    report: MonthResult | Figures,
    path: Path,
    *,
    lang: str = "zh-CN",
    templates: Path | None = None,
    sections: list[Section] | tuple[Section, ...] = (),
) -> Path:
    """Write the month's report page; ``templates`` may override the shipped ones by name
    (``report-<shop>.html`` before ``report.html`` when the month has one shop)."""
    figs = _figures(report)
    page = html.render(
        html.report_context(figs, lang=lang, sections=sections),
        templates=templates,
        names=html.template_names(figs),
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
