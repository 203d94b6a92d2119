"""Exception status across runs, kept in the ``recon_exception`` table.

A finding is ``new`` in the month it first appears, ``open`` in a later month that still finds
it, and ``resolved`` (with the month) once a run for a month no earlier than the last that found
it no longer does — a later statement cleared it. Re-running a month gives the same statuses.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import bindparam, delete, insert, select, update

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


def record(store: Store, month: str, findings: pl.DataFrame) -> pl.DataFrame:
    """Store this run's findings for ``month`` and resolve those it no longer finds.

    Returns the month's view: the findings with their status, plus those resolved by this month.
    """
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
    gone = before.filter(
        ~pl.col("ident").is_in(current["ident"].implode()),
        pl.col("first_month") <= month,
        pl.col("last_month") <= month,
        (pl.col("status") != "resolved") | (pl.col("resolved_month") == month),
    ).with_columns(status=pl.lit("resolved"), resolved_month=pl.lit(month))
    table = ReconException.__table__
    with store.transaction() as conn:
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
    return pl.concat([current.select(STORED_COLUMNS), gone.select(STORED_COLUMNS)])
