"""Which cell each canonical row's money came from, at the precision the file writes it.

Normalising adds to every money row (ledger and bank lines), before classification:

- ``__cell:<column>``: the value this row took from ``<column>`` (null for the other columns),
  as written (no sign rule applied), in units of 10^-6, so a fee written with five decimals
  (WeChat Pay's ``0.71400``) adds up exactly;
- ``__m6_amount`` / ``__m6_income`` / ``__m6_expense``: the typed fields at that precision,
  from which ``normalise`` builds ``__money6``, the row's signed money as the file states it
  (income − |expense|, ``[format] sign``, ``[direction]``, an ``[[amounts]]`` entry's sign),
  before any ``[[classify]]`` sign.

``conservation`` checks the cells against the table, ``totals`` adds them up.
"""

from __future__ import annotations

import polars as pl

from finance.accounted.amount_lines import AMOUNT_COLUMN, AMOUNT_TEXT
from finance.money import to_cents
from finance.rulebook.rule import Rule

SCALE = 6
CELL = "__cell:"
MONEY = "__money6"
M6 = "__m6_"
MONEY_FIELDS = ("amount", "income", "expense")


def cell_name(column: str) -> str:
    return CELL + column


def to_micros(expr: pl.Expr, rule: Rule) -> pl.Expr:
    """An amount cell in units of 10^-6 (null where empty)."""
    return to_cents(expr, decimal_mark=rule.decimal_mark, scale=SCALE)


def with_cells(frame: pl.DataFrame, rule: Rule) -> pl.DataFrame:
    """``frame`` (typed money rows) with its ``__cell:`` and ``__m6_`` columns."""
    if rule.kind not in ("ledger", "bank_lines"):
        return frame
    exprs = [
        to_micros(pl.col(f"__t_{name}"), rule).alias(M6 + name)
        for name in (*rule.fields, *(["amount"] if rule.amounts else []))
        if name in MONEY_FIELDS
    ]
    if rule.amounts:
        exprs += [
            pl.when(pl.col(AMOUNT_COLUMN) == column)
            .then(to_micros(pl.col(AMOUNT_TEXT), rule))
            .alias(cell_name(column))
            for column in rule.money_columns
        ]
    elif rule.unpivot is not None:
        spec = rule.unpivot
        exprs += [
            pl.when(pl.col(spec.name) == column)
            .then(to_micros(pl.col(spec.value), rule))
            .alias(cell_name(column))
            for column in spec.columns
        ]
    else:
        frame = frame.with_columns(exprs)
        exprs = []
        for name in MONEY_FIELDS:
            # the field's value is the first source that gives one: that cell is the one taken,
            # and its value is the field's (parsed once, as __m6_<field>)
            earlier: list[pl.Expr] = []
            for ex in rule.fields.get(name, ()):
                value = pl.col(ex.column)
                if ex.pattern is not None:
                    earlier.append(value.str.extract(ex.pattern, 1).is_not_null())
                    continue
                taken = value.is_not_null()
                for before in earlier:
                    taken &= ~before
                exprs.append(pl.when(taken).then(pl.col(M6 + name)).alias(cell_name(ex.column)))
                earlier.append(value.is_not_null())
    return frame.with_columns(exprs)


def carried_by_construction(rule: Rule) -> set[str]:
    """Money columns every cell of which is its row's only value of a field (one ``[columns]``
    source, no ``[[amounts]]`` or ``[unpivot]``): each row gives one money row carrying the
    cell, so ``conservation`` need not parse them again (the fixtures and property tests hold
    this: tests/test_accounted.py)."""
    if rule.amounts or rule.unpivot is not None:
        return set()
    return {
        sources[0].column
        for name in MONEY_FIELDS
        if len(sources := rule.fields.get(name, ())) == 1 and sources[0].pattern is None
    }


def cell_columns(frame: pl.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith(CELL)]


def micros_text(value: int) -> str:
    """Units of 10^-6 as a decimal with at least two places: ``49230000`` -> ``"49.23"``,
    ``714000`` -> ``"0.714"``."""
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 10**SCALE)
    digits = f"{frac:0{SCALE}d}".rstrip("0").ljust(2, "0")
    return f"{sign}{whole}.{digits}"
