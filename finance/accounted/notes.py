"""``[parse] amount_note``: an amount cell written with a note, e.g. ``131.77(已退款89.84)``.

The part of the cell the pattern matches is removed before the amount is read, so
``131.77(已退款89.84)`` reads 131.77. When the pattern has a group named ``less``, the note
states money that came back out of the amount (JD's bill writes a partial refund this way, with
no row of its own): the amount read is the written one less that figure, ``41.93``. The cell
keeps its sign; a cell that is not a number afterwards is rejected as any bad amount is.
"""

from __future__ import annotations

import re

import polars as pl

from finance.money import to_cents
from finance.rulebook.rule import Rule

SCALE = 6


def _text(micros: pl.Expr) -> pl.Expr:
    """10^-6 units as a plain decimal text (``41930000`` -> ``41.930000``)."""
    unit = 10**SCALE
    return pl.concat_str(
        [
            pl.when(micros < 0).then(pl.lit("-")).otherwise(pl.lit("")),
            (micros.abs() // unit).cast(pl.String),
            pl.lit("."),
            (micros.abs() % unit).cast(pl.String).str.zfill(SCALE),
        ]
    )


def strip_amount_notes(raw: pl.DataFrame, rule: Rule) -> pl.DataFrame:
    """The money columns with their notes removed (and a ``less`` figure taken off)."""
    if rule.amount_note is None:
        return raw
    pattern = rule.amount_note
    less_group = re.compile(pattern).groupindex.get("less")
    exprs = []
    for column in (c for c in rule.money_columns if c in raw.columns):
        cell = pl.col(column)
        bare = cell.str.replace(pattern, "").str.strip_chars()
        if less_group is None:
            exprs.append(bare.alias(column))
            continue
        less = cell.str.extract(pattern, less_group)
        amount = to_cents(bare, decimal_mark=rule.decimal_mark, scale=SCALE)
        taken = to_cents(less, decimal_mark=rule.decimal_mark, scale=SCALE).abs()
        net = pl.when(amount < 0).then(amount + taken).otherwise(amount - taken)
        exprs.append(
            pl.when(less.is_not_null() & amount.is_not_null() & taken.is_not_null())
            .then(_text(net))
            .otherwise(bare)
            .alias(column)
        )
    return raw.with_columns(exprs)
