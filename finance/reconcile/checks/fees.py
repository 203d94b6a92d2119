"""Fees against the contract: commission and payment-fee rates, parcel charges by weight and
province."""

from __future__ import annotations

import polars as pl

from finance.money import round_half_up_div
from finance.reconcile.checks.books import (
    PPM,
    Books,
    _finish,
    _join_sources,
    _money,
    _rate_text,
    _source,
    empty,
    waybill_orders_of,
)
from finance.reconcile.checks.orders import order_totals
from finance.reconcile.contracts import Contracts, province_expr
from finance.reconcile.text import detail


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
