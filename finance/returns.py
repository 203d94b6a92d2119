"""Returned goods and the cost of goods (docs/accounting.md, "Returns and the cost of goods").

Units that came back reverse COGS at the cost they left at: the unit cost in force when the
order's goods payment settled (as COGS charged them), not the cost in force when they came back.
Unsellable units come back out of COGS too and are written off once as ``return_cost``.

Return sources are rules files of kind ``returns`` (Tmall's 退款管理, Amazon's FBA customer
returns, Shopify's sales report return lines, the JD 售后服务单, the Pinduoduo and Douyin 售后
exports). A returns row names the order, and the SKU or the platform's listing id of the line
(resolved to the SKU through the order's lines). Returned units belong to the month the refund
posts, as the refund does.

A refund whose order no return source covers says nothing about the goods: its COGS is not
reversed, and ``unreversed`` shows how much COGS that refund would reverse if the goods came
back (the refund's share of what the buyer paid for the order or the SKU, times the units sold,
times their unit cost at the sale), so an unknown is never a silent zero.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy import column

from finance.money import split
from finance.schema import COST_SCALE

KEY = ["platform", "order_id"]
LINE = ["platform", "order_id", "sku"]
CHUNK = 900
"""Order ids per ``IN (...)`` read (SQLite's historical limit is 999 variables)."""

SALES_COLUMNS = ["platform", "shop", "order_id", "sku", "posted_at", "quantity", "amount"]


def sales_of_orders(store: object, orders: Sequence[str]) -> pl.DataFrame:
    """Every goods payment (``sales`` entry) of ``orders``, whatever month it posted in:
    platform, shop, order_id, sku, posted_at, quantity, amount (cents as posted)."""
    ids = sorted({o for o in orders if o is not None})
    if ids and getattr(store, "in_snapshot", False):
        # one report run already holds the whole ledger: filter it instead of asking again
        return (
            store.frame("ledger", column("category") == "sales")  # type: ignore[attr-defined]
            .filter(pl.col("order_id").is_in(ids))
            .select(SALES_COLUMNS)
        )
    frames = [
        store.frame(  # type: ignore[attr-defined]
            "ledger", column("category") == "sales", column("order_id").in_(ids[i : i + CHUNK])
        ).select(SALES_COLUMNS)
        for i in range(0, len(ids), CHUNK)
    ]
    if not frames:
        return pl.DataFrame(
            schema={
                "platform": pl.String,
                "shop": pl.String,
                "order_id": pl.String,
                "sku": pl.String,
                "posted_at": pl.Datetime("us"),
                "quantity": pl.Int64,
                "amount": pl.Int64,
            }
        )
    return pl.concat(frames)


def with_cost(frame: pl.LazyFrame, costs: pl.LazyFrame, on_date: str) -> pl.LazyFrame:
    """Attach the unit cost in force on ``on_date`` (the latest effective_from not after it)."""
    table = costs.select("sku", "effective_from", "unit_cost").sort("effective_from")
    return (
        frame.with_columns(__d=pl.col(on_date).dt.date())
        .sort("__d")
        .join_asof(
            table,
            left_on="__d",
            right_on="effective_from",
            by="sku",
            strategy="backward",
            check_sortedness=False,
        )
        .drop("__d")
    )


def sold(lines: pl.LazyFrame, sales: pl.LazyFrame) -> pl.LazyFrame:
    """Per order line (platform, order_id, sku): when its goods left (``sold_at``: the first
    settlement of the order's goods payment, else the order's payment time), its units
    (``sold_qty``) and what the buyer paid for it (``sold_value``, as posted), and the order's
    total (``order_value``: its goods payments, else its lines)."""
    by_line = (
        lines.filter(pl.col("sku").is_not_null())
        .group_by(LINE)
        .agg(
            line_qty=pl.col("quantity").sum(),
            line_value=pl.col("line_amount").sum(),
            paid_at=pl.col("paid_at").min(),
        )
    )
    by_sku = (
        sales.filter(pl.col("sku").is_not_null())
        .group_by(LINE)
        .agg(
            sale_qty=pl.col("quantity").max(),
            sale_value=pl.col("amount").sum(),
            sku_at=pl.col("posted_at").min(),
        )
    )
    by_order = sales.group_by(KEY).agg(
        order_at=pl.col("posted_at").min(), settled_value=pl.col("amount").sum()
    )
    return (
        by_line.join(by_sku, on=LINE, how="full", coalesce=True)
        .join(by_order, on=KEY, how="left")
        .with_columns(
            sold_at=pl.coalesce("sku_at", "order_at", "paid_at"),
            sold_qty=pl.coalesce("line_qty", "sale_qty"),
            sold_value=pl.coalesce("line_value", "sale_value"),
        )
        .with_columns(
            order_value=pl.coalesce("settled_value", pl.col("sold_value").sum().over(KEY)),
        )
        .select(*LINE, "sold_at", "sold_qty", "sold_value", "order_value")
    )


def _resolved(returns: pl.LazyFrame, lines: pl.LazyFrame) -> pl.LazyFrame:
    """Returns rows with their SKU: the row's own, else the order line of its listing id (JD's
    商品编号, Douyin's and Pinduoduo's 商品ID)."""
    listing = (
        lines.filter(pl.col("listing_id").is_not_null() & pl.col("sku").is_not_null())
        .group_by("platform", "order_id", "listing_id")
        .agg(__sku=pl.col("sku").first())
    )
    return (
        returns.join(listing, on=["platform", "order_id", "listing_id"], how="left")
        .with_columns(sku=pl.coalesce("sku", "__sku"))
        .drop("__sku")
    )


def informed(returns: pl.LazyFrame) -> pl.LazyFrame:
    """Orders a return source says something about: goods came back, or a refund is listed
    (with or without goods). A row with neither (an order line of a sales report) says nothing."""
    return (
        returns.filter(pl.col("goods_returned") | (pl.col("amount").fill_null(0) > 0))
        .select(KEY)
        .unique()
    )


def refunded_orders(entries: pl.LazyFrame) -> pl.LazyFrame:
    """Orders with a refund posted among ``entries``: when, and the first refund entry."""
    return (
        entries.filter((pl.col("category") == "refund") & pl.col("order_id").is_not_null())
        .group_by("platform", "shop", "order_id")
        .agg(refunded_at=pl.col("posted_at").min(), entry=pl.col("id").min())
    )


def units_returned(
    entries: pl.LazyFrame, returns: pl.LazyFrame, lines: pl.LazyFrame, sales: pl.LazyFrame
) -> pl.LazyFrame:
    """Units that came back with refunds posted among ``entries``: platform, shop, order_id, sku,
    quantity, unsellable, inferred, ``priced_at`` (when the goods left: the date of the unit
    cost that reverses them), entry, file_id, source_row.

    The quantity is the return source's own, at most the units sold on the line; where the
    source has none (Tmall's refund list), the line's units when the whole line was refunded,
    else that share of them (rounded down, at least one), marked ``inferred``.
    """
    back = (
        _resolved(returns, lines)
        .filter(pl.col("goods_returned") & pl.col("sku").is_not_null())
        .group_by(*LINE, "unsellable")
        .agg(
            refund=pl.col("amount").fill_null(0).sum(),
            qty=pl.col("quantity").abs().sum(),
            file_id=pl.col("file_id").first(),
            source_row=pl.col("source_row").first(),
        )
    )
    inferred = pl.max_horizontal(
        pl.lit(1, pl.Int64),
        (
            pl.col("sold_qty").cast(pl.Int128) * pl.col("refund") // pl.col("sold_value").clip(1)
        ).cast(pl.Int64),
    )
    quantity = (
        pl.when(pl.col("qty") > 0)
        .then(pl.min_horizontal("qty", pl.col("sold_qty").fill_null(pl.col("qty"))))
        .when(pl.col("sold_qty").is_null())
        .then(pl.lit(None, pl.Int64))
        .when(pl.col("refund") >= pl.col("sold_value"))
        .then(pl.col("sold_qty"))
        .otherwise(inferred)
    )
    return (
        refunded_orders(entries)
        .join(back, on=KEY, how="inner")
        .join(sold(lines, sales), on=LINE, how="left")
        .with_columns(
            quantity=quantity,
            inferred=pl.col("qty").fill_null(0) == 0,
            priced_at=pl.coalesce("sold_at", "refunded_at"),
        )
        .filter(pl.col("quantity").is_not_null() & (pl.col("quantity") > 0))
    )


UNREVERSED_SCHEMA = {
    "platform": pl.String,
    "shop": pl.String,
    "sku": pl.String,
    "order_id": pl.String,
    "refund": pl.Int64,
    "units": pl.Int64,
    "unit_cost": pl.Int64,
    "cogs_not_reversed": pl.Int64,
    "reason": pl.String,
}
"""A refund with no return information, per order and SKU: the refund (base-currency cents,
positive), the units sold on the line and their unit cost at the sale (1/10,000), and the COGS
the refund would reverse if the goods came back (``cogs_not_reversed``, base-currency cents;
null when it cannot be told, with the ``reason``)."""

NO_RETURN_INFO = "refunded with no return information"
NO_SALE = "the refunded order's goods payment and lines are not imported"
NO_COST = "the SKU has no unit cost"


def _half_up(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """``num / den`` rounded half away from zero, exactly (den > 0)."""
    n, d = num.cast(pl.Int128), den.cast(pl.Int128)
    q = ((n.abs() * 2 + d) // (d * 2)).cast(pl.Int64)
    return pl.when(n < 0).then(-q).otherwise(q)


def unreversed(
    entries: pl.LazyFrame,
    returns: pl.LazyFrame,
    lines: pl.LazyFrame,
    sales: pl.LazyFrame,
    costs: pl.LazyFrame,
) -> pl.LazyFrame:
    """Refunds posted among ``entries`` whose order no return source covers (``UNREVERSED_SCHEMA``).

    A refund that names the SKU (Amazon) is that SKU's share of what the buyer paid for it; a
    refund of the order is the order's share, applied to each of its lines. The share is at
    most one; COGS not reversed = units sold x unit cost at the sale x share, to the cent.
    """
    names = entries.collect_schema().names()
    own = pl.col("original_amount") if "original_amount" in names else pl.col("amount")
    refunds = (
        entries.filter((pl.col("category") == "refund") & pl.col("order_id").is_not_null())
        .join(informed(returns), on=KEY, how="anti")
        .group_by("platform", "shop", "order_id", "sku")
        .agg(refund=-pl.col("amount").sum(), refund_own=-own.sum())
    )
    lines_sold = sold(lines, sales)
    by_sku = refunds.filter(pl.col("sku").is_not_null()).join(
        lines_sold.select(*LINE, "sold_at", "sold_qty", den=pl.col("sold_value")),
        on=LINE,
        how="left",
    )
    by_order = (
        refunds.filter(pl.col("sku").is_null())
        .drop("sku")
        .join(
            lines_sold.select(
                *LINE, "sold_at", "sold_qty", "sold_value", den=pl.col("order_value")
            ),
            on=KEY,
            how="left",
        )
        # the order's refund shown on its lines by what each line was paid (parts add up)
        .pipe(
            split,
            group=["platform", "shop", "order_id"],
            amount="refund",
            weight="sold_value",
            tiebreak=["sku"],
            out="__part",
        )
        .with_columns(refund=pl.col("__part"))
        .drop("__part", "sold_value")
    )
    frame = pl.concat([by_sku, by_order], how="diagonal_relaxed")
    priced = with_cost(
        frame.with_columns(__at=pl.col("sold_at").fill_null(pl.datetime(1970, 1, 1))),
        costs,
        "__at",
    )
    share_num = pl.min_horizontal("refund_own", "den")
    stake = _half_up(
        pl.col("sold_qty").cast(pl.Int128) * pl.col("unit_cost") * share_num,
        pl.col("den").cast(pl.Int128) * 10 ** (COST_SCALE - 2),
    )
    known = (pl.col("den") > 0) & pl.col("sold_qty").is_not_null() & pl.col("sku").is_not_null()
    return priced.select(
        "platform",
        "shop",
        "sku",
        "order_id",
        "refund",
        units=pl.col("sold_qty"),
        unit_cost=pl.col("unit_cost"),
        cogs_not_reversed=pl.when(known & pl.col("unit_cost").is_not_null()).then(stake),
        reason=pl.when(~known)
        .then(pl.lit(NO_SALE))
        .when(pl.col("unit_cost").is_null())
        .then(pl.lit(NO_COST))
        .otherwise(pl.lit(NO_RETURN_INFO)),
    ).select(pl.col(c).cast(t) for c, t in UNREVERSED_SCHEMA.items())
