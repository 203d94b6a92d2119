"""The checks: each a function from the month's books to findings (one row per exception).

Every check returns a frame of ``FINDING`` columns. ``ident`` names what a finding is about so a
later run recognises it (its status then carries over); ``sources`` lists the statement rows as
``file:row``. Amounts are integer cents, positive: the money at stake.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property

import polars as pl

from finance.money import cents_to_text, round_half_up_div
from finance.reconcile.contracts import DEFAULT_DAYS, Contracts, PlatformRules, province_expr
from finance.reconcile.text import detail
from finance.waybills import owners, shipped

FINDING: dict[str, pl.DataType] = {
    "ident": pl.String,
    "kind": pl.String,
    "platform": pl.String,
    "shop": pl.String,
    "order_id": pl.String,
    "sku": pl.String,
    "amount": pl.Int64,
    "age_days": pl.Int64,
    "detail": pl.String,
    "detail_zh": pl.String,
    "sources": pl.String,
}
PPM = 1_000_000
"""Rates are applied as integer parts per million (``0.008`` -> 8000), so money stays exact."""
MAX_SOURCES = 6


@dataclass(frozen=True)
class Books:
    """What reconciliation reads, each row with ``file`` (the imported file's name)."""

    month: str
    ledger: pl.DataFrame  # every entry posted up to the month's end
    lines: pl.DataFrame  # every order line
    orders: pl.DataFrame  # every order header (order_id, platform, shop)
    returns: pl.DataFrame  # every refund line
    bank: pl.DataFrame  # bank lines up to the month's end + the payout window
    formats: pl.DataFrame  # file_id -> format

    @property
    def start(self) -> datetime:
        return datetime.strptime(self.month + "-01", "%Y-%m-%d")

    @property
    def end_date(self) -> date:
        year, month = (int(x) for x in self.month.split("-"))
        nxt = date(year + month // 12, month % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.end_date, time(23, 59, 59, 999999))

    def in_month(self) -> pl.LazyFrame:
        """This month's entries, lazily: each check collects only the rows and columns it uses
        (on a big month a copy of the whole month per check is gigabytes)."""
        return self.ledger.lazy().filter(pl.col("month") == self.month)

    def charges(self) -> pl.LazyFrame:
        """This month's entries with repeated charges counted once (``duplicates`` reports the
        repeats), so a duplicated fee is not also reported as a fee above the contract."""
        same = ["platform", "shop", "category", "fee_name", "order_id", "waybill", "amount"]
        return self.in_month().unique(subset=same, keep="first", maintain_order=True)

    @cached_property
    def memo(self) -> dict[object, object]:
        """Results derived from these books, kept as long as they are (see ``order_totals``)."""
        return {}


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=FINDING)


def _money(expr: pl.Expr) -> pl.Expr:
    return cents_to_text(expr)


def _rate_text(ppm: pl.Expr) -> pl.Expr:
    """8000 ppm -> ``0.8%``."""
    return pl.concat_str([(ppm.cast(pl.Float64) / 10_000).round(4).cast(pl.String), pl.lit("%")])


def _source(file: str = "file", row: str = "source_row") -> pl.Expr:
    return pl.concat_str([pl.col(file), pl.lit(":"), pl.col(row).cast(pl.String)])


def _join_sources(expr: pl.Expr) -> pl.Expr:
    """Up to ``MAX_SOURCES`` sources of a group, ``; ``-separated."""
    return expr.unique(maintain_order=True).head(MAX_SOURCES).str.join("; ")


def _finish(frame: pl.DataFrame) -> pl.DataFrame:
    for name, dtype in FINDING.items():
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype).alias(name))
    return frame.select(pl.col(n).cast(t) for n, t in FINDING.items())


def _platform_expr(
    contracts: Contracts, value: Callable[[PlatformRules], pl.Expr], default: pl.Expr
) -> pl.Expr:
    """``value(rules)`` per configured platform (``[platform.<name>]``), else ``default``."""
    expr = default
    for name, rules in contracts.platforms.items():
        expr = pl.when(pl.col("platform") == name).then(value(rules)).otherwise(expr)
    return expr


def is_goods(contracts: Contracts) -> pl.Expr:
    """A ledger row that is goods money settled for an order: its platform's ``goods``
    categories (``sales`` where the platform has no ``[platform.<name>]`` table)."""
    return _platform_expr(
        contracts,
        lambda r: pl.col("category").is_in(list(r.goods)),
        pl.col("category") == "sales",
    )


def _platforms(contracts: Contracts, test: Callable[[PlatformRules], bool]) -> list[str]:
    return [name for name, rules in contracts.platforms.items() if test(rules)]


def without_order_export(contracts: Contracts) -> list[str]:
    """Platforms whose orders are not expected in any order export (``order_export = false``)."""
    return _platforms(contracts, lambda r: not r.order_export)


def order_totals(books: Books, contracts: Contracts | None = None) -> pl.DataFrame:
    """Per order: paid (sum of line amounts, plus the platform's shipping fee where its
    contract has one), first shipped, whether it was paid at all, its SKU when it has one, and
    the refunds completed by the month's end: from the refund list, or, for platforms whose
    ``refunds = "settlement"``, the settlement's own refund rows."""
    contracts = contracts or Contracts()
    held = books.memo.get(("order_totals", id(contracts)))
    if held is not None:  # (the contracts object is held with the result: its id stays its own)
        return held[1]  # type: ignore[index]
    totals = _order_totals(books, contracts)
    books.memo["order_totals", id(contracts)] = (contracts, totals)
    return totals


def _order_totals(books: Books, contracts: Contracts) -> pl.DataFrame:
    keys = ["platform", "shop", "order_id"]
    paid = books.lines.group_by(keys).agg(
        paid=pl.col("line_amount").fill_null(0).sum(),
        shipped_at=pl.col("shipped_at").min(),
        # a creation time but no payment time on any line: the order was never paid
        unpaid=pl.col("paid_at").is_null().all() & pl.col("created_at").is_not_null().any(),
        sku=pl.when(pl.col("sku").n_unique() == 1).then(pl.col("sku").first()),
        line_source=_join_sources(_source()),
    )
    shipping = {n: r.shipping for n, r in contracts.platforms.items() if r.shipping}
    for name, (fee, free_from) in shipping.items():
        charged = (pl.col("platform") == name) & (pl.col("paid") < free_from) & ~pl.col("unpaid")
        paid = paid.with_columns(
            pl.when(charged).then(pl.col("paid") + fee).otherwise(pl.col("paid")).alias("paid")
        )
    from_settlement = _platforms(contracts, lambda r: r.refunds == "settlement")
    listed = (
        books.returns.filter(
            pl.col("completed_at").is_null() | (pl.col("completed_at") <= books.end),
            ~pl.col("platform").is_in(from_settlement),
        )
        .group_by(keys)
        .agg(refunded=pl.col("amount").sum())
    )
    settled = (
        books.ledger.filter(
            pl.col("category") == "refund",
            pl.col("order_id").is_not_null(),
            pl.col("platform").is_in(from_settlement),
        )
        .group_by(keys)
        .agg(refunded=-pl.col("amount").sum())
    )
    refunded = pl.concat([listed, settled]).group_by(keys).agg(pl.col("refunded").sum())
    return paid.join(refunded, on=keys, how="left", nulls_equal=True).with_columns(
        pl.col("refunded").fill_null(0)
    )


def receivables(books: Books, contracts: Contracts) -> pl.DataFrame:
    """Shipped by the month's end, not settled by it: ``timing`` within the platform's window,
    ``missing_settlement`` after it. Age is counted in days to the month's end."""
    settled = (
        books.ledger.filter(is_goods(contracts), pl.col("order_id").is_not_null())
        .select("platform", "shop", "order_id")
        .unique()
    )
    platforms = books.lines["platform"].unique().drop_nulls().to_list()
    windows = {p: contracts.days_for(p) for p in [*platforms, "tmall"]}
    end = pl.lit(books.end_date)
    frame = (
        order_totals(books, contracts)
        .filter(
            pl.col("shipped_at").is_not_null(),
            pl.col("shipped_at") <= books.end,
            ~pl.col("unpaid"),
            ~pl.col("platform").is_in(without_order_export(contracts)),
        )
        .join(settled, on=["platform", "shop", "order_id"], how="anti", nulls_equal=True)
        .with_columns(owed=pl.col("paid") - pl.col("refunded"))
        .filter(pl.col("owed") > 0)
        .with_columns(
            age_days=(end - pl.col("shipped_at").dt.date()).dt.total_days(),
            window=pl.col("platform").replace_strict(
                windows, default=DEFAULT_DAYS, return_dtype=pl.Int64
            ),
        )
    )
    return _finish(
        frame.with_columns(
            ident=pl.concat_str(
                [
                    pl.lit("receivable|"),
                    pl.concat_str(["platform", "shop", "order_id"], separator="|"),
                ]
            ),
            kind=pl.when(pl.col("age_days") > pl.col("window"))
            .then(pl.lit("missing_settlement"))
            .otherwise(pl.lit("timing")),
            amount=pl.col("owed"),
            sources=pl.col("line_source"),
            **detail(
                "recon_receivable",
                shipped=pl.col("shipped_at").dt.strftime("%Y-%m-%d"),
                age=pl.col("age_days"),
                owed=_money(pl.col("owed")),
                paid=_money(pl.col("paid")),
                refunded=_money(pl.col("refunded")),
                window=pl.col("window"),
            ),
        )
    )


def _known_orders(books: Books) -> pl.DataFrame:
    keys = ["platform", "shop", "order_id"]
    return pl.concat([books.lines.select(keys), books.orders.select(keys)]).unique()


def unknown_orders(books: Books, contracts: Contracts | None = None) -> pl.DataFrame:
    """Goods payments settled this month for orders in no order export (on platforms whose
    orders are expected in one: not those with ``order_export = false``)."""
    contracts = contracts or Contracts()
    keys = ["platform", "shop", "order_id"]
    sales = (
        books.in_month()
        .filter(
            is_goods(contracts),
            pl.col("order_id").is_not_null(),
            ~pl.col("platform").is_in(without_order_export(contracts)),
        )
        .select(*keys, "amount", "file", "source_row")
        .collect()
    )
    frame = (
        sales.join(_known_orders(books), on=keys, how="anti", nulls_equal=True)
        .group_by(keys)
        .agg(amount=pl.col("amount").sum(), sources=_join_sources(_source()))
        .filter(pl.col("amount") != 0)
    )
    return _finish(
        frame.with_columns(
            ident=pl.concat_str([pl.lit("unknown_order|"), pl.concat_str(keys, separator="|")]),
            kind=pl.lit("unknown_order"),
            **detail(
                "recon_unknown_order", order=pl.col("order_id"), amount=_money(pl.col("amount"))
            ),
        ).with_columns(amount=pl.col("amount").abs())
    )


def goods_differences(books: Books, contracts: Contracts) -> pl.DataFrame:
    """Orders settled this month whose goods money less refunds (the ledger, to the month's
    end; goods are the platform's ``goods`` categories) differ from the order's paid amount
    less its refunds (``order_totals``: the same basis)."""
    keys = ["platform", "shop", "order_id"]
    this_month = (
        books.in_month()
        .filter(
            is_goods(contracts),
            pl.col("order_id").is_not_null(),
            ~pl.col("platform").is_in(without_order_export(contracts)),
        )
        .select(keys)
        .unique()
        .collect()
    )
    money = (
        books.ledger.filter(is_goods(contracts) | (pl.col("category") == "refund"))
        .join(this_month, on=keys, nulls_equal=True)
        .group_by(keys)
        .agg(settled=pl.col("amount").sum(), sources=_join_sources(_source()))
    )
    frame = (
        money.join(order_totals(books, contracts), on=keys, nulls_equal=True)
        .with_columns(expected=pl.col("paid") - pl.col("refunded"))
        .with_columns(diff=pl.col("settled") - pl.col("expected"))
        .filter(pl.col("diff").abs() > contracts.amount_tolerance)
    )
    return _finish(
        frame.with_columns(
            ident=pl.concat_str([pl.lit("goods|"), pl.concat_str(keys, separator="|")]),
            kind=pl.lit("amount_difference"),
            amount=pl.col("diff").abs(),
            **detail(
                "recon_goods_difference",
                settled=_money(pl.col("settled")),
                expected=_money(pl.col("expected")),
                paid=_money(pl.col("paid")),
                refunded=_money(pl.col("refunded")),
                diff=_money(pl.col("diff")),
            ),
        )
    )


def _shop_is(shop: str | None) -> pl.Expr:
    """A contract entry's shop condition: every shop when it names none."""
    return pl.lit(True) if shop is None else pl.col("shop") == shop


def _commission_rates(lines: pl.DataFrame, contracts: Contracts) -> pl.DataFrame:
    """Each line's contract commission rate (ppm) and category; null where no entry applies."""
    rate: pl.Expr = pl.lit(None, pl.Int64)
    category: pl.Expr = pl.lit(None, pl.String)
    for platform, shop, cat, skus, value in reversed(contracts.commission):
        cond = (pl.col("platform") == platform) & _shop_is(shop)
        if skus is not None:
            cond &= pl.col("sku").fill_null("").str.contains(skus)
        rate = pl.when(cond).then(pl.lit(int(value * PPM))).otherwise(rate)
        category = pl.when(cond).then(pl.lit(cat)).otherwise(category)
    return lines.with_columns(rate_ppm=rate, category=category)


def _fee_findings(frame: pl.DataFrame, tolerance: int, ident: pl.Expr, key: str, **fields):  # type: ignore[no-untyped-def]
    """Charged vs expected: above -> overcharge, below -> amount_difference."""
    frame = frame.with_columns(diff=pl.col("charged") - pl.col("expected")).filter(
        pl.col("diff").abs() > tolerance
    )
    return _finish(
        frame.with_columns(
            ident=ident,
            kind=pl.when(pl.col("diff") > 0)
            .then(pl.lit("overcharge"))
            .otherwise(pl.lit("amount_difference")),
            amount=pl.col("diff").abs(),
            **detail(
                key,
                charged=_money(pl.col("charged")),
                expected=_money(pl.col("expected")),
                diff=_money(pl.col("diff")),
                **fields,
            ),
        )
    )


def commission(books: Books, contracts: Contracts) -> pl.DataFrame:
    """Orders whose commission this month differs from the contract rate x line amounts."""
    if not contracts.commission:
        return empty()
    keys = ["platform", "shop", "order_id"]
    expected = (
        _commission_rates(books.lines, contracts)
        .filter(pl.col("rate_ppm").is_not_null())
        .group_by(keys)
        .agg(
            expected=pl.col("line_amount")
            .fill_null(0)
            .cast(pl.Int128)
            .mul(pl.col("rate_ppm"))
            .sum(),
            rate_ppm=pl.col("rate_ppm").first(),
            category=pl.col("category").unique().sort().str.join(", "),
            sku=pl.when(pl.col("sku").n_unique() == 1).then(pl.col("sku").first()),
        )
        .with_columns(expected=round_half_up_div(pl.col("expected"), PPM).clip(lower_bound=1))
    )
    charged = (
        books.charges()
        .filter(pl.col("category") == "commission", pl.col("order_id").is_not_null())
        .group_by(keys)
        .agg(charged=-pl.col("amount").sum(), sources=_join_sources(_source()))
        .collect()
    )
    frame = charged.join(expected, on=keys, nulls_equal=True)
    return _fee_findings(
        frame,
        contracts.fee_tolerance,
        pl.concat_str([pl.lit("fee|commission|"), pl.concat_str(keys, separator="|")]),
        "recon_commission",
        category=pl.col("category"),
        rate=_rate_text(pl.col("rate_ppm")),
    )


def payment_fees(books: Books, contracts: Contracts) -> pl.DataFrame:
    """Payment fee entries this month that differ from the contract rate x the order's paid."""
    if not contracts.payment_fee:
        return empty()
    keys = ["platform", "shop", "order_id"]
    rate: pl.Expr = pl.lit(None, pl.Int64)
    for platform, shop, pattern, value in reversed(contracts.payment_fee):
        cond = (
            (pl.col("platform") == platform)
            & _shop_is(shop)
            & pl.col("fee_name").fill_null("").str.contains(pattern)
        )
        rate = pl.when(cond).then(pl.lit(int(value * PPM))).otherwise(rate)
    fees = (
        books.charges()
        .filter(pl.col("category") == "payment_fee", pl.col("order_id").is_not_null())
        .with_columns(rate_ppm=rate)
        .filter(pl.col("rate_ppm").is_not_null())
        .group_by([*keys, "fee_name", "rate_ppm"])
        .agg(charged=-pl.col("amount").sum(), sources=_join_sources(_source()))
        .collect()
    )
    frame = fees.join(order_totals(books, contracts), on=keys, nulls_equal=True).with_columns(
        expected=round_half_up_div(pl.col("paid").cast(pl.Int128) * pl.col("rate_ppm"), PPM).clip(
            lower_bound=1
        )
    )
    return _fee_findings(
        frame,
        contracts.fee_tolerance,
        pl.concat_str([pl.lit("fee|payment|"), pl.concat_str([*keys, "fee_name"], separator="|")]),
        "recon_payment_fee",
        fee=pl.col("fee_name"),
        rate=_rate_text(pl.col("rate_ppm")),
        paid=_money(pl.col("paid")),
    )


def waybill_orders_of(books: Books, name: str) -> pl.DataFrame:
    """Per waybill, the order it shipped (as column ``name``), looked up in every platform's and
    shop's order lines and order headers (a courier bills the seller); a waybill two shops'
    exports name has no order here (allocation leaves it unallocated, naming the shops)."""
    return (
        owners(shipped(books.lines, books.orders))
        .filter(pl.col("owners") == 1)
        .select("waybill", pl.col("order_id").alias(name))
        .collect()
    )


def parcels(books: Books, contracts: Contracts) -> pl.DataFrame:
    """Parcels billed this month above their courier's rate card (by format and province)."""
    card = contracts.rate_table()
    if card.height == 0:
        return empty()
    courier = {fmt: c.courier for c in contracts.rate_cards for fmt in c.formats}
    waybill_orders = waybill_orders_of(books, "order_id")
    frame = (
        books.charges()
        .filter(
            pl.col("category") == "logistics",
            pl.col("waybill").is_not_null(),
            pl.col("weight_g").is_not_null(),
            pl.col("region").is_not_null(),
        )
        .collect()
        .join(books.formats, on="file_id")
        .with_columns(province=province_expr(pl.col("region")))
        .join(card, on=["format", "province"])
        .with_columns(
            charged=-pl.col("amount"),
            steps=(
                (pl.col("weight_g") - pl.col("first_weight_g")).clip(lower_bound=0)
                + pl.col("step_g")
                - 1
            )
            // pl.col("step_g"),
        )
        .with_columns(expected=pl.col("first") + pl.col("steps") * pl.col("additional"))
        .with_columns(diff=pl.col("charged") - pl.col("expected"))
        .filter(pl.col("diff") > contracts.parcel_tolerance)
        .drop("order_id")
        .join(waybill_orders, on="waybill", how="left")
    )
    return _finish(
        frame.with_columns(
            ident=pl.concat_str([pl.lit("parcel|"), pl.col("natural_key")]),
            kind=pl.lit("overcharge"),
            amount=pl.col("diff"),
            sources=_source(),
            **detail(
                "recon_parcel",
                waybill=pl.col("waybill"),
                region=pl.col("region"),
                weight=pl.col("weight_g"),
                charged=_money(pl.col("charged")),
                expected=_money(pl.col("expected")),
                courier=pl.col("format").replace_strict(courier, default=pl.col("format")),
                diff=_money(pl.col("diff")),
            ),
        )
    )


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


SUMMARY_SCHEMA: dict[str, pl.DataType] = {
    "platform": pl.String,
    "shop": pl.String,
    "settlement_id": pl.String,
    "total": pl.Int64,
    "file_id": pl.Int64,
    "natural_key": pl.String,
}


def settlement_summaries(books: Books, contracts: Contracts) -> pl.DataFrame:
    """Settlements that state their own total this month: ``transfer`` rows whose fee name
    matches the platform's ``settlement_total`` pattern (Amazon settlement V2's summary row,
    kept as ``settlement total (deposit)``; the deposit is negated, so the total is
    ``-amount``). The settlement id is the row's memo (the settlement-id column)."""
    cond: pl.Expr = pl.lit(False)
    for name, rules in contracts.platforms.items():
        if rules.settlement_total:
            cond |= (pl.col("platform") == name) & pl.col("fee_name").fill_null("").str.contains(
                rules.settlement_total
            )
    return (
        books.in_month()
        .filter(pl.col("category") == "transfer", cond)
        .select(
            "platform",
            "shop",
            settlement_id=pl.coalesce("memo", "file"),
            total=-pl.col("amount"),
            file_id="file_id",
            natural_key="natural_key",
        )
        .cast(SUMMARY_SCHEMA)  # type: ignore[arg-type]
        .collect()
    )


def settlement_totals(summaries: pl.DataFrame, books: Books) -> pl.DataFrame:
    """Settlements whose rows do not add up to their own total (an ``amount_difference``).

    ``summaries`` has ``platform, shop, settlement_id, total`` (cents) and ``file_id``, and
    ``natural_key`` when the summary is itself a ledger row (``settlement_summaries``): the
    settlement's rows are the other ledger rows of its file.
    """
    if summaries.height == 0:
        return empty()
    rows = books.ledger
    if "natural_key" in summaries.columns:
        rows = rows.join(
            summaries.select("file_id", "natural_key").drop_nulls(),
            on=["file_id", "natural_key"],
            how="anti",
        )
    sums = rows.group_by("file_id").agg(rows=pl.col("amount").sum(), file=pl.col("file").first())
    frame = (
        summaries.join(sums, on="file_id", how="left")
        .with_columns(pl.col("rows").fill_null(0))
        .with_columns(diff=pl.col("rows") - pl.col("total"))
        .filter(pl.col("diff") != 0)
    )
    return _finish(
        frame.with_columns(
            ident=pl.concat_str(
                [
                    pl.lit("settlement|"),
                    pl.concat_str(["platform", "shop", "settlement_id"], separator="|"),
                ]
            ),
            kind=pl.lit("amount_difference"),
            amount=pl.col("diff").abs(),
            sources=pl.col("file"),
            **detail(
                "recon_settlement_total",
                settlement=pl.col("settlement_id"),
                total=_money(pl.col("total")),
                rows=_money(pl.col("rows")),
                diff=_money(pl.col("diff")),
            ),
        )
    )
