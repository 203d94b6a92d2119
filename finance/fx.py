"""Amounts in other currencies -> the workspace's base currency, exactly.

Rates come from the ``fx-rates`` table (kind ``fx_rates``): units of the base currency for one
unit of a currency, kept as integers in 1/10^8 (``schema.RATE_SCALE``). An amount posted on a
day uses the rate of that day, or the nearest earlier one. The conversion is integer arithmetic:
``cents x rate / 10^8``, rounded half away from zero to the cent, per entry. A month's total in
the base currency is the sum of its converted entries (never a converted sum), so every report
figure can be traced to converted rows. An entry in a currency with no rate on or before its
date cannot be converted: the month fails with ``fx_rate_missing`` naming currency and date.
"""

from __future__ import annotations

import polars as pl

from finance.errors import FinanceError
from finance.money import round_half_up_div
from finance.schema import RATE_SCALE

RATES_SCHEMA = {"date": pl.Date, "currency": pl.String, "rate": pl.Int64}


def to_base(
    entries: pl.DataFrame,
    rates: pl.DataFrame,
    base: str,
    *,
    amount: str = "amount",
    on: str = "posted_at",
) -> pl.DataFrame:
    """``entries`` with ``amount`` in ``base``; the original kept as ``original_amount`` and
    ``original_currency`` and the rate used as ``fx_rate`` (1/10^8; 10^8 for the base)."""
    unit = 10**RATE_SCALE
    if entries.height and (entries["currency"] == base).fill_null(False).all():
        # every entry already in the base currency (the usual month): nothing to convert
        return entries.with_columns(
            original_amount=pl.col(amount),
            original_currency=pl.col("currency"),
            fx_rate=pl.lit(unit, pl.Int64),
        ).with_columns(pl.col(amount).cast(pl.Int64))
    frame = entries.with_columns(
        original_amount=pl.col(amount),
        original_currency=pl.col("currency"),
        __d=pl.col(on).cast(pl.Date),
        __i=pl.int_range(pl.len()),
    )
    table = rates.select(
        "currency",
        pl.col("date").alias("__rd"),
        pl.col("rate").alias("fx_rate"),
    ).sort("__rd")
    foreign = (
        frame.filter(pl.col("currency") != base)
        .sort("__d")
        .join_asof(
            table,
            left_on="__d",
            right_on="__rd",
            by="currency",
            strategy="backward",
            check_sortedness=False,
        )
    )
    missing = foreign.filter(pl.col("fx_rate").is_null()).sort("__d", "currency")
    if missing.height:
        raise FinanceError(
            "fx_rate_missing",
            currency=missing["currency"][0],
            date=str(missing["__d"][0]),
            base=base,
        )
    home = frame.filter(pl.col("currency") == base).with_columns(fx_rate=pl.lit(unit, pl.Int64))
    converted = pl.concat([home, foreign.drop("__rd")], how="diagonal_relaxed").sort("__i")
    return converted.with_columns(
        round_half_up_div(pl.col(amount).cast(pl.Int128) * pl.col("fx_rate"), unit).alias(amount),
        currency=pl.lit(base),
    ).drop("__d", "__i")


def stored_rates(store: object) -> pl.DataFrame:
    """Every rate the store holds (date, currency, rate)."""
    return store.frame("fx_rates").select(list(RATES_SCHEMA))  # type: ignore[attr-defined]


def missing_rates(entries: pl.DataFrame, rates: pl.DataFrame, base: str) -> pl.DataFrame:
    """Per month and currency: entries no rate covers (none on or before their date), the first
    such date and how many rows. Empty when every entry can be converted."""
    foreign = (
        entries.filter(pl.col("currency") != base)
        .with_columns(__d=pl.col("posted_at").cast(pl.Date))
        .sort("__d")
    )
    table = rates.select("currency", pl.col("date").alias("__rd")).sort("__rd")
    return (
        foreign.join_asof(
            table,
            left_on="__d",
            right_on="__rd",
            by="currency",
            strategy="backward",
            check_sortedness=False,
        )
        .filter(pl.col("__rd").is_null())
        .group_by("month", "currency")
        .agg(first_date=pl.col("__d").min(), rows=pl.len())
        .sort("month", "currency")
    )
