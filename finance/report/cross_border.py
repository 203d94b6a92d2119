"""Report sections for several currencies and for fee names no rule maps.

Two ``Section`` providers (see ``finance.section``): *Unclassified fee names* lists, for
the month, each fee name that landed in ``unclassified`` with its rows and total in the base
currency, so a finance user knows which ``[[classify]]`` rule to add; *Currencies* shows, per
currency other than the base, the rows, the amount as posted and the amount converted (each
entry at the rate of its day), so every converted figure can be checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl
from sqlalchemy import column

from finance import i18n
from finance.fx import stored_rates, to_base
from finance.section import Section

if TYPE_CHECKING:
    from finance.store import Store
    from finance.workspace import Workspace


def _month(ws: Workspace, store: Store, month: str) -> pl.DataFrame:
    entries = store.frame("ledger", column("month") == month)
    if entries.height == 0:
        return entries
    return to_base(entries, stored_rates(store), ws.base_currency)


def _texts(key: str, **fields: str) -> dict[str, str]:
    """A ``[labels]`` text in every language."""
    return {lang: text.format(**fields) for lang, text in i18n.section("labels")[key].items()}


def _column(key: str, **fields: str) -> dict[str, str]:
    """A ``[section_columns]`` heading in every language."""
    return {
        lang: text.format(**fields) for lang, text in i18n.section("section_columns")[key].items()
    }


def unclassified(ws: Workspace, store: Store, month: str) -> list[Section]:
    """Fee names no rule maps this month, with their totals in the base currency."""
    entries = _month(ws, store, month)
    if entries.height == 0:
        return []
    rows = (
        entries.filter(pl.col("category") == "unclassified")
        .group_by("platform", "shop", "fee_name")
        .agg(rows=pl.len(), amount=pl.col("amount").sum())
        .sort("platform", "shop", "fee_name")
    )
    if rows.height == 0:
        return []
    return [
        Section(
            key="unclassified",
            title=_texts("unclassified_title"),
            frame=rows,
            labels={
                "platform": _column("platform"),
                "shop": _column("shop"),
                "fee_name": _column("fee_name"),
                "rows": _column("rows"),
                "amount": _column("amount_signed", base=ws.base_currency),
            },
            money=("amount",),
            summary={lang: [text] for lang, text in _texts("unclassified_hint").items()},
        )
    ]


def currencies(ws: Workspace, store: Store, month: str) -> list[Section]:
    """Per foreign currency: rows, the amount as posted, and converted to the base currency."""
    entries = _month(ws, store, month)
    if entries.height == 0:
        return []
    rows = (
        entries.filter(pl.col("original_currency") != ws.base_currency)
        .group_by("original_currency")
        .agg(
            rows=pl.len(),
            original_amount=pl.col("original_amount").sum(),
            amount=pl.col("amount").sum(),
        )
        .sort("original_currency")
    )
    if rows.height == 0:
        return []
    base = ws.base_currency
    return [
        Section(
            key="currencies",
            title=_texts("currencies_title", base=base),
            frame=rows,
            labels={
                "original_currency": _column("original_currency"),
                "rows": _column("rows"),
                "original_amount": _column("original_amount"),
                "amount": _column("amount_in_base", base=base),
            },
            money=("original_amount", "amount"),
            summary={lang: [text] for lang, text in _texts("currencies_hint").items()},
        )
    ]
