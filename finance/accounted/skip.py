"""Rows that are not money, taken out before normalising and kept for the import's report.

``[[skip]]`` entries (closed or pending transactions: ``交易关闭``, ``Pending``) and rows whose
``[direction]`` column matches ``neutral`` (``不计收支``) are not imported as money. Nothing about
them is silent: ``Skipped`` lists each row with its reason and the money written in it, and the
import says how many rows each reason took and how much money they wrote.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from finance.money import to_cents
from finance.rulebook.rule import Rule

REASON = "__skip_reason"
CENTS = "__skip_cents"
SCHEMA = {"__row": pl.Int64, REASON: pl.String, CENTS: pl.Int64}


def written(rule: Rule, columns: list[str]) -> pl.Expr:
    """The money a row writes in its money columns, in cents, whatever its sign (for reports)."""

    def cell(column: str) -> pl.Expr:
        text = pl.col(column)
        return text if rule.amount_note is None else text.str.replace(rule.amount_note, "")

    cells = [
        to_cents(cell(c), decimal_mark=rule.decimal_mark).abs().fill_null(0)
        for c in rule.money_columns
        if c in columns
    ]
    return pl.sum_horizontal(cells) if cells else pl.lit(0, pl.Int64)


@dataclass(frozen=True)
class Skipped:
    """Rows of the table that give no money row: ``__row``, the reason and the money they
    write (cents, any sign), in file order."""

    rows: pl.DataFrame

    @classmethod
    def none(cls) -> Skipped:
        return cls(pl.DataFrame(schema=SCHEMA))

    def add(self, rows: pl.DataFrame, reason: str | pl.Expr, cents: pl.Expr) -> Skipped:
        """These rows (``__row``) skipped for ``reason``, writing ``cents``."""
        if rows.height == 0:
            return self
        reason_expr = pl.lit(reason) if isinstance(reason, str) else reason
        more = rows.select(
            pl.col("__row").cast(pl.Int64),
            reason_expr.cast(pl.String).alias(REASON),
            cents.cast(pl.Int64).alias(CENTS),
        )
        return Skipped(pl.concat([self.rows, more]))

    def __add__(self, other: Skipped) -> Skipped:
        return Skipped(pl.concat([self.rows, other.rows]).sort("__row", maintain_order=True))

    def summary(self) -> list[tuple[str, int, int]]:
        """(reason, rows, cents) per reason, in order of first appearance."""
        if self.rows.height == 0:
            return []
        grouped = self.rows.group_by(REASON, maintain_order=True).agg(
            rows=pl.col("__row").n_unique(), cents=pl.col(CENTS).sum()
        )
        return [(r[REASON], int(r["rows"]), int(r["cents"])) for r in grouped.iter_rows(named=True)]


def _matches(when: dict[str, str]) -> pl.Expr:
    return pl.all_horizontal(
        pl.col(column).fill_null("").str.contains(pattern) for column, pattern in when.items()
    )


def skip_rows(raw: pl.DataFrame, rule: Rule) -> tuple[pl.DataFrame, Skipped]:
    """``raw`` without the rows that are not money, and those rows with their reasons.

    The first ``[[skip]]`` entry whose ``when`` all match gives a row its reason; a row whose
    direction is ``neutral`` is skipped as such (its direction cell is the reason).
    """
    skipped = Skipped.none()
    if not rule.skip and (rule.direction is None or rule.direction.neutral is None):
        return raw, skipped
    have = set(raw.columns)
    reason = pl.lit(None, pl.String)
    for entry in reversed(rule.skip):
        if set(entry.when) <= have:
            reason = pl.when(_matches(entry.when)).then(pl.lit(entry.reason)).otherwise(reason)
    spec = rule.direction
    if spec is not None and spec.neutral is not None and spec.column in have:
        cell = pl.col(spec.column).fill_null("")
        reason = (
            pl.when(reason.is_null() & cell.str.contains(spec.neutral)).then(cell).otherwise(reason)
        )
    marked = raw.with_columns(reason.alias(REASON))
    out = marked.filter(pl.col(REASON).is_not_null())
    skipped = skipped.add(out, pl.col(REASON), written(rule, out.columns))
    return marked.filter(pl.col(REASON).is_null()).drop(REASON), skipped
