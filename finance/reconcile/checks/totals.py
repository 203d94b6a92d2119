"""A statement's own totals (e.g. Amazon's ``total-amount``) against the rows it holds."""

from __future__ import annotations

import polars as pl

from finance.reconcile.checks.books import Books, _finish, _money, empty
from finance.reconcile.contracts import Contracts
from finance.reconcile.text import detail

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
