"""Month-end close: ``finance close --month`` and ``finance reopen --month --reason``.

Closing keeps the month as it is now: its result (parts, P&L, excluded totals, entries, files)
and its vouchers are stored with the close (``finance.store.closing``), so its report, margins
and vouchers no longer change; its ledger rows are copied, and the store writes later rows
dated in it into the first open month as adjustments. Before closing, two things a finance
team would not close over without knowing are said: money in suspense (unclassified fee
names) and payouts not matched to a bank receipt. Reopening undoes the close and is logged
with its reason.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

import polars as pl

from finance import i18n
from finance.books.accounts import load_chart
from finance.books.vat import load_tax
from finance.books.vouchers import build
from finance.errors import FinanceError
from finance.money import format_cents
from finance.month import RESULT_FRAMES, check_month, month_result, one_pass
from finance.store import Store, closing
from finance.workspace import Workspace


@dataclass(frozen=True)
class Closing:
    """What ``close_month`` did: ``closed``, and the warnings (each in every language)."""

    month: str
    closed: bool
    warnings: list[dict[str, str]] = field(default_factory=list)


def who() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in this environment
        return "-"


def warnings(ws: Workspace, store: Store, month: str) -> list[dict[str, str]]:
    """Suspense money and unmatched payouts of ``month``, each message in every language."""
    from finance.reconcile import open_exceptions

    out = []
    entries = month_result(ws, store, month).entries
    suspense = entries.filter(pl.col("category") == "unclassified")
    if suspense.height and int(suspense["amount"].sum()) != 0:
        out.append(
            i18n.per_lang(
                "close_warn_suspense",
                month=month,
                amount=f"{format_cents(int(suspense['amount'].sum()), grouped=True)} "
                f"{ws.base_currency}",
                rows=suspense.height,
            )
        )
    found = open_exceptions(ws, store, month)
    payouts = found.filter(
        (pl.col("kind") == "payout_unmatched") & (pl.col("status") != "resolved")
    )
    if payouts.height:
        out.append(
            i18n.per_lang(
                "close_warn_payouts",
                month=month,
                count=payouts.height,
                amount=f"{format_cents(int(payouts['amount'].sum()), grouped=True)} "
                f"{ws.base_currency}",
            )
        )
    return out


def close_month(
    ws: Workspace, store: Store, month: str, *, force: bool = False, by: str | None = None
) -> Closing:
    """Close ``month``. With warnings and without ``force`` nothing is closed (the warnings are
    returned for the user to decide)."""
    check_month(month)
    with store.engine.connect() as conn:
        done = closing.closes(conn).filter(pl.col("month") == month)
    if done.height:
        raise FinanceError(
            "close_already",
            month=month,
            when=str(done["closed_at"][0])[:16],
            who=done["closed_by"][0],
        )
    with one_pass(store):
        said = warnings(ws, store, month)
        if said and not force:
            return Closing(month, False, said)
        result = month_result(ws, store, month)
        lines = build(
            result,
            load_chart(ws.rules),
            ws.base_currency,
            tax=load_tax(ws.settings),
            store=store,
            lang=ws.language,
        )
    frames = {name: getattr(result, name) for name in RESULT_FRAMES} | {"vouchers": lines}
    note = "\n".join(w["en"] for w in said) or None
    with store.transaction(imported_rows=False) as conn:
        closing.close(conn, month, frames=frames, by=by or who(), note=note)
    return Closing(month, True, said)


def reopen_month(
    ws: Workspace, store: Store, month: str, *, reason: str, by: str | None = None
) -> None:
    """Reopen a closed month; ``reason`` is required and kept in the log."""
    check_month(month)
    if not reason.strip():
        raise FinanceError("reopen_no_reason")
    with store.engine.connect() as conn:
        shut = closing.closed_months(conn)
    if month not in shut:
        raise FinanceError("close_not_closed", month=month)
    with store.transaction(imported_rows=False) as conn:
        closing.reopen(conn, month, by=by or who(), reason=reason.strip())
