"""Orders against settlements: receivables not yet settled (and their age), settlements of orders
no export knows, goods amounts that differ from the order."""

from __future__ import annotations

import polars as pl

from finance.reconcile.checks.books import (
    Books,
    _finish,
    _join_sources,
    _money,
    _platforms,
    _source,
    is_goods,
    without_order_export,
)
from finance.reconcile.contracts import DEFAULT_DAYS, Contracts
from finance.reconcile.text import detail


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
