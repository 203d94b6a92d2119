"""The same charge twice: rows of the same fee, order, SKU and amount in one month."""

from __future__ import annotations

import polars as pl

from finance.reconcile.checks.books import (
    Books,
    _finish,
    _join_sources,
    _money,
    _source,
    waybill_orders_of,
)
from finance.reconcile.text import detail

DUPLICATE_CATEGORIES = (
    "commission",
    "payment_fee",
    "advertising",
    "affiliate",
    "promotion",
    "logistics",
    "return_cost",
    "other_fee",
    "unclassified",
)


def duplicates(books: Books) -> pl.DataFrame:
    """The same fee (name and amount) on the same order or waybill, and the same SKU or
    listing when the rows name one, more than once this month, under different row ids: every
    copy after the first is at stake. (Two lines of one order at the same price each carry
    their own commission: JD bills per 商品编号.)"""
    subject = pl.coalesce("order_id", "waybill")
    keys = ["platform", "shop", "category", "fee_name", "subject", "line", "amount"]
    waybill_orders = waybill_orders_of(books, "parcel_order")
    frame = (
        books.in_month()
        .join(waybill_orders.lazy(), on="waybill", how="left")
        .with_columns(
            order_id=pl.coalesce("order_id", "parcel_order"),
            subject=subject,
            line=pl.coalesce("sku", "listing_id"),
        )
        .filter(pl.col("category").is_in(DUPLICATE_CATEGORIES), pl.col("amount") != 0)
        .filter(pl.col("subject").is_not_null())
        # only rows whose key's hash occurs twice can be repeats: the exact grouping below
        # then runs on those (a hash collision only adds a candidate the grouping drops)
        .filter(pl.struct(keys).hash().is_duplicated())
        .group_by(keys)
        .agg(
            count=pl.col("natural_key").n_unique(),
            order_id=pl.col("order_id").first(),
            sources=_join_sources(_source()),
        )
        .filter(pl.col("count") > 1)
        .collect()
    )
    return _finish(
        frame.with_columns(
            ident=pl.concat_str(
                [
                    pl.lit("duplicate|"),
                    pl.concat_str([*keys[:5], pl.col("amount").cast(pl.String)], separator="|"),
                    pl.concat_str([pl.lit("|"), pl.col("line")]).fill_null(""),
                ]
            ),
            kind=pl.lit("duplicate"),
            **detail(
                "recon_duplicate",
                fee=pl.col("fee_name"),
                amount=_money(-pl.col("amount")),
                count=pl.col("count"),
                subject=pl.col("subject"),
            ),
        ).with_columns(amount=pl.col("amount").abs() * (pl.col("count") - 1))
    )
