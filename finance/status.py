"""``finance status``: what is imported, which months and shops have which statements."""

from __future__ import annotations

import polars as pl

from finance.store import Store


def imported_files(store: Store) -> pl.DataFrame:
    files = store.files()
    return files.select(
        "id", "name", "format", "shop", "rows_read", "rows_added", "rows_skipped",
        "first_date", "last_date", pl.col("imported_at").cast(pl.String).str.slice(0, 16),
    )


def coverage(store: Store) -> pl.DataFrame:
    """Per month, platform and shop: ledger rows by the format they came from, and unclassified."""
    entries = store.frame("ledger")
    files = store.files().select(pl.col("id").alias("file_id"), "format")
    if entries.height == 0:
        return pl.DataFrame(schema={"month": pl.String, "platform": pl.String, "shop": pl.String,
                                    "format": pl.String, "rows": pl.UInt32,
                                    "unclassified_rows": pl.UInt32})
    return (
        entries.join(files, on="file_id")
        .group_by("month", "platform", "shop", "format")
        .agg(rows=pl.len(), unclassified_rows=(pl.col("category") == "unclassified").sum())
        .sort("month", "platform", "shop", "format")
    )


def unclassified(store: Store) -> pl.DataFrame:
    """Fee names no rule maps, with their totals: each one wants a [[classify]] entry."""
    entries = store.frame("ledger").filter(pl.col("category") == "unclassified")
    files = store.files().select(pl.col("id").alias("file_id"), "format")
    return (
        entries.join(files, on="file_id")
        .group_by("format", "fee_name")
        .agg(rows=pl.len(), amount=pl.col("amount").sum())
        .sort("format", "fee_name")
    )
