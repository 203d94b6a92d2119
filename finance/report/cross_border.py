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
            title={"zh-CN": "未归类的费用名称", "en": "Unclassified fee names"},
            frame=rows,
            labels={
                "platform": {"zh-CN": "平台", "en": "Platform"},
                "shop": {"zh-CN": "店铺", "en": "Shop"},
                "fee_name": {"zh-CN": "费用名称", "en": "Fee name"},
                "rows": {"zh-CN": "行数", "en": "Rows"},
                "amount": {
                    "zh-CN": f"金额（{ws.base_currency}，按原符号）",
                    "en": f"Amount ({ws.base_currency}, signed)",
                },
            },
            money=("amount",),
            summary={
                "zh-CN": [
                    "请在规则文件中加入 [[classify]] 归类这些名称，然后运行 finance rebuild。"
                ],
                "en": ["Add a [[classify]] entry for each name, then run finance rebuild."],
            },
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
            title={"zh-CN": f"外币换算为{base}", "en": f"Currencies converted to {base}"},
            frame=rows,
            labels={
                "original_currency": {"zh-CN": "币种", "en": "Currency"},
                "rows": {"zh-CN": "行数", "en": "Rows"},
                "original_amount": {"zh-CN": "原币金额", "en": "Amount as posted"},
                "amount": {"zh-CN": f"折合{base}", "en": f"In {base}"},
            },
            money=("original_amount", "amount"),
            summary={
                "zh-CN": ["逐笔按入账日（或之前最近一日）的汇率换算，四舍五入到分。"],
                "en": ["Each entry at the rate of its day (or the nearest earlier), half up."],
            },
        )
    ]
