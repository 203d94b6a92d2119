"""The checks: each a function from the month's books to findings (one row per exception).

Every check returns a frame of ``FINDING`` columns. ``ident`` names what a finding is about so a
later run recognises it (its status then carries over); ``sources`` lists the statement rows as
``file:row``. Amounts are integer cents, positive: the money at stake.

One module per family of checks: ``orders`` (receivables, unknown orders, goods amounts), ``fees``
(commission, payment fees, parcels against the contract), ``duplicates``, ``totals`` (a
statement's own totals); ``books`` holds what they share.
"""

from __future__ import annotations

from finance.reconcile.checks.books import (
    FINDING,
    MAX_SOURCES,
    PPM,
    Books,
    _finish,
    _source,
    empty,
    is_goods,
    waybill_orders_of,
    without_order_export,
)
from finance.reconcile.checks.duplicates import DUPLICATE_CATEGORIES, duplicates
from finance.reconcile.checks.fees import commission, parcels, payment_fees
from finance.reconcile.checks.orders import (
    goods_differences,
    order_totals,
    receivables,
    unknown_orders,
)
from finance.reconcile.checks.totals import SUMMARY_SCHEMA, settlement_summaries, settlement_totals

__all__ = [
    "DUPLICATE_CATEGORIES",
    "FINDING",
    "MAX_SOURCES",
    "PPM",
    "SUMMARY_SCHEMA",
    "Books",
    "_finish",
    "_source",
    "commission",
    "duplicates",
    "empty",
    "goods_differences",
    "is_goods",
    "order_totals",
    "parcels",
    "payment_fees",
    "receivables",
    "settlement_summaries",
    "settlement_totals",
    "unknown_orders",
    "waybill_orders_of",
    "without_order_export",
]
