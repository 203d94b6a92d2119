"""``finance explain``: each figure of a SKU traced to the statement rows behind it."""

from __future__ import annotations

import polars as pl

from finance.margin import MonthResult
from finance.money import cents_to_text


def explain(result: MonthResult, sku: str, *, shop: str | None = None) -> pl.DataFrame:
    """One row per part the SKU took: category, file, row, fee name, entry amount, part, basis.

    Empty ``sku`` ("") explains the unallocated parts instead.
    """
    parts = result.parts.filter(pl.col("sku").is_null() if sku == "" else pl.col("sku") == sku)
    if shop is not None:
        parts = parts.filter(pl.col("shop") == shop)
    entries = result.entries.with_columns(as_posted=_as_posted(result.entries)).select(
        pl.col("id").alias("entry"),
        "as_posted",
        "file_id",
        "source_row",
        "fee_name",
        "order_id",
        "listing_id",
        "posted_at",
        entry_amount=pl.col("amount"),
    )
    files = result.files.select(pl.col("id").alias("file_id"), pl.col("name").alias("file"))
    return (
        parts.join(entries, on="entry", how="left")
        .join(files, on="file_id", how="left")
        .select(
            "platform",
            "shop",
            "sku",
            "category",
            "origin",
            "file",
            "source_row",
            "posted_at",
            "fee_name",
            "order_id",
            "listing_id",
            "entry_amount",
            "as_posted",
            pl.col("amount").alias("part"),
            "key",
            "basis",
            "weight",
            "weight_total",
            share=pl.when(pl.col("weight_total").is_not_null() & (pl.col("key") != "sku")).then(
                pl.format("{}/{}", pl.col("weight"), pl.col("weight_total"))
            ),
            reason="reason",
        )
        .sort("category", "file", "source_row")
    )


def _as_posted(entries: pl.DataFrame) -> pl.Expr:
    """The entry as the statement wrote it (``USD -7.80``) when it was converted to the base
    currency; empty for entries posted in the base currency."""
    if "original_currency" not in entries.columns:
        return pl.lit(None, pl.String)
    converted = pl.col("original_currency") != pl.col("currency")
    text = pl.concat_str(
        [pl.col("original_currency"), pl.lit(" "), cents_to_text(pl.col("original_amount"))]
    )
    return pl.when(converted).then(text).otherwise(None)


def summary(detail: pl.DataFrame) -> pl.DataFrame:
    """Per category: how many statement rows and how much the SKU took from them."""
    return (
        detail.group_by("category").agg(rows=pl.len(), amount=pl.col("part").sum()).sort("category")
    )


def not_reversed(result: MonthResult, sku: str, *, shop: str | None = None) -> pl.DataFrame:
    """The SKU's refunds with no return information this month: order, refund and the COGS
    they did not reverse (``returns.unreversed``; null where it cannot be told)."""
    rows = result.unreversed.filter(pl.col("sku").is_null() if sku == "" else pl.col("sku") == sku)
    if shop is not None:
        rows = rows.filter(pl.col("shop") == shop)
    return rows
