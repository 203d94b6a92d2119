"""The month's reports: the P&L workbook (``pnl.xlsx``) and the same report as an HTML page.

Both show the same figures, so they are computed once here, in integer cents, by ``figures``;
``workbook`` and ``html`` only lay them out (words from ``labels``). Public API:

- ``write_workbook(result, path, *, lang)`` -> ``pnl.xlsx``
- ``write_html(result, path, *, lang, templates)`` -> ``report.html``
- ``safe_text(cell, value)``: write statement text to a cell so it can never become a formula
- ``ReportContext``: what the page templates see
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl

from finance.margin import PNL_COLUMNS, MonthResult
from finance.report import html, workbook
from finance.report.html import ReportContext
from finance.report.workbook import safe_text
from finance.schema import CATEGORIES, EXCLUDED

__all__ = [
    "Figures",
    "ReportContext",
    "figures",
    "ratio",
    "safe_text",
    "write_html",
    "write_workbook",
]

Shop = tuple[str, str]
"""A report column: (platform, shop)."""

SUMMARY_LINES = [*PNL_COLUMNS, "true_margin"]
"""The P&L lines in margin-formula order, then true margin."""


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

    def total(self, line: str) -> int:
        return self.lines[line][-1]


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


def _shops(result: MonthResult) -> list[Shop]:
    keys = pl.concat(
        [result.pnl.select("platform", "shop"), result.excluded.select("platform", "shop")]
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


def _currency(entries: pl.DataFrame) -> str:
    if "currency" not in entries.columns:
        return ""
    found = entries["currency"].drop_nulls().unique().sort().to_list()
    return ", ".join(found)


def figures(result: MonthResult) -> Figures:
    """Everything both reports show, from a month's result."""
    shops = _shops(result)
    lines = {line: _per_shop(result.pnl, shops, line) for line in SUMMARY_LINES}
    net = [s - r for s, r in zip(lines["sales"], lines["refund"], strict=True)]
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
        ratios=[ratio(m, n) for m, n in zip(lines["true_margin"], net, strict=True)],
        excluded=by_category,
        unallocated_total=_per_shop(
            result.pnl.filter(pl.col("sku").is_null()), shops, "true_margin"
        ),
        skus=result.pnl,
        unallocated=unallocated_parts(result.parts),
        bases=split_bases(result.parts),
        excluded_rows=result.excluded,
    )


def write_workbook(result: MonthResult, path: Path, *, lang: str = "zh-CN") -> Path:
    """Write the month's P&L workbook (sheets Summary, SKUs, Unallocated) to ``path``."""
    book = workbook.build(figures(result), lang=lang)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_html(
    result: MonthResult, path: Path, *, lang: str = "zh-CN", templates: Path | None = None
) -> Path:
    """Write the month's report page; ``templates`` may override the shipped ones by name."""
    page = html.render(html.report_context(figures(result), lang=lang), templates=templates)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
