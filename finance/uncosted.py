"""Sales whose cost of goods is unknown: never shown as a high margin.

Sales that reach no SKU (a shop whose order lines are missing, an order in no export) carry no
cost of goods. For such a shop, ``finance.toml`` may state a cost rate:

```toml
[costs.shops]
"云栖家居微信小店" = "0.45"     # cost of goods = 45 % of the shop's net sales that reached no SKU
```

``estimated_cogs`` then adds one COGS part per shop (origin ``shop cost rate``, on the shop's
unallocated row), shown as an estimate wherever it appears. Without a rate the sales stay
uncosted: ``flag_margins`` marks the row (``sales_uncosted``), ``shop_status`` tells the reports
and the ``uncosted_sales`` alert (``finance.alerts.cost_rules``) which shops have no cost of
goods at all (their margin is incomplete: no margin % is shown). A margin % on an unallocated
row, or on a SKU sold without a unit cost, is not a margin: it is left empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from finance import i18n
from finance.allocate import PART_SCHEMA
from finance.settings import RATE_UNIT, SettingsText, invalid, rate, rate_text

if TYPE_CHECKING:
    from finance.workspace import Workspace

ESTIMATE_ORIGIN = "shop cost rate"
"""The ``origin`` of an estimated COGS part (``finance explain`` shows it)."""
ESTIMATE_REASON = "estimated: {rate} of the net sales that reached no SKU ([costs.shops])"
"""The reason an estimated part gives (English, stable; the reports translate it)."""
NET = pl.col("sales") - pl.col("refund")


def load_shop_cost_rates(settings: SettingsText) -> dict[str, int]:
    """``[costs.shops]`` of ``finance.toml``: shop name -> cost rate in 1/10,000 (0 to 1)."""
    table = settings.data.get("costs")
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise invalid(
            settings,
            "costs",
            None,
            i18n.per_lang("settings_not_table", section="costs"),
            i18n.per_lang("rules_fix_use", choices="[costs.shops]"),
        )
    for key in table:
        if key != "shops":
            raise invalid(
                settings,
                "costs",
                key,
                i18n.per_lang("settings_unknown_key", section="costs", key=key),
                i18n.per_lang("rules_fix_use", choices="shops"),
            )
    shops = table.get("shops", {})
    if not isinstance(shops, dict):
        raise invalid(
            settings,
            "costs",
            "shops",
            i18n.per_lang("settings_not_table", section="costs.shops"),
            i18n.per_lang("settings_fix_decimal", key='"shop name"', example="0.45"),
        )
    return {
        str(shop): rate(
            settings,
            "costs.shops",
            str(shop),
            value,
            high=RATE_UNIT,
            high_included=True,
            example="0.45",
            hint="0.45",
        )
        for shop, value in shops.items()
    }


def shop_cost_rates(ws: Workspace) -> dict[str, int]:
    """The workspace's ``[costs.shops]``, checked."""
    return load_shop_cost_rates(SettingsText.of(ws.root, ws.settings))


def estimated_cogs(parts: pl.LazyFrame, rates: dict[str, int]) -> pl.LazyFrame:
    """One COGS part per (platform, shop) with a stated rate: rate × the shop's net sales that
    reached no SKU, rounded half up to the cent, on the shop's unallocated row."""
    if not rates:
        return pl.LazyFrame(schema=PART_SCHEMA)
    table = pl.LazyFrame(
        {
            "shop": list(rates),
            "rate": list(rates.values()),
            "reason": [ESTIMATE_REASON.format(rate=rate_text(r)) for r in rates.values()],
        },
        schema={"shop": pl.String, "rate": pl.Int64, "reason": pl.String},
    )
    net = (
        parts.filter(pl.col("sku").is_null() & pl.col("category").is_in(["sales", "refund"]))
        .group_by("platform", "shop")
        .agg(net=pl.col("amount").sum())
        .join(table, on="shop", how="inner")
        .filter(pl.col("net") != 0)
    )
    cost = net.with_columns(
        amount=-_half_up(pl.col("net").cast(pl.Int128) * pl.col("rate"), RATE_UNIT)
    )
    return cost.select(
        entry=pl.lit(None, pl.Int64),
        origin=pl.lit(ESTIMATE_ORIGIN),
        platform="platform",
        shop="shop",
        sku=pl.lit(None, pl.String),
        category=pl.lit("cogs"),
        amount="amount",
        key=pl.lit("shop"),
        basis=pl.lit("estimate"),
        weight="rate",
        weight_total=pl.lit(RATE_UNIT, pl.Int64),
        reason="reason",
    ).select(pl.col(c).cast(t) for c, t in PART_SCHEMA.items())


def _half_up(num: pl.Expr, den: int) -> pl.Expr:
    q = ((num.abs() * 2 + den) // (2 * den)).cast(pl.Int64)
    return pl.when(num < 0).then(-q).otherwise(q)


def flag_margins(pnl: pl.DataFrame, parts: pl.DataFrame, *, estimates: bool) -> pl.DataFrame:
    """``pnl`` with ``cogs_estimated`` and ``sales_uncosted`` (and, when ``estimates`` are
    configured, ``cogs_estimate`` in cents); ``margin_pct`` emptied where it is not a margin:
    on the unallocated rows and on SKUs sold without a unit cost."""
    keys = ["platform", "shop", "sku"]
    estimated = (
        parts.filter(pl.col("origin") == ESTIMATE_ORIGIN)
        .group_by(keys)
        .agg(cogs_estimate=-pl.col("amount").sum())
    )
    table = (
        pnl.join(estimated, on=keys, how="left", nulls_equal=True, maintain_order="left")
        .with_columns(
            cogs_estimated=pl.col("cogs_estimate").is_not_null(),
            cogs_estimate=pl.col("cogs_estimate").fill_null(0),
        )
        .with_columns(
            sales_uncosted=pl.col("sku").is_null() & (NET != 0) & ~pl.col("cogs_estimated"),
            margin_pct=pl.when(pl.col("sku").is_not_null() & ~pl.col("cost_missing"))
            .then(pl.col("margin_pct"))
            .otherwise(pl.lit(None, pl.String)),
        )
    )
    return table if estimates else table.drop("cogs_estimate")


SHOP_STATUS = {
    "platform": pl.String,
    "shop": pl.String,
    "net_sales": pl.Int64,
    "cogs": pl.Int64,
    "uncosted": pl.Int64,
    "estimated": pl.Boolean,
    "incomplete": pl.Boolean,
}


def shop_status(pnl: pl.DataFrame) -> pl.DataFrame:
    """Per shop: net sales, COGS, net sales that reached no SKU with no cost (``uncosted``),
    whether a stated estimate is in its COGS, and whether its margin is ``incomplete`` (net
    sales but no cost of goods at all, and no estimate): no margin % is shown for it."""
    if pnl.height == 0:
        return pl.DataFrame(schema=SHOP_STATUS)
    have = set(pnl.columns)
    uncosted = pl.col("sales_uncosted") if "sales_uncosted" in have else pl.col("sku").is_null()
    estimated = pl.col("cogs_estimated") if "cogs_estimated" in have else pl.lit(False)
    return (
        pnl.group_by("platform", "shop")
        .agg(
            net_sales=NET.sum(),
            cogs=pl.col("cogs").sum(),
            uncosted=NET.filter(uncosted).sum(),
            estimated=estimated.any(),
        )
        .with_columns(
            incomplete=(pl.col("net_sales") != 0) & (pl.col("cogs") == 0) & ~pl.col("estimated")
        )
        .sort("platform", "shop")
        .select(pl.col(c).cast(t) for c, t in SHOP_STATUS.items())
    )
