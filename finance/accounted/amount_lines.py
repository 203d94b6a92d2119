"""``[[amounts]]``: every amount cell of a wide row is a canonical row of its own.

One mechanism for every statement that writes several amounts on one row: WeChat Pay
(应结订单金额, 退款金额, 手续费), Shopify (Amount, Fee), and Amazon's old flat file (V1), where a
``ServiceFee`` row carries the cost of advertising in ``item-related-fee-amount`` and its tax in
``other-fee-amount``, each named by its own type column (``fee_name_columns``). A row that holds
no money in any listed column but states a quantity (Amazon V1's units row) gives one row of
amount zero, so its units are kept.
"""

from __future__ import annotations

import polars as pl

from finance.errors import ImportRejected
from finance.money import is_bad_amount, to_cents
from finance.rulebook.rule import Rule

AMOUNT_COLUMN = "__amount_column"
"""In a rule with [[amounts]]: the column a canonical row's amount came from ("" for a row that
only carries units)."""
AMOUNT_TEXT = "__amount_text"
"""In a rule with [[amounts]]: the text of the cell the canonical row's amount came from."""


def _quantity_text(frame: pl.DataFrame, rule: Rule) -> pl.Expr | None:
    """The row's quantity cell (first filled of the ``quantity`` field's columns), if mapped."""
    sources = [ex for ex in rule.fields.get("quantity", ()) if ex.column in frame.columns]
    if not sources:
        return None
    parts = [
        pl.col(ex.column) if ex.pattern is None else pl.col(ex.column).str.extract(ex.pattern, 1)
        for ex in sources
    ]
    return pl.coalesce(parts).str.strip_chars()


def amount_lines(frame: pl.DataFrame, rule: Rule, file: str) -> pl.DataFrame:
    """A wide row (one column per amount) -> one row per listed column with money in it.

    Every listed cell is checked first, so a bad one is named by its own column. Cells that are
    empty or zero give no row: there is no money in them. A row with no money in any listed
    column that states a non-zero quantity gives one row of amount zero (its units). ``file``
    names the file in errors.
    """
    for item in rule.amounts:
        bad = frame.filter(is_bad_amount(pl.col(item.column), decimal_mark=rule.decimal_mark))
        if bad.height:
            raise ImportRejected(
                "bad_amount",
                file=file,
                row=int(bad["__row"][0]),
                column=item.column,
                value=bad[item.column][0],
                rule=rule.name,
            )
    money = {  # at the precision the file writes: a fee of 0.00400 is money, though 0.00 in cents
        item.column: to_cents(pl.col(item.column), decimal_mark=rule.decimal_mark, scale=6)
        .fill_null(0)
        .ne(0)
        for item in rule.amounts
    }
    pieces = [
        frame.with_columns(
            pl.col(item.column).alias(AMOUNT_TEXT),
            pl.lit(item.column).alias(AMOUNT_COLUMN),
            pl.lit(i, pl.Int64).alias("__piece"),
        ).filter(money[item.column])
        for i, item in enumerate(rule.amounts)
    ]
    quantity = _quantity_text(frame, rule)
    if quantity is not None:
        no_money = ~pl.any_horizontal(list(money.values()))
        states_units = quantity.is_not_null() & ~quantity.str.contains(r"^[+-]?0*(\.0*)?$")
        pieces.append(
            frame.with_columns(
                pl.lit("0").alias(AMOUNT_TEXT),
                pl.lit("").alias(AMOUNT_COLUMN),
                pl.lit(len(pieces), pl.Int64).alias("__piece"),
            ).filter(no_money & states_units)
        )
    return pl.concat(pieces).sort("__row", "__piece").drop("__piece")
