"""The VAT inside the month's P&L rows, when ``finance.toml [tax]`` sets a regime.

Platforms settle gross: the buyer's payment includes output VAT (销项税). Per P&L row,

- ``output_vat`` = gross × rate ÷ (1 + rate), gross = sales − refund, rounded half up (away from
  zero) to the fen; revenue ex VAT = gross − output_vat, so the two always add back to the gross;
- ``input_vat`` = the deductible VAT inside the costs: per cost category with a rate in
  ``[tax.input]`` (or its platform's ``[tax.input.<platform>]``), cost × rate ÷ (1 + rate),
  rounded the same way, summed over the categories (``input_vat_cogs`` is the part inside the
  cost of goods);
- ``true_margin_ex_vat`` = true_margin − output_vat + input_vat.

The rate of a row: its shop's (``[tax.shops]``), else its platform's (``[tax.platforms]``), else
(general taxpayers) the SKU's own ``税率`` in the unit-cost table, else ``[tax] rate``. Every
figure is integer arithmetic on cents and rates in 1/10,000; a shop's total is the sum of its
rows, so the rows always add up to the totals the reports show.
"""

from __future__ import annotations

import polars as pl

from finance.settings import RATE_UNIT
from finance.tax import TaxSettings

VAT_COLUMNS = ("output_vat", "input_vat", "true_margin_ex_vat")
"""The export's VAT columns, after its stable ones (only when a regime is set)."""


def vat_inside(gross: pl.Expr, rate: pl.Expr) -> pl.Expr:
    """The VAT inside ``gross`` cents at ``rate`` (1/10,000): gross × rate ÷ (1 + rate), rounded
    half away from zero to the cent, exactly (Int128, no float)."""
    num = gross.cast(pl.Int128) * rate.cast(pl.Int128)
    den = rate.cast(pl.Int128) + RATE_UNIT
    q = ((num.abs() * 2 + den) // (den * 2)).cast(pl.Int64)
    return pl.when(num < 0).then(-q).otherwise(q)


def sku_rates(costs: pl.LazyFrame | pl.DataFrame, month: str) -> pl.LazyFrame:
    """Each SKU's VAT rate from the unit-cost table: the latest one in force by the month's end."""
    end = pl.lit(f"{month}-01").str.to_date().dt.month_end()
    frame = costs.lazy()
    if "vat_rate" not in frame.collect_schema().names():
        return pl.LazyFrame(schema={"sku": pl.String, "sku_rate": pl.Int64})
    return (
        frame.filter(pl.col("vat_rate").is_not_null() & (pl.col("effective_from") <= end))
        .sort("effective_from")
        .group_by("sku")
        .agg(sku_rate=pl.col("vat_rate").last())
    )


def row_rate(tax: TaxSettings) -> pl.Expr:
    """A row's output VAT rate: shop, else platform, else (general) the SKU's, else the default."""
    by_shop = pl.col("shop").replace_strict(tax.shops, default=None, return_dtype=pl.Int64)
    by_platform = pl.col("platform").replace_strict(
        tax.platforms, default=None, return_dtype=pl.Int64
    )
    own = pl.col("sku_rate") if tax.sku_rates else pl.lit(None, pl.Int64)
    return pl.coalesce(by_shop, by_platform, own, pl.lit(tax.rate, pl.Int64))


def input_rate(tax: TaxSettings, category: str) -> pl.Expr:
    """A row's input VAT rate for ``category``: its platform's own (``[tax.input.<platform>]``),
    else ``[tax.input]``, else 0."""
    own = {p: rates[category] for p, rates in tax.input_platforms.items() if category in rates}
    return pl.col("platform").replace_strict(
        own, default=tax.input.get(category, 0), return_dtype=pl.Int64
    )


def add_vat(
    pnl: pl.DataFrame, tax: TaxSettings, costs: pl.LazyFrame | pl.DataFrame, month: str
) -> pl.DataFrame:
    """``pnl`` with ``vat_rate``, ``output_vat``, ``input_vat``, ``input_vat_cogs`` and
    ``true_margin_ex_vat`` (cents); ``pnl`` itself when no regime is set."""
    if not tax.active:
        return pnl
    rates = sku_rates(costs, month).collect()
    categories = sorted({*tax.input, *(c for own in tax.input_platforms.values() for c in own)})
    inputs = {
        category: vat_inside(pl.col(category), input_rate(tax, category)) for category in categories
    }
    zero = pl.lit(0, pl.Int64)
    return (
        pnl.join(rates, on="sku", how="left", maintain_order="left")
        .with_columns(vat_rate=row_rate(tax))
        .with_columns(
            output_vat=vat_inside(pl.col("sales") - pl.col("refund"), pl.col("vat_rate")),
            input_vat=pl.sum_horizontal(*inputs.values()) if inputs else zero,
            input_vat_cogs=inputs.get("cogs", zero),
        )
        .with_columns(
            true_margin_ex_vat=pl.col("true_margin") - pl.col("output_vat") + pl.col("input_vat")
        )
        .drop("sku_rate")
    )


VAT_LINES = (
    "revenue_ex_vat",
    "cogs_ex_vat",
    "gross_profit",
    "platform_subsidy",
    "expenses_ex_vat",
    "unclassified",
    "contribution_ex_vat",
    "output_vat",
    "input_vat",
)
"""The ex-VAT P&L in the terms Chinese finance uses, per shop (cents):

- ``revenue_ex_vat`` 主营业务收入: sales − refund − output VAT;
- ``cogs_ex_vat`` 主营业务成本: cost of goods less the input VAT inside it;
- ``gross_profit`` 毛利 = revenue ex VAT − cost of goods ex VAT;
- ``platform_subsidy`` and ``unclassified`` as they are;
- ``expenses_ex_vat`` 销售费用: every other cost less its deductible input VAT;
- ``contribution_ex_vat`` 贡献毛利 (边际贡献) = gross profit + subsidy − expenses ± unclassified
  = ``true_margin_ex_vat``: what the project calls true margin is a contribution margin;
- ``output_vat`` 销项税额 and ``input_vat`` 可抵扣进项税额, as memo lines."""

LINE_SIGNS = {
    "revenue_ex_vat": "+",
    "cogs_ex_vat": "−",
    "gross_profit": "=",
    "platform_subsidy": "+",
    "expenses_ex_vat": "−",
    "unclassified": "±",
    "contribution_ex_vat": "=",
    "output_vat": "",
    "input_vat": "",
}


def ex_vat_lines(pnl: pl.DataFrame) -> pl.DataFrame:
    """Each P&L row's ``VAT_LINES`` (cents), beside platform, shop and sku; a shop's line is
    the sum of its rows', so the rows always add up to the shop totals the reports show."""
    from finance.schema import COST_CATEGORIES

    expenses = [c for c in COST_CATEGORIES if c != "cogs"]
    return pnl.select(
        "platform",
        "shop",
        "sku",
        revenue_ex_vat=pl.col("sales") - pl.col("refund") - pl.col("output_vat"),
        cogs_ex_vat=pl.col("cogs") - pl.col("input_vat_cogs"),
        gross_profit=pl.col("sales")
        - pl.col("refund")
        - pl.col("output_vat")
        - pl.col("cogs")
        + pl.col("input_vat_cogs"),
        platform_subsidy=pl.col("platform_subsidy"),
        expenses_ex_vat=pl.sum_horizontal(*expenses)
        - (pl.col("input_vat") - pl.col("input_vat_cogs")),
        unclassified=pl.col("unclassified"),
        contribution_ex_vat=pl.col("true_margin_ex_vat"),
        output_vat=pl.col("output_vat"),
        input_vat=pl.col("input_vat"),
    )


def by_shop(pnl: pl.DataFrame) -> pl.DataFrame:
    """The ex-VAT P&L per (platform, shop): the sums of ``ex_vat_lines`` over its rows."""
    return (
        ex_vat_lines(pnl)
        .group_by("platform", "shop")
        .agg(pl.col(c).sum() for c in VAT_LINES)
        .sort("platform", "shop")
    )
