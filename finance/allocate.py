"""Ledger entries -> allocated parts: every cent of a month pinned to a SKU, or left visibly
unallocated with its reason (DESIGN.md, "Allocation").

An entry is pinned by the most specific key it carries: SKU, then order (the order's lines, by
line amount; a refund by the refund list's SKUs when it names them), then listing (the listing's
SKUs, by their sales this month), then shop and month (the shop's SKUs, by sales). A key that
resolves to nothing stays unallocated, with a reason. Every step is a function from LazyFrame to
LazyFrame; ``money.split`` does the largest-remainder arithmetic.

A part row: ``entry`` (ledger row id), platform, shop, sku (null when unallocated), category,
amount (signed cents), key, basis, weight, weight_total, reason.
"""

from __future__ import annotations

import polars as pl

from finance.money import split
from finance.schema import EXCLUDED

PART_SCHEMA = {
    "entry": pl.Int64,
    "platform": pl.String,
    "shop": pl.String,
    "sku": pl.String,
    "category": pl.String,
    "amount": pl.Int64,
    "key": pl.String,
    "basis": pl.String,
    "weight": pl.Int64,
    "weight_total": pl.Int64,
    "reason": pl.String,
}


def _parts(frame: pl.LazyFrame) -> pl.LazyFrame:
    have = set(frame.collect_schema().names())
    return frame.with_columns(
        pl.lit(None, t).alias(c) for c, t in PART_SCHEMA.items() if c not in have
    ).select(pl.col(c).cast(t) for c, t in PART_SCHEMA.items())


def _split_parts(candidates: pl.LazyFrame, *, key: str, basis: str) -> pl.LazyFrame:
    """``candidates``: one row per (entry, recipient sku) with ``weight``; split each amount."""
    return (
        candidates.with_columns(
            weight=pl.col("weight").fill_null(0).clip(lower_bound=0),
        )
        .with_columns(weight_total=pl.col("weight").sum().over("entry"))
        .with_columns(
            basis=pl.when(pl.col("weight_total") == 0)
            .then(pl.lit(f"equal ({basis} all zero)"))
            .otherwise(pl.lit(basis)),
            key=pl.lit(key),
            __tb=pl.col("sku").fill_null(""),
        )
        .pipe(
            split,
            group=["entry"],
            amount="amount",
            weight="weight",
            tiebreak=["__tb", "__line"],
            out="part",
        )
        .with_columns(amount=pl.col("part"))
        .pipe(_parts)
    )


def _unallocated(entries: pl.LazyFrame, reason: pl.Expr, key: str | None) -> pl.LazyFrame:
    return entries.with_columns(
        sku=pl.lit(None, pl.String),
        key=pl.lit(key, pl.String),
        basis=pl.lit(None, pl.String),
        reason=reason,
    ).pipe(_parts)


def in_margin(entries: pl.LazyFrame) -> pl.LazyFrame:
    """Entries that count in true margin (not transfers, deposits or tax)."""
    return entries.filter(~pl.col("category").is_in(list(EXCLUDED)))


def by_sku(entries: pl.LazyFrame) -> pl.LazyFrame:
    return (
        entries.filter(pl.col("sku").is_not_null())
        .with_columns(
            key=pl.lit("sku"), basis=pl.lit("direct"), weight=pl.lit(1), weight_total=pl.lit(1)
        )
        .pipe(_parts)
    )


def by_order(entries: pl.LazyFrame, lines: pl.LazyFrame, returns: pl.LazyFrame) -> pl.LazyFrame:
    """Entries with an order id (and no SKU): split over the order's lines.

    Refunds go to the SKUs the refund list names for that order, by refunded amount; other
    entries (and refunds the list does not cover) go by line amount.
    """
    todo = entries.filter(pl.col("sku").is_null() & pl.col("order_id").is_not_null()).drop("sku")
    order_lines = lines.select(
        "platform",
        "order_id",
        "sku",
        weight=pl.col("line_amount"),
        __line=pl.col("line_id").fill_null(pl.col("id").cast(pl.String)),
    )
    refunded = (
        returns.filter(pl.col("sku").is_not_null())
        .group_by("platform", "order_id", "sku")
        .agg(weight=pl.col("amount").sum())
        .with_columns(__line=pl.col("sku"))
    )
    refunds = todo.filter(pl.col("category") == "refund")
    pinned = refunds.join(refunded, on=["platform", "order_id"], how="inner")
    rest = pl.concat(
        [
            todo.filter(pl.col("category") != "refund"),
            refunds.join(
                refunded.select("platform", "order_id").unique(),
                on=["platform", "order_id"],
                how="anti",
            ),
        ]
    )
    by_lines = rest.join(order_lines, on=["platform", "order_id"], how="inner")
    missing = rest.join(
        order_lines.select("platform", "order_id").unique(), on=["platform", "order_id"], how="anti"
    )
    return pl.concat(
        [
            _split_parts(pinned, key="order", basis="refund list amount"),
            _split_parts(by_lines, key="order", basis="line amount"),
            _unallocated(
                missing,
                pl.format("order {} is in no order export", pl.col("order_id")),
                "order",
            ),
        ]
    ).pipe(_no_sku_reason)


def _no_sku_reason(parts: pl.LazyFrame) -> pl.LazyFrame:
    return parts.with_columns(
        reason=pl.when(pl.col("sku").is_null() & pl.col("reason").is_null())
        .then(pl.lit("the order line has no SKU code (商家编码)"))
        .otherwise(pl.col("reason"))
    )


def sales_weights(parts: pl.LazyFrame) -> pl.LazyFrame:
    """Each SKU's sales this month (before refunds): the basis for listing and shop costs."""
    return (
        parts.filter((pl.col("category") == "sales") & pl.col("sku").is_not_null())
        .group_by("platform", "shop", "sku")
        .agg(weight=pl.col("amount").sum())
    )


def by_listing(entries: pl.LazyFrame, lines: pl.LazyFrame, sales: pl.LazyFrame) -> pl.LazyFrame:
    """Entries with a listing id only (ad spend per item): the listing's SKUs, by sales."""
    todo = entries.filter(
        pl.col("sku").is_null() & pl.col("order_id").is_null() & pl.col("listing_id").is_not_null()
    ).drop("sku")
    listing_skus = (
        lines.filter(pl.col("listing_id").is_not_null() & pl.col("sku").is_not_null())
        .select("platform", "listing_id", "sku")
        .unique()
    )
    candidates = (
        todo.join(listing_skus, on=["platform", "listing_id"], how="inner")
        .join(sales, on=["platform", "shop", "sku"], how="left")
        .with_columns(__line=pl.col("sku"))
    )
    missing = todo.join(
        listing_skus.select("platform", "listing_id").unique(),
        on=["platform", "listing_id"],
        how="anti",
    )
    return pl.concat(
        [
            _split_parts(candidates, key="listing", basis="SKU sales this month"),
            _unallocated(
                missing,
                pl.format("listing {} is in no order export", pl.col("listing_id")),
                "listing",
            ),
        ]
    )


def by_shop(entries: pl.LazyFrame, sales: pl.LazyFrame) -> pl.LazyFrame:
    """Entries with no key at all: the shop's SKUs that month, by sales."""
    todo = entries.filter(
        pl.col("sku").is_null() & pl.col("order_id").is_null() & pl.col("listing_id").is_null()
    ).drop("sku")
    candidates = todo.join(sales, on=["platform", "shop"], how="inner").with_columns(
        __line=pl.col("sku")
    )
    missing = todo.join(
        sales.select("platform", "shop").unique(), on=["platform", "shop"], how="anti"
    )
    return pl.concat(
        [
            _split_parts(candidates, key="shop", basis="SKU sales this month"),
            _unallocated(missing, pl.lit("the shop has no SKU sales this month"), "shop"),
        ]
    )


def allocate(entries: pl.LazyFrame, lines: pl.LazyFrame, returns: pl.LazyFrame) -> pl.LazyFrame:
    """All parts of a month's in-margin entries (``entries``: ledger rows with ``id``)."""
    entries = in_margin(entries).with_columns(entry=pl.col("id"))
    first = pl.concat([by_sku(entries), by_order(entries, lines, returns)]).collect().lazy()
    sales = sales_weights(first)
    return pl.concat([first, by_listing(entries, lines, sales), by_shop(entries, sales)])
