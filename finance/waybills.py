"""Which order a parcel shipped: a waybill looked up in every shop's and platform's exports.

A courier depot bills the seller, not a platform: one bill covers the parcels of every shop the
seller ships from the warehouse. So a waybill is matched against the order exports of all
platforms and shops (order lines that carry a waybill, e.g. taobao-orders and pdd-orders, and
order headers such as a shipping list that names each order's waybill). A waybill one shop's
exports name belongs to that shop; one that two shops' exports name is reported, never split by
guess; one that none names stays where its bill put it, with that reason.
"""

from __future__ import annotations

import polars as pl

SHIPPED = {"platform": pl.String, "shop": pl.String, "order_id": pl.String, "waybill": pl.String}


def shipped(*frames: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """(platform, shop, order_id, waybill) of every row of ``frames`` that names a waybill."""
    parts = [
        frame.lazy()
        .filter(pl.col("waybill").is_not_null())
        .select(pl.col(c).cast(t) for c, t in SHIPPED.items())
        for frame in frames
    ]
    if not parts:
        return pl.LazyFrame(schema=SHIPPED)
    return pl.concat(parts).unique()


def owners(rows: pl.LazyFrame) -> pl.LazyFrame:
    """Per waybill of ``rows`` (``shipped``): ``owners``, how many (platform, shop) name it;
    ``owner_names``, them as ``platform/shop, …``; and where one shop does, its ``platform``,
    ``shop`` and ``order_id`` (the first order, when the parcel held several)."""
    return (
        rows.group_by("waybill")
        .agg(
            owners=pl.struct("platform", "shop").n_unique(),
            owner_names=pl.concat_str(["platform", "shop"], separator="/")
            .unique()
            .sort()
            .str.join(", "),
            platform=pl.col("platform").sort().first(),
            shop=pl.col("shop").sort().first(),
            order_id=pl.col("order_id").sort().first(),
        )
        .with_columns(
            pl.when(pl.col("owners") == 1).then(pl.col(c)).alias(c)
            for c in ("platform", "shop", "order_id")
        )
    )
