"""What a month computes, once per command: its allocation and margins (``month_result``), the
prior month and the trend before it (``report_history``), each computed at most once inside
``one_pass``.

Everything that reads a month's figures (reports, reconciliation, alerts, the digest, exports)
takes them from here, below all of them; nothing here imports its readers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

import polars as pl

from finance.counted_once import Pair, load_pairs
from finance.errors import FinanceError
from finance.margin import MonthResult, compute, month_books
from finance.rulebook.allocation import load_allocation
from finance.store import Store, closing
from finance.tax import tax_settings
from finance.uncosted import shop_cost_rates
from finance.workspace import Workspace

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def check_month(month: str) -> str:
    if not MONTH_RE.match(month):
        raise FinanceError("bad_month", value=month)
    return month


def month_result(
    ws: Workspace, store: Store, month: str, *, period: str = "posting"
) -> MonthResult:
    """Allocate a month: ``period`` "posting" (default) or "order" (the order payment month)."""

    def compute_month() -> MonthResult:
        if period == "posting":
            frozen = closed_result(store, check_month(month))
            if frozen is not None:
                return frozen
        rules = load_allocation(ws.rules / "allocation.toml")
        books = month_books(
            store,
            check_month(month),
            base_currency=ws.base_currency,
            rules=rules,
            period=period,
            tax=tax_settings(ws),
            shop_cost_rates=shop_cost_rates(ws),
            pairs=counted_once_pairs(ws),
        )
        return compute(books)

    return once(("month", store.url, str(ws.root), month, period), compute_month)


def counted_once_pairs(ws: Workspace) -> tuple[Pair, ...]:
    """The workspace's report/statement pairs (``[[supersedes]]``), read once per pass."""
    return once(("pairs", str(ws.rules)), lambda: load_pairs(ws.rules))


RESULT_FRAMES = ("parts", "pnl", "excluded", "entries", "files")
"""The frames of a ``MonthResult`` a close keeps (``finance.store.closing``)."""


def closed_result(store: Store, month: str) -> MonthResult | None:
    """A closed month's result as it was at the close (None when the month is open): its
    report, margins and vouchers no longer change."""
    with store.engine.connect() as conn:
        frames = closing.snapshot(conn, month)
    if frames is None:
        return None
    return MonthResult(month=month, period="posting", **{n: frames[n] for n in RESULT_FRAMES})


_RESULTS: ContextVar[dict | None] = ContextVar("finance_month_results", default=None)

T = TypeVar("T")


def once(key: tuple, make: Callable[[], T]) -> T:
    """``make()``, computed once per ``key`` inside ``one_pass`` (every time outside it)."""
    memo = _RESULTS.get()
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return memo[key]


@contextmanager
def one_pass(store: Store) -> Iterator[None]:
    """Within: a month's result (and its reconciliation) is computed once and each table read
    once, however many report sections ask (one report run; nothing outlives the block, so
    nothing can go stale)."""
    token = _RESULTS.set({} if _RESULTS.get() is None else _RESULTS.get())
    try:
        with store.snapshot():
            yield
    finally:
        _RESULTS.reset(token)


TREND_SCHEMA = {"month": pl.String, "sales": pl.Int64, "refund": pl.Int64, "true_margin": pl.Int64}
"""One row per month of the margin trend (cents)."""


def month_totals(result: MonthResult) -> dict[str, object]:
    """One trend row: the month's sales, refunds and true margin in cents."""
    pnl = result.pnl
    return {"month": result.month} | {
        c: int(pnl[c].sum()) if pnl.height else 0 for c in ("sales", "refund", "true_margin")
    }


TREND_MONTHS = 12
"""How many months the margin trend covers (this month and the ones before it)."""


def prior_month(month: str) -> str:
    year, mon = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"


def report_history(
    ws: Workspace, store: Store, month: str, *, period: str = "posting"
) -> tuple[MonthResult | None, pl.DataFrame]:
    """The prior month's result (when the store holds it) and the trend rows of the months
    before ``month`` (at most ``TREND_MONTHS - 1``), oldest first."""
    before = prior_month(month)
    prior, rows = None, []
    for m in [m for m in store.months() if m < month][-(TREND_MONTHS - 1) :]:
        result = month_result(ws, store, m, period=period)
        rows.append(month_totals(result))
        if m == before:
            prior = result
    return prior, pl.DataFrame(rows, schema=TREND_SCHEMA)
