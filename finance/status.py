"""``finance status``: what is imported, which months and shops have which statements."""

from __future__ import annotations

import polars as pl

from finance.i18n import text
from finance.store import Store


def imported_files(store: Store) -> pl.DataFrame:
    files = store.files()
    return files.select(
        "id",
        "name",
        "format",
        "shop",
        "rows_read",
        "rows_added",
        "rows_skipped",
        "first_date",
        "last_date",
        pl.col("imported_at").cast(pl.String).str.slice(0, 16),
    )


def coverage(store: Store) -> pl.DataFrame:
    """Per month, platform and shop: ledger rows by the format they came from, and unclassified."""
    entries = store.frame("ledger")
    files = store.files().select(pl.col("id").alias("file_id"), "format")
    if entries.height == 0:
        return pl.DataFrame(
            schema={
                "month": pl.String,
                "platform": pl.String,
                "shop": pl.String,
                "format": pl.String,
                "rows": pl.UInt32,
                "unclassified_rows": pl.UInt32,
            }
        )
    return (
        entries.join(files, on="file_id")
        .group_by("month", "platform", "shop", "format")
        .agg(rows=pl.len(), unclassified_rows=(pl.col("category") == "unclassified").sum())
        .sort("month", "platform", "shop", "format")
    )


def descriptive(store: Store) -> pl.DataFrame:
    """Order exports and refund lists by month (of payment / refund completion) and shop."""
    files = store.files().select(pl.col("id").alias("file_id"), "format")
    frames = []
    for kind, when in (
        ("order_lines", "paid_at"),
        ("orders", "paid_at"),
        ("returns", "completed_at"),
    ):
        rows = store.frame(kind)
        if rows.height:
            frames.append(
                rows.join(files, on="file_id")
                .with_columns(month=pl.col(when).dt.strftime("%Y-%m"))
                .group_by("month", "platform", "shop", "format")
                .agg(rows=pl.len())
            )
    if not frames:
        return pl.DataFrame()
    return pl.concat(frames).sort("month", "platform", "shop", "format", nulls_last=True)


def unclassified(store: Store) -> pl.DataFrame:
    """Fee names no rule maps, with their totals: each one wants a [[classify]] entry."""
    entries = store.frame("ledger").filter(pl.col("category") == "unclassified")
    files = store.files().select(pl.col("id").alias("file_id"), "format")
    return (
        entries.join(files, on="file_id")
        .group_by("format", "fee_name", "currency")
        .agg(rows=pl.len(), amount=pl.col("amount").sum())
        .sort("format", "fee_name", "currency")
    )


def gaps(store: Store, lang: str = "en") -> pl.DataFrame:
    """What is missing, per month and shop: statement kinds not imported, orders not exported.

    Ledger entries whose order is in no order export cannot reach a SKU; a month with ledger
    rows but no ad report or refund list may simply lack a download.
    """
    entries = store.frame("ledger")
    if entries.height == 0:
        return pl.DataFrame(
            schema={
                "month": pl.String,
                "platform": pl.String,
                "shop": pl.String,
                "missing": pl.String,
            }
        )
    lines = store.frame("order_lines").select("platform", "order_id").unique()
    unknown = (
        entries.filter(pl.col("order_id").is_not_null() & (pl.col("category") == "sales"))
        .join(lines, on=["platform", "order_id"], how="anti")
        .group_by("month", "platform", "shop")
        .agg(n=pl.col("order_id").n_unique())
        .select(
            "month",
            "platform",
            "shop",
            missing=pl.format(text("gap_orders", lang, n="{}"), pl.col("n")),
        )
    )
    files = store.files().select(pl.col("id").alias("file_id"), "format")
    kinds = (
        entries.join(files, on="file_id")
        .group_by("month", "platform", "shop")
        .agg(
            has_ads=(pl.col("category") == "advertising").any(),
            has_refunds=(pl.col("category") == "refund").any(),
        )
    )
    returns = store.frame("returns")
    no_ads = kinds.filter(~pl.col("has_ads")).select(
        "month", "platform", "shop", missing=pl.lit(text("gap_ads", lang))
    )
    no_refund_list = kinds.filter(pl.col("has_refunds") & pl.lit(returns.height == 0)).select(
        "month",
        "platform",
        "shop",
        missing=pl.lit(text("gap_refund_list", lang)),
    )
    return pl.concat([unknown, no_ads, no_refund_list]).sort("month", "platform", "shop")


def closed_months(store: Store) -> pl.DataFrame:
    """The closed months: month, closed_at, closed_by (``finance close``)."""
    from finance.store import closing

    with store.engine.connect() as conn:
        frame = closing.closes(conn)
    return frame.select("month", pl.col("closed_at").cast(pl.String).str.slice(0, 16), "closed_by")


def adjustments(store: Store) -> pl.DataFrame:
    """Rows booked in a later month than they are dated (late rows of closed months): per
    booked month, original month, platform and shop, their count and signed amount as posted."""
    entries = store.frame("ledger")
    return (
        entries.with_columns(original_month=pl.col("posted_at").dt.strftime("%Y-%m"))
        .filter(pl.col("original_month") != pl.col("month"))
        .group_by("month", "original_month", "platform", "shop", "currency")
        .agg(rows=pl.len(), amount=pl.col("amount").sum())
        .sort("month", "original_month", "platform", "shop")
    )
