"""No money cell of a kept row is left out.

Every non-zero cell of a money column (``Rule.money_columns``) in a row that was not skipped by a
rule must be carried, at the precision the file writes it, by the canonical rows made from that
row. A rule that takes one amount per row where a row has several (``[extract] amount = [...]``
keeps the first filled column) fails here, naming the row, the column and the amount, instead
of losing it without a word.
"""

from __future__ import annotations

import polars as pl

from finance.accounted.cells import (
    carried_by_construction,
    cell_name,
    micros_text,
    to_micros,
)
from finance.errors import ImportRejected
from finance.money import is_bad_amount
from finance.rulebook.rule import Rule


def check_conserved(table: pl.DataFrame, lines: pl.DataFrame, rule: Rule, file: str) -> None:
    """Raise ``money_dropped`` (or ``bad_amount``) at the first money cell of ``table`` (the
    kept rows, as read) that ``lines`` (the money rows made from them) do not carry. Columns
    carried by construction (``cells.carried_by_construction``) are not parsed twice."""
    trivial = carried_by_construction(rule)
    columns = [c for c in rule.money_columns if c in table.columns and c not in trivial]
    for column in columns:
        bad = table.filter(is_bad_amount(pl.col(column), decimal_mark=rule.decimal_mark)).head(1)
        if bad.height:
            raise ImportRejected(
                "bad_amount",
                file=file,
                row=int(bad["__row"][0]),
                column=column,
                value=bad[column][0],
                rule=rule.name,
            )
    if not columns or table.height == 0:
        return
    have = [c for c in columns if cell_name(c) in lines.columns]
    carried = lines.group_by("source_row").agg(pl.col(cell_name(c)).sum().alias(c) for c in have)
    written = table.select(
        pl.col("__row"), *[to_micros(pl.col(c), rule).fill_null(0).alias(c) for c in columns]
    ).join(carried, left_on="__row", right_on="source_row", how="left", suffix="__carried")
    for column in columns:
        taken = pl.col(f"{column}__carried").fill_null(0) if column in have else pl.lit(0, pl.Int64)
        hit = written.filter(pl.col(column) != taken).head(1)
        if hit.height:
            row = int(hit["__row"][0])
            value = table.filter(pl.col("__row") == row)[column][0]
            imported = int(hit.select(taken)[0, 0])
            raise ImportRejected(
                "money_dropped",
                file=file,
                row=row,
                column=column,
                value=value,
                imported=micros_text(imported),
                rule=rule.name,
            )
