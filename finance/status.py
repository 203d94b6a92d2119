"""``finance status``: what is imported, which months and shops have which statements."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from finance.errors import FinanceError
from finance.fx import stored_rates, to_base
from finance.i18n import column_text
from finance.money import cents_to_text
from finance.reconcile.contracts import Contracts
from finance.report.labels import platform_expr
from finance.rulebook import Rule
from finance.schema import EXCLUDED
from finance.store import Store
from finance.waybills import owners, shipped


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


GAP_SCHEMA = {"month": pl.String, "platform": pl.String, "shop": pl.String, "note": pl.String}


@dataclass(frozen=True)
class Platforms:
    """What the rulebook and the contracts say each platform sends (data, not code): its ad
    reports and refund lists (format rules by platform), whether its orders are in an order
    export and where its refunds come from (``[platform.<name>]`` in contracts.toml)."""

    ad_reports: dict[str, tuple[str, ...]] = field(default_factory=dict)  # platform: formats
    refund_lists: dict[str, tuple[str, ...]] = field(default_factory=dict)  # platform: formats
    no_order_export: tuple[str, ...] = ()
    refunds_in_settlement: tuple[str, ...] = ()
    titles: dict[str, str] = field(default_factory=dict)  # format: what people call it

    def named(self, formats: dict[str, tuple[str, ...]]) -> dict[str, str]:
        """Platform: its formats as people read them (``jd-ads 京准通 推广报表``)."""
        return {
            platform: ", ".join(f"{f} {self.titles[f]}".strip() for f in names)
            for platform, names in formats.items()
        }


def platforms_of(rules: list[Rule], contracts: Contracts) -> Platforms:
    """Each platform's ad reports (ledger rules whose every row is ``advertising``) and refund
    lists (``returns`` rules), named as ``format (description)``, and its contract."""

    def by_platform(test: Callable[[Rule], bool]) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for rule in sorted(rules, key=lambda r: r.name):
            if test(rule):
                out.setdefault(rule.platform, []).append(rule.name)
        return {k: tuple(v) for k, v in out.items()}

    return Platforms(
        ad_reports=by_platform(lambda r: r.kind == "ledger" and r.category == "advertising"),
        refund_lists=by_platform(lambda r: r.kind == "returns"),
        no_order_export=tuple(n for n, p in contracts.platforms.items() if not p.order_export),
        refunds_in_settlement=tuple(
            n for n, p in contracts.platforms.items() if p.refunds == "settlement"
        ),
        titles={r.name: r.description.split(" (")[0].strip() for r in rules},
    )


def _in_base(entries: pl.DataFrame, rates: pl.DataFrame, base: str) -> pl.DataFrame:
    """``entries`` in the base currency where the stored rates allow, else as posted."""
    try:
        return to_base(entries, rates, base)
    except FinanceError:  # a rate is missing (status lists those): amounts as posted
        return entries


def _amount_text(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Per ``keys``: ``amount`` as text naming its currency (``208.00 CNY``; one term per
    currency when the rows could not all be converted)."""
    return (
        frame.group_by([*keys, "currency"])
        .agg(pl.col("amount").sum())
        .sort("currency")
        .with_columns(
            term=pl.concat_str(
                [cents_to_text(pl.col("amount")), pl.col("currency").fill_null("")],
                separator=" ",
            )
        )
        .group_by(keys)
        .agg(amount=pl.col("term").str.join(" + "))
    )


def gaps(
    store: Store,
    lang: str = "en",
    *,
    platforms: Platforms | None = None,
    base_currency: str = "CNY",
) -> pl.DataFrame:
    """What is missing, per month, platform and shop, and where settled money goes instead.

    Settled orders whose money cannot reach a SKU: in no order export (a gap), or on a platform
    that sends none (``order_export = false``: said, not asked for); orders the statement
    itself places on SKUs (a ``sku`` on the sales row, e.g. Amazon) are said to be placed.
    A month with statements but no row from the platform's own ad report (if it has one), or
    with refunds but no refund list (where the platform has one and its contract takes the
    refunds from it), may simply lack a download. Amounts name their currency.
    """
    platforms = platforms or Platforms()
    entries = store.frame("ledger")
    if entries.height == 0:
        return pl.DataFrame(schema=GAP_SCHEMA)
    keys = ["month", "platform", "shop"]
    lines = store.frame("order_lines").select("platform", "order_id").unique()
    sales = (
        entries.filter(pl.col("order_id").is_not_null() & (pl.col("category") == "sales"))
        .join(lines, on=["platform", "order_id"], how="anti")
        .pipe(_in_base, stored_rates(store), base_currency)
        .with_columns(
            case=pl.when(pl.col("sku").is_not_null())
            .then(pl.lit("by_sku"))
            .when(pl.col("platform").is_in(list(platforms.no_order_export)))
            .then(pl.lit("no_export"))
            .otherwise(pl.lit("unknown"))
        )
    )
    label = platform_expr(lang)
    notes = {
        "unknown": "gap_orders",
        "no_export": "gap_orders_no_export",
        "by_sku": "gap_orders_by_sku",
    }
    orders = [
        sales.filter(pl.col("case") == case)
        .group_by(keys)
        .agg(n=pl.col("order_id").n_unique())
        .join(_amount_text(sales.filter(pl.col("case") == case), keys), on=keys)
        .select(
            *keys,
            note=column_text(key, lang, n=pl.col("n"), amount=pl.col("amount"), platform=label),
        )
        for case, key in notes.items()
    ]
    files = store.files().select(pl.col("id").alias("file_id"), "format")
    ad_formats = [f for names in platforms.ad_reports.values() for f in names]
    kinds = (
        entries.join(files, on="file_id")
        .group_by(keys)
        .agg(
            has_ads=pl.col("format").is_in(ad_formats).any(),
            has_refunds=(pl.col("category") == "refund").any(),
        )
    )
    reports = pl.col("platform").replace_strict(platforms.named(platforms.ad_reports), default=None)
    no_ads = kinds.filter(~pl.col("has_ads") & reports.is_not_null()).select(
        *keys, note=column_text("gap_ads", lang, reports=reports)
    )
    listed = store.frame("returns").select("platform", "shop").unique()
    refund_lists = pl.col("platform").replace_strict(
        platforms.named(platforms.refund_lists), default=None
    )
    no_refund_list = (
        kinds.filter(
            pl.col("has_refunds"),
            refund_lists.is_not_null(),
            ~pl.col("platform").is_in(list(platforms.refunds_in_settlement)),
        )
        .join(listed, on=["platform", "shop"], how="anti")
        .select(*keys, note=column_text("gap_refund_list", lang, formats=refund_lists))
    )
    frames = [*orders, no_ads, no_refund_list, *_waybills(store, entries, lang, base_currency)]
    return pl.concat(
        [f.select(pl.col(c).cast(t) for c, t in GAP_SCHEMA.items()) for f in frames]
    ).sort(keys)


def _waybills(
    store: Store, entries: pl.DataFrame, lang: str, base_currency: str
) -> list[pl.DataFrame]:
    """Costs keyed by a waybill alone (courier bills) whose waybill no export names, or two
    shops' exports name (``finance.waybills``): they stay unallocated on the bill's line."""
    keys = ["month", "platform", "shop"]
    parcels = entries.filter(
        pl.col("waybill").is_not_null(),
        pl.col("order_id").is_null(),
        pl.col("sku").is_null(),
        ~pl.col("category").is_in(list(EXCLUDED)),
    )
    if parcels.height == 0:
        return []
    found = owners(shipped(store.frame("order_lines"), store.frame("orders"))).collect()
    parcels = (
        parcels.join(found.select("waybill", "owners", "owner_names"), on="waybill", how="left")
        .pipe(_in_base, stored_rates(store), base_currency)
        .with_columns(shared=pl.col("owners") > 1, unknown=pl.col("owners").is_null())
    )
    out = []
    for flag, key in (("unknown", "gap_waybills"), ("shared", "gap_waybills_shared")):
        hit = parcels.filter(pl.col(flag))
        out.append(
            hit.group_by(keys)
            .agg(
                n=pl.col("waybill").n_unique(),
                shops=pl.col("owner_names").drop_nulls().unique().sort().str.join("; "),
            )
            .join(_amount_text(hit, keys), on=keys)
            .select(
                *keys,
                note=column_text(
                    key, lang, n=pl.col("n"), amount=pl.col("amount"), shops=pl.col("shops")
                ),
            )
        )
    return out
