"""``finance status``: what is imported, which months and shops have which statements."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from finance.i18n import text
from finance.money import format_cents
from finance.store import Store

if TYPE_CHECKING:
    from finance.workspace import Workspace


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


GAP_SCHEMA = {"month": pl.String, "platform": pl.String, "shop": pl.String, "missing": pl.String}


def ad_gaps(ws: Workspace, store: Store, lang: str = "en") -> pl.DataFrame:
    """Statement ad charges (and ad-account top-ups) of a month and shop for which the ad report
    that describes the same money is not imported: which report would place them on SKUs."""
    from finance.counted_once import comparison
    from finance.month import counted_once_pairs

    lines = comparison(store.frame("ledger"), store.files(), counted_once_pairs(ws)).filter(
        ~pl.col("report_imported") & ((pl.col("charges") != 0) | (pl.col("top_ups") != 0))
    )
    rows = []
    for row in lines.iter_rows(named=True):
        charged = row["charges"] != 0
        amount = row["charges"] if charged else row["top_ups"]
        rows.append(
            {
                "month": row["month"],
                "platform": row["platform"],
                "shop": row["shop"],
                "missing": text(
                    "gap_ad_charge" if charged else "gap_ad_top_up",
                    lang,
                    fee=row["fee_name"],
                    amount=f"{format_cents(amount, grouped=True)} {row['currency']}",
                    statement=row["statement"],
                    report=row["report"],
                ),
            }
        )
    return pl.DataFrame(rows, schema=GAP_SCHEMA)


def unreversed_by_month(ws: Workspace, store: Store) -> pl.DataFrame:
    """Per month (of the refund), platform and shop: refunded orders no return source covers,
    and the COGS they did not reverse in the base currency (``returns.unreversed``)."""
    from finance.fx import stored_rates, to_base
    from finance.returns import UNREVERSED_SCHEMA, sales_of_orders, unreversed

    schema = {"month": pl.String, **UNREVERSED_SCHEMA}
    refunds = store.frame("ledger").filter(
        (pl.col("category") == "refund") & pl.col("order_id").is_not_null()
    )
    if refunds.height == 0:
        return pl.DataFrame(schema=schema)
    base = ws.base_currency
    rates = stored_rates(store)
    costs = store.frame("unit_costs").with_columns(pl.col("currency").fill_null(base))
    if costs.height and (costs["currency"] != base).any():
        costs = to_base(costs, rates, base, amount="unit_cost", on="effective_from")
    if (refunds["currency"] != base).any():
        refunds = to_base(refunds, rates, base)
    sales = sales_of_orders(store, refunds["order_id"].unique().to_list()).lazy()
    lines = store.frame("order_lines").lazy()
    returns = store.frame("returns").lazy()
    frames = [
        unreversed(
            refunds.filter(pl.col("month") == month).lazy(), returns, lines, sales, costs.lazy()
        )
        .collect()
        .with_columns(month=pl.lit(month))
        for month in sorted(refunds["month"].unique().to_list())
    ]
    return pl.concat(frames).select(list(schema))


def returns_gaps(ws: Workspace, store: Store, lang: str = "en") -> pl.DataFrame:
    """Refunds whose goods' cost was not reversed for want of return information: the amount,
    and the return source that would tell (the workspace's ``returns`` rules of the platform)."""
    from finance.rulebook import load_rules

    frame = unreversed_by_month(ws, store)
    if frame.height == 0:
        return pl.DataFrame(schema=GAP_SCHEMA)
    sources: dict[str, list[str]] = {}
    for rule in load_rules(ws.rules):
        if rule.kind == "returns":
            sources.setdefault(rule.platform, []).append(rule.name)
    totals = (
        frame.group_by("month", "platform", "shop")
        .agg(
            orders=pl.col("order_id").n_unique(),
            amount=pl.col("cogs_not_reversed").sum(),
            unknown=pl.col("cogs_not_reversed").null_count(),
        )
        .sort("month", "platform", "shop")
    )
    rows = []
    for row in totals.iter_rows(named=True):
        names = sources.get(row["platform"])
        rows.append(
            {
                "month": row["month"],
                "platform": row["platform"],
                "shop": row["shop"],
                "missing": text(
                    "gap_cogs_not_reversed" if names else "gap_cogs_not_reversed_no_source",
                    lang,
                    orders=row["orders"],
                    amount=f"{format_cents(int(row['amount']), grouped=True)} {ws.base_currency}",
                    unknown=row["unknown"],
                    formats=", ".join(sorted(names or [])),
                ),
            }
        )
    return pl.DataFrame(rows, schema=GAP_SCHEMA)


def missing(ws: Workspace, store: Store, lang: str = "en") -> pl.DataFrame:
    """What ``finance status`` lists as missing: ``gaps``, the ad reports that would place
    statement ad charges (``ad_gaps``) and the return sources that would reverse the cost of
    refunded goods (``returns_gaps``)."""
    frames = [gaps(store, lang), ad_gaps(ws, store, lang), returns_gaps(ws, store, lang)]
    return pl.concat([f.select(list(GAP_SCHEMA)) for f in frames]).sort(
        "month", "platform", "shop", maintain_order=True
    )
