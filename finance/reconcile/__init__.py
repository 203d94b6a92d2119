"""Reconciliation: did every platform pay what it owes, and charge what it should?

``reconcile(ws, store, month)`` reads the month's books from the store, runs the checks
(``checks``: orders vs settlements, fees vs contract; ``payouts.py``: withdrawals vs bank),
records each finding's status across runs (``status.py``) and returns them.
``open_exceptions`` is the frame other features (alerts, the digest, the report) read.

Kinds: timing, missing_settlement, unknown_order, amount_difference, overcharge, duplicate,
payout_unmatched. Amounts are integer cents at stake, positive. How platforms differ (order
exports, goods categories, refund sources, shipping, settlement totals) is data:
``[platform.<name>]`` in rules/contracts.toml (``contracts.PlatformRules``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import polars as pl

from finance.errors import FinanceError
from finance.reconcile import checks
from finance.reconcile.checks import Books
from finance.reconcile.contracts import Contracts, load_contracts
from finance.reconcile.payouts import match
from finance.reconcile.status import record
from finance.store import Store
from finance.store.tables import TABLES
from finance.workspace import Workspace

__all__ = ["Result", "find", "load_books", "open_exceptions", "reconcile", "write_csv"]

KINDS = (
    "timing",
    "missing_settlement",
    "unknown_order",
    "amount_difference",
    "overcharge",
    "duplicate",
    "payout_unmatched",
)
CONTRACT_COLUMNS: dict[str, pl.DataType] = {
    "kind": pl.String,
    "platform": pl.String,
    "shop": pl.String,
    "order_id": pl.String,
    "sku": pl.String,
    "amount": pl.Int64,
    "age_days": pl.Int64,
    "status": pl.String,
    "detail": pl.String,
}
"""The columns of ``open_exceptions`` (a contract with the alerts branch)."""


@dataclass(frozen=True)
class Result:
    month: str
    exceptions: pl.DataFrame  # FINDING columns + status, first_month, last_month, resolved_month
    matches: pl.DataFrame  # payouts matched: receipt_key, withdrawal_key, platform, shop, amount
    # money two files describe (an ad report and the statement's ad charge): per shop and pair,
    # the report's spend, the charges and top-ups, the difference (reconcile.counted)
    counted_once: pl.DataFrame = field(default_factory=pl.DataFrame)


def contracts_of(ws: Workspace) -> Contracts:
    return load_contracts(ws.rules / "contracts.toml")


def load_books(store: Store, month: str, *, payout_days: int = 3) -> Books:
    """The store's rows reconciliation needs, each with its file's name."""
    probe = Books(month, *(pl.DataFrame() for _ in range(6)))
    files = store.files().select(
        pl.col("id").alias("file_id"), pl.col("name").alias("file"), "format"
    )

    names = dict(zip(files["file_id"], files["file"], strict=True))

    def named(frame: pl.DataFrame) -> pl.DataFrame:
        # a new column beside the frame's own (a join would copy every column of the ledger)
        return frame.with_columns(
            file=pl.col("file_id").replace_strict(names, default=None, return_dtype=pl.String)
        )

    ledger_t = TABLES["ledger"].__table__
    bank_t = TABLES["bank_lines"].__table__
    return Books(
        month=month,
        ledger=named(store.frame("ledger", ledger_t.c.posted_at <= probe.end)),
        lines=named(store.frame("order_lines")),
        orders=named(store.frame("orders")),
        returns=named(store.frame("returns")),
        bank=named(
            store.frame(
                "bank_lines",
                bank_t.c.booked_at >= probe.start,
                bank_t.c.booked_at <= probe.end + timedelta(days=payout_days),
            )
        ),
        formats=files.select("file_id", "format"),
    )


def find(
    books: Books, contracts: Contracts, *, summaries: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every finding of the month (not yet given a status), and the payouts that matched.

    ``summaries``: statements' own totals (``checks.settlement_totals``); by default those the
    ledger keeps (``checks.settlement_summaries``: e.g. Amazon settlement V2 ``total-amount``).
    """
    payouts = match(books, contracts)
    found = pl.concat(
        [
            checks.receivables(books, contracts),
            checks.unknown_orders(books, contracts),
            checks.goods_differences(books, contracts),
            checks.commission(books, contracts),
            checks.payment_fees(books, contracts),
            checks.parcels(books, contracts),
            checks.duplicates(books),
            checks.settlement_totals(
                summaries
                if summaries is not None
                else checks.settlement_summaries(books, contracts),
                books,
            ),
            payouts.findings,
        ]
    )
    return found.unique(subset=["ident"], keep="first", maintain_order=True), payouts.matches


def reconcile(ws: Workspace, store: Store, month: str) -> Result:
    """Run every check for ``month`` (YYYY-MM), record statuses, return the findings."""
    from finance.month import check_month, once

    months = store.months()
    if check_month(month) not in months:
        raise FinanceError("no_data_for_month", month=month, months=", ".join(months) or "-")

    def run() -> Result:
        from finance.month import counted_once_pairs
        from finance.reconcile import counted

        contracts = contracts_of(ws)
        books = load_books(store, month, payout_days=contracts.payout_days)
        found, matches = find(books, contracts)
        pairs = counted_once_pairs(ws)
        lines = counted.month_lines(books, pairs)
        found = pl.concat([found, counted.findings(books, pairs, contracts, lines)])
        exceptions = record(store, month, found).sort(
            ["amount", "kind", "ident"], descending=[True, False, False]
        )
        return Result(month, exceptions, matches, lines)

    # Within one report run the section and the alerts ask for the same findings (recording
    # them twice would change nothing: a status depends on the month, not on the call).
    return once(("reconcile", store.url, str(ws.root), month), run)


def open_exceptions(ws: Workspace, store: Store, month: str) -> pl.DataFrame:
    """The month's exceptions for other features: kind, platform, shop, order_id, sku, amount
    (cents at stake, positive), age_days, status (new | open | resolved), detail (in the
    workspace language). Largest amount first; those resolved this month are included."""
    if month not in store.months():  # nothing imported for the month: nothing to report
        return pl.DataFrame(schema=CONTRACT_COLUMNS)
    result = reconcile(ws, store, month)
    frame = result.exceptions
    if ws.language == "zh-CN":
        frame = frame.with_columns(detail=pl.col("detail_zh"))
    return frame.select(pl.col(n).cast(t) for n, t in CONTRACT_COLUMNS.items())


EXPORT_COLUMNS = (
    "kind",
    "status",
    "platform",
    "shop",
    "order_id",
    "sku",
    "amount",
    "age_days",
    "ageing",
    "detail",
    "detail_zh",
    "sources",
    "first_month",
    "resolved_month",
)


def export_frame(result: Result) -> pl.DataFrame:
    """Every exception with stable English column names; money as decimal strings."""
    from finance.money import cents_to_text
    from finance.reconcile.text import bucket

    return result.exceptions.with_columns(
        ageing=pl.when(pl.col("kind").is_in(["timing", "missing_settlement"])).then(
            bucket(pl.col("age_days"))
        ),
        amount=cents_to_text(pl.col("amount")),
    ).select(EXPORT_COLUMNS)


def write_csv(result: Result, path: Path) -> Path:
    """The full list as CSV (UTF-8 with BOM so Excel shows the Chinese)."""
    from finance.report.csvfile import write_for_excel

    # Statement text a spreadsheet would evaluate (=, +, -, @ ...) gets a leading apostrophe.
    return write_for_excel(export_frame(result), path)
