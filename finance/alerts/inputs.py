"""What the rules look at, gathered from the store: the month's P&L and the prior month's,
unclassified fees, reconciliation exceptions, which statements arrived."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from finance.errors import FinanceError
from finance.month import prior_month
from finance.reconcile import CONTRACT_COLUMNS
from finance.schema import PNL_COLUMNS

if TYPE_CHECKING:
    from finance.store import Store
    from finance.workspace import Workspace


EXCEPTION_SCHEMA: dict[str, pl.DataType] = CONTRACT_COLUMNS


"""Columns taken from ``finance.reconcile.open_exceptions`` (its contract with the alerts)."""


STATEMENT_SCHEMA: dict[str, pl.DataType] = {
    "month": pl.String,
    "platform": pl.String,
    "shop": pl.String,
    "format": pl.String,
}


@dataclass
class AlertInputs:
    """What the alert rules look at; every frame can be made by hand in a test."""

    month: str
    pnl: pl.DataFrame  # MonthResult.pnl of the month
    prior: pl.DataFrame | None = None  # MonthResult.pnl of the prior month, if any
    unclassified: pl.DataFrame | None = None  # platform, shop, rows, amount (signed cents)
    exceptions: pl.DataFrame | None = None  # EXCEPTION_SCHEMA
    statements: pl.DataFrame | None = None  # STATEMENT_SCHEMA, this month and the prior one
    prior_month: str = ""
    currency: str = "CNY"  # the base currency the figures are in (named by money messages)


def open_exceptions(ws: Workspace, store: Store, month: str) -> pl.DataFrame:
    """Reconciliation exceptions of the month (see finance.reconcile.open_exceptions)."""
    from finance.reconcile import open_exceptions as fetch

    frame = fetch(ws, store, month)
    return frame.select(pl.col(c).cast(t) for c, t in EXCEPTION_SCHEMA.items())


def _pnl(ws: Workspace, store: Store, month: str) -> pl.DataFrame | None:
    from finance.month import month_result

    try:
        return month_result(ws, store, month).pnl
    except FinanceError as error:
        if error.key == "no_data_for_month":
            return None
        raise


def statements(store: Store) -> pl.DataFrame:
    """Which statement formats each platform/shop has ledger rows from, per month."""
    entries = store.frame("ledger")
    if entries.height == 0:
        return pl.DataFrame(schema=STATEMENT_SCHEMA)
    files = store.files().select(pl.col("id").alias("file_id"), "format")
    return (
        entries.select("file_id", "month", "platform", "shop")
        .unique()
        .join(files, on="file_id")
        .select(*STATEMENT_SCHEMA)
        .unique()
    )


def gather(ws: Workspace, store: Store, month: str) -> AlertInputs:
    """The month's inputs from the store (an empty P&L when nothing is imported for it)."""
    from finance.month import check_month

    check_month(month)
    before = prior_month(month)
    pnl = _pnl(ws, store, month)
    if pnl is None:
        pnl = pl.DataFrame(schema=PNL_SCHEMA)
    entries = store.frame("ledger").filter(
        (pl.col("month") == month) & (pl.col("category") == "unclassified")
    )
    return AlertInputs(
        month=month,
        pnl=pnl,
        prior=_pnl(ws, store, before),
        unclassified=entries.group_by("platform", "shop").agg(
            rows=pl.len(), amount=pl.col("amount").sum()
        ),
        exceptions=open_exceptions(ws, store, month),
        statements=statements(store).filter(pl.col("month").is_in([month, before])),
        prior_month=before,
        currency=ws.base_currency,
    )


PNL_SCHEMA: dict[str, pl.DataType] = {
    "platform": pl.String,
    "shop": pl.String,
    "sku": pl.String,
    **dict.fromkeys(PNL_COLUMNS, pl.Int64),
    "true_margin": pl.Int64,
    "units_sold": pl.Int64,
    "units_returned": pl.Int64,
    "returns_inferred": pl.Boolean,
    "cost_missing": pl.Boolean,
    "margin_pct": pl.String,
}


"""The columns of ``MonthResult.pnl`` the rules read (for a month with nothing imported)."""
