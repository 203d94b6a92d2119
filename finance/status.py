"""``finance status``: what is imported, which months and shops have which statements."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

from finance.errors import FinanceError
from finance.fx import stored_rates, to_base
from finance.i18n import column_text, text
from finance.money import cents_to_text, format_cents
from finance.reconcile.contracts import Contracts
from finance.report.labels import platform_expr
from finance.rulebook import Rule
from finance.schema import EXCLUDED

if TYPE_CHECKING:
    from finance.workspace import Workspace
from finance.store import Store
from finance.waybills import owners, shipped

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
    # refunds whose goods' cost no return source reverses: ``returns_gaps`` (with the amount)
    frames = [*orders, no_ads, *_waybills(store, entries, lang, base_currency)]
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
                "note": text(
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
    try:
        if costs.height and (costs["currency"] != base).any():
            costs = to_base(costs, rates, base, amount="unit_cost", on="effective_from")
        if (refunds["currency"] != base).any():
            refunds = to_base(refunds, rates, base)
    except FinanceError:  # a rate is missing (status lists those): nothing to price yet
        return pl.DataFrame(schema=schema)
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
                "note": text(
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
    from finance.reconcile import contracts_of
    from finance.rulebook import load_rules

    platforms = platforms_of(load_rules(ws.rules), contracts_of(ws))
    frames = [
        gaps(store, lang, platforms=platforms, base_currency=ws.base_currency),
        ad_gaps(ws, store, lang),
        returns_gaps(ws, store, lang),
    ]
    return pl.concat([f.select(list(GAP_SCHEMA)) for f in frames]).sort(
        "month", "platform", "shop", maintain_order=True
    )


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
