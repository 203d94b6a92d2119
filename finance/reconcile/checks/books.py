"""What every check reads and returns: the month's books (``Books``), the ``FINDING`` columns,
and the small expressions checks share (money and rate text, statement sources, platforms)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property

import polars as pl

from finance.money import cents_to_text
from finance.reconcile.contracts import Contracts, PlatformRules
from finance.waybills import owners, shipped

FINDING: dict[str, pl.DataType] = {
    "ident": pl.String,
    "kind": pl.String,
    "platform": pl.String,
    "shop": pl.String,
    "order_id": pl.String,
    "sku": pl.String,
    "amount": pl.Int64,
    "age_days": pl.Int64,
    "detail": pl.String,
    "detail_zh": pl.String,
    "sources": pl.String,
}


PPM = 1_000_000


"""Rates are applied as integer parts per million (``0.008`` -> 8000), so money stays exact."""


MAX_SOURCES = 6


@dataclass(frozen=True)
class Books:
    """What reconciliation reads, each row with ``file`` (the imported file's name)."""

    month: str
    ledger: pl.DataFrame  # every entry posted up to the month's end
    lines: pl.DataFrame  # every order line
    orders: pl.DataFrame  # every order header (order_id, platform, shop)
    returns: pl.DataFrame  # every refund line
    bank: pl.DataFrame  # bank lines up to the month's end + the payout window
    formats: pl.DataFrame  # file_id -> format

    @property
    def start(self) -> datetime:
        return datetime.strptime(self.month + "-01", "%Y-%m-%d")

    @property
    def end_date(self) -> date:
        year, month = (int(x) for x in self.month.split("-"))
        nxt = date(year + month // 12, month % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.end_date, time(23, 59, 59, 999999))

    def in_month(self) -> pl.LazyFrame:
        """This month's entries, lazily: each check collects only the rows and columns it uses
        (on a big month a copy of the whole month per check is gigabytes)."""
        return self.ledger.lazy().filter(pl.col("month") == self.month)

    def charges(self) -> pl.LazyFrame:
        """This month's entries with repeated charges counted once (``duplicates`` reports the
        repeats), so a duplicated fee is not also reported as a fee above the contract."""
        same = ["platform", "shop", "category", "fee_name", "order_id", "waybill", "amount"]
        return self.in_month().unique(subset=same, keep="first", maintain_order=True)

    @cached_property
    def memo(self) -> dict[object, object]:
        """Results derived from these books, kept as long as they are (see ``order_totals``)."""
        return {}


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=FINDING)


def _money(expr: pl.Expr) -> pl.Expr:
    return cents_to_text(expr)


def _rate_text(ppm: pl.Expr) -> pl.Expr:
    """8000 ppm -> ``0.8%``."""
    return pl.concat_str([(ppm.cast(pl.Float64) / 10_000).round(4).cast(pl.String), pl.lit("%")])


def _source(file: str = "file", row: str = "source_row") -> pl.Expr:
    return pl.concat_str([pl.col(file), pl.lit(":"), pl.col(row).cast(pl.String)])


def _join_sources(expr: pl.Expr) -> pl.Expr:
    """Up to ``MAX_SOURCES`` sources of a group, ``; ``-separated."""
    return expr.unique(maintain_order=True).head(MAX_SOURCES).str.join("; ")


def _finish(frame: pl.DataFrame) -> pl.DataFrame:
    for name, dtype in FINDING.items():
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype).alias(name))
    return frame.select(pl.col(n).cast(t) for n, t in FINDING.items())


def _platform_expr(
    contracts: Contracts, value: Callable[[PlatformRules], pl.Expr], default: pl.Expr
) -> pl.Expr:
    """``value(rules)`` per configured platform (``[platform.<name>]``), else ``default``."""
    expr = default
    for name, rules in contracts.platforms.items():
        expr = pl.when(pl.col("platform") == name).then(value(rules)).otherwise(expr)
    return expr


def is_goods(contracts: Contracts) -> pl.Expr:
    """A ledger row that is goods money settled for an order: its platform's ``goods``
    categories (``sales`` where the platform has no ``[platform.<name>]`` table)."""
    return _platform_expr(
        contracts,
        lambda r: pl.col("category").is_in(list(r.goods)),
        pl.col("category") == "sales",
    )


def _platforms(contracts: Contracts, test: Callable[[PlatformRules], bool]) -> list[str]:
    return [name for name, rules in contracts.platforms.items() if test(rules)]


def without_order_export(contracts: Contracts) -> list[str]:
    """Platforms whose orders are not expected in any order export (``order_export = false``)."""
    return _platforms(contracts, lambda r: not r.order_export)


def waybill_orders_of(books: Books, name: str) -> pl.DataFrame:
    """Per waybill, the order it shipped (as column ``name``), looked up in every platform's and
    shop's order lines and order headers (a courier bills the seller); a waybill two shops'
    exports name has no order here (allocation leaves it unallocated, naming the shops)."""
    return (
        owners(shipped(books.lines, books.orders))
        .filter(pl.col("owners") == 1)
        .select("waybill", pl.col("order_id").alias(name))
        .collect()
    )
