"""Exception status across runs, kept in the ``recon_exception`` table.

A finding is ``new`` in the month it first appears, ``open`` in a later month that still finds
(or carries) it, and ``resolved`` (with the month) once a run no longer finds it: a receivable when
a later month's run sees the order settled, any other finding when a re-run of its own month (after
a later statement or export was imported) no longer finds it. Re-running a month gives the same
statuses.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from finance.reconcile.checks import FINDING
from finance.store import Store
from finance.store.tables import ReconException

STORED_COLUMNS = [*FINDING, "status", "first_month", "last_month", "resolved_month"]


def stored(store: Store) -> pl.DataFrame:
    """Every finding ever recorded."""
    table = ReconException.__table__
    schema = {
        **FINDING,
        "status": pl.String,
        "first_month": pl.String,
        "last_month": pl.String,
        "resolved_month": pl.String,
    }
    with store.engine.connect() as conn:
        rows = conn.execute(select(*[table.c[name] for name in schema])).all()
    return pl.DataFrame(rows, schema=schema, orient="row")


RETRIES = 5
"""Two processes recording the same month at once (``finance watch`` beside ``finance report``)
meet on the ``ident`` unique constraint; the loser reads again and re-applies its run."""


def record(store: Store, month: str, findings: pl.DataFrame) -> pl.DataFrame:
    """Store this run's findings for ``month`` and resolve those it no longer finds.

    Returns the month's view: this run's findings, those it resolved, and earlier months'
    findings still open (carried forward, status ``open``).
    """
    for attempt in range(RETRIES):
        try:
            return _record(store, month, findings)
        except IntegrityError:  # another process recorded the same findings first
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _record(store: Store, month: str, findings: pl.DataFrame) -> pl.DataFrame:
    before = stored(store)
    current = findings.join(
        before.select("ident", "first_month", "last_month"), on="ident", how="left"
    ).with_columns(
        first_month=pl.when(pl.col("first_month").is_null() | (pl.col("first_month") > month))
        .then(pl.lit(month))
        .otherwise(pl.col("first_month")),
        last_month=pl.max_horizontal(pl.col("last_month").fill_null(month), pl.lit(month)),
        resolved_month=pl.lit(None, pl.String),
    )
    current = current.with_columns(
        status=pl.when(pl.col("first_month") == month).then(pl.lit("new")).otherwise(pl.lit("open"))
    )
    # Receivables are re-checked every month (they stay open until the order settles); every
    # other finding is about its own month's rows, so only a re-run of that month clears it.
    missing = before.filter(~pl.col("ident").is_in(current["ident"].implode()))
    in_scope = (
        pl.col("ident").str.starts_with("receivable|") & (pl.col("last_month") <= month)
    ) | (pl.col("first_month") == month)
    gone = missing.filter(
        in_scope,
        (pl.col("status") != "resolved") | (pl.col("resolved_month") == month),
    ).with_columns(status=pl.lit("resolved"), resolved_month=pl.lit(month))
    carried = missing.filter(
        ~in_scope, pl.col("status") != "resolved", pl.col("first_month") < month
    ).with_columns(status=pl.lit("open"))
    table = ReconException.__table__
    with store.transaction(imported_rows=False) as conn:
        idents = current["ident"].to_list()
        for start in range(0, len(idents), 900):
            conn.execute(delete(table).where(table.c.ident.in_(idents[start : start + 900])))
        if current.height:
            conn.execute(insert(table), current.select(STORED_COLUMNS).to_dicts())
        if gone.height:
            conn.execute(
                update(table)
                .where(table.c.ident == bindparam("b_ident"))
                .values(status=bindparam("b_status"), resolved_month=bindparam("b_month")),
                [
                    {"b_ident": i, "b_status": "resolved", "b_month": month}
                    for i in gone["ident"].to_list()
                ],
            )
    return pl.concat([current, gone, carried], how="diagonal_relaxed").select(STORED_COLUMNS)
