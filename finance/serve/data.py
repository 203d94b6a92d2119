"""The dashboard's figures as JSON-ready values, from the same library calls as the CLI and the
report: ``pipeline.month_figures`` (the report's figures), ``pipeline.collect`` (alerts,
reconciliation and the other contributed sections), ``finance.export`` (the margins rows, exactly
as ``finance export margins --format json``) and ``finance.explain`` (a SKU traced to its
statement rows, as ``finance explain``). Nothing here computes a figure of its own: it only
lays out what those return, with the report's own formatting (``finance.report.html``).

Money leaves as text: decimal strings with two places (``"-1234.50"``) where a program reads
it (margins, trend), or the report's formatted text (``"-1,234.50"``) in tables made for
reading. Statement text is data, never markup: the page writes it with ``textContent``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import polars as pl

from finance import pipeline
from finance.errors import FinanceError
from finance.explain import explain, summary
from finance.export import margins_json
from finance.margin import MonthResult
from finance.money import format_cents
from finance.report import ratio
from finance.report.html import (
    Table,
    costs_table,
    drill_table,
    headline,
    money_text,
    section_views,
    summary_table,
)
from finance.report.labels import category_name, label, platform_name
from finance.store import Store
from finance.workspace import Workspace

ROWS_LIMIT = 500
"""At most this many statement rows in one answer (the rest are counted, and ``finance explain
--output`` writes them all)."""


def months(store: Store) -> list[str]:
    """The months the ledger holds, oldest first."""
    return store.months()


def check_known(store: Store, month: str) -> str:
    """``month`` when the ledger holds it; else the CLI's own error for a month without data."""
    pipeline.check_month(month)
    held = store.months()
    if month not in held:
        raise FinanceError("no_data_for_month", month=month, months=", ".join(held) or "-")
    return month


def table(t: Table) -> dict[str, Any]:
    """A report table (``finance.report.html.Table``) as JSON: captions, cells as text."""

    def cell(c: Any) -> dict[str, str]:
        return {"text": c.text, "note": c.note, "css": c.css, "sort": c.sort}

    return {
        "id": t.id,
        "caption": t.caption,
        "empty": t.empty,
        "headers": [cell(c) for c in t.headers],
        "rows": [{"css": r.css, "cells": [cell(c) for c in r.cells]} for r in t.rows],
    }


def _money(cents: int | None) -> str | None:
    return None if cents is None else format_cents(int(cents))


def _ratio(value: Any) -> str | None:
    return None if value is None else str(value)


def overview(ws: Workspace, store: Store, month: str, lang: str) -> dict[str, Any]:
    """The month at a glance: headline figures against the prior month, the P&L by shop, the
    cost structure by platform, the trend over the months before, and the contributed sections
    (alerts, reconciliation exceptions, unclassified fee names, currencies)."""
    check_known(store, month)
    with pipeline.one_pass(store):
        figs = pipeline.month_figures(ws, store, month, drill=0)
        sections = pipeline.collect(ws, store, month)
    trend = [
        {
            "month": m,
            "sales": _money(sales),
            "refund": _money(refund),
            "net_sales": _money(sales - refund),
            "true_margin": _money(margin),
            "margin_pct": _ratio(ratio(margin, sales - refund)),
        }
        for m, sales, refund, margin in figs.trend.select(
            "month", "sales", "refund", "true_margin"
        ).iter_rows()
    ]
    net = figs.net_sales()
    shops = [
        {
            "platform": platform,
            "platform_name": platform_name(platform, lang),
            "shop": shop,
            "net_sales": _money(net[i]),
            "true_margin": _money(figs.lines["true_margin"][i]),
            "margin_pct": _ratio(figs.ratios[i]),
        }
        for i, (platform, shop) in enumerate(figs.shops)
    ]
    return {
        "month": figs.month,
        "currency": figs.currency,
        "prior_month": figs.prior_month,
        "title": label("title", lang, month=figs.month),
        "note": label(
            "costs_positive",
            lang,
            currency=figs.currency or "-",
            period=label(f"period_{figs.period}", lang),
        ),
        "headline": [
            {**asdict(f), "value": None if f.value is None else str(f.value)}
            for f in headline(figs, lang)
        ],
        "summary": table(summary_table(figs, lang)),
        "costs": table(costs_table(figs, lang)),
        "trend": trend,
        "shops": shops,
        "sections": [
            {
                "key": v.key,
                "heading": v.heading,
                "summary": v.summary,
                "table": table(v.table),
                "more": v.more,
            }
            for v in section_views(sections, lang)
        ],
    }


def result(ws: Workspace, store: Store, month: str) -> MonthResult:
    check_known(store, month)
    return pipeline.month_result(ws, store, month)


def margins(month_result: MonthResult) -> str:
    """The margins rows, byte for byte what ``finance export margins --format json`` prints."""
    return margins_json(month_result)


def _traced(
    month_result: MonthResult, sku: str, *, platform: str | None, shop: str | None
) -> pl.DataFrame:
    rows = explain(month_result, sku, shop=shop)
    if platform is not None:
        rows = rows.filter(pl.col("platform") == platform)
    return rows


def sku_categories(
    month_result: MonthResult,
    sku: str,
    *,
    platform: str | None = None,
    shop: str | None = None,
    lang: str = "zh-CN",
) -> dict[str, Any]:
    """A SKU's parts by category (how many statement rows, how much), as ``finance explain``
    prints first; ``sku`` empty for the shop's unallocated parts."""
    rows = _traced(month_result, sku, platform=platform, shop=shop)
    if rows.height == 0:
        raise FinanceError("unknown_sku", sku=sku, month=month_result.month)
    by_category = summary(rows)
    return {
        "month": month_result.month,
        "sku": sku,
        "platform": platform,
        "shop": shop,
        "title": " · ".join(
            x
            for x in (sku or label("kind_unallocated", lang), shop, platform_name(platform, lang))
            if x
        ),
        "categories": [
            {
                "category": category,
                "label": category_name(category, lang),
                "rows": int(count),
                "amount": format_cents(int(amount)),
                "text": money_text(int(amount)),
            }
            for category, count, amount in by_category.iter_rows()
        ],
    }


def sku_rows(
    month_result: MonthResult,
    sku: str,
    category: str,
    *,
    platform: str | None = None,
    shop: str | None = None,
    lang: str = "zh-CN",
    limit: int = ROWS_LIMIT,
) -> dict[str, Any]:
    """The statement rows behind one category of a SKU: file, row, fee name, the entry, the
    SKU's part and its share, as the report's drill-down shows them."""
    rows = _traced(month_result, sku, platform=platform, shop=shop).filter(
        pl.col("category") == category
    )
    caption = f"{sku or label('kind_unallocated', lang)} · {category_name(category, lang)}"
    return {
        "month": month_result.month,
        "sku": sku,
        "category": category,
        "total_rows": rows.height,
        "shown": min(rows.height, limit),
        "table": table(drill_table(rows.head(limit), lang, id="drill-rows", caption=caption)),
    }


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
