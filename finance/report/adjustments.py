"""Report section: rows dated in a closed month that arrived after its close.

The store writes such a row into the first open month after it (``finance.store.closing``);
its ``posted_at`` still says when it happened. In that month's report they are listed here with
their original month, so the adjustment is seen, never hidden in the totals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl
from sqlalchemy import column

from finance import i18n
from finance.fx import stored_rates, to_base
from finance.money import format_cents
from finance.report.cross_border import _column
from finance.section import Section

if TYPE_CHECKING:
    from finance.store import Store
    from finance.workspace import Workspace


def adjustments(store: Store, month: str) -> pl.DataFrame:
    """The month's ledger rows whose posting date is in another month, with that month."""
    entries = store.frame("ledger", column("month") == month)
    return entries.with_columns(original_month=pl.col("posted_at").dt.strftime("%Y-%m")).filter(
        pl.col("original_month") != pl.col("month")
    )


def section(ws: Workspace, store: Store, month: str) -> list[Section]:
    """The adjustments booked in ``month`` (empty when there are none)."""
    rows = adjustments(store, month)
    if rows.is_empty():
        return []
    files = store.files().select(pl.col("id").alias("file_id"), pl.col("name").alias("file"))
    rows = to_base(rows, stored_rates(store), ws.base_currency).join(files, on="file_id")
    frame = rows.sort("original_month", "posted_at", "id").select(
        "original_month",
        pl.col("posted_at").dt.strftime("%Y-%m-%d %H:%M"),
        "platform",
        "shop",
        "category",
        "fee_name",
        "amount",
        "file",
        "source_row",
    )
    total = int(frame["amount"].sum())
    titles = i18n.section("labels")
    summary = {
        lang: [
            text.format(
                rows=frame.height,
                month=month,
                amount=f"{format_cents(total, grouped=True)} {ws.base_currency}",
            )
        ]
        for lang, text in titles["adjustments_summary"].items()
    }
    names = ("original_month", "posted_at", "platform", "shop", "category", "fee_name")
    return [
        Section(
            key="adjustments",
            title=titles["section_adjustments"],
            frame=frame,
            labels={n: _column(n) for n in names}
            | {
                "amount": _column("amount_signed", base=ws.base_currency),
                "file": _column("file"),
                "source_row": _column("source_row"),
            },
            money=("amount",),
            summary=summary,
        )
    ]
