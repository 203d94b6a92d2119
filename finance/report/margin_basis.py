"""What the figures stand on, for both reports: the VAT view (``[tax]``) and which shops' cost
of goods is incomplete or estimated (``[costs.shops]``).

``vat_figures`` lays the ex-VAT P&L (``finance.vat.VAT_LINES``) out per shop like the summary;
``cost_status`` tells, per shop, net sales without cost of goods and any stated estimate;
``masked`` empties the margin % of a shop whose margin is incomplete (never an unknown cost
shown as a high margin).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from finance.margin import MonthResult
from finance.tax import TaxSettings
from finance.uncosted import ESTIMATE_ORIGIN, SHOP_STATUS, shop_status
from finance.vat import VAT_LINES, by_shop

Shop = tuple[str, str]

VAT_RATIOS = {"gross_margin_pct": "gross_profit", "contribution_pct": "contribution_ex_vat"}
"""The ex-VAT ratios: each line over revenue ex VAT."""


@dataclass(frozen=True)
class VatFigures:
    """The ex-VAT P&L: ``lines`` (``VAT_LINES``) and ``ratios`` (``VAT_RATIOS``), each one value
    per shop of the report, then the total; ``tax`` is the basis they were computed on."""

    tax: TaxSettings
    lines: dict[str, list[int]]
    ratios: dict[str, list[Decimal | None]]


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    from finance.report import ratio

    return ratio(numerator, denominator)


def vat_figures(result: MonthResult, shops: list[Shop]) -> VatFigures | None:
    """The month's ex-VAT P&L by shop, or None when no VAT regime is set."""
    if not result.tax.active or "output_vat" not in result.pnl.columns:
        return None
    table = by_shop(result.pnl).with_columns(pl.col("platform", "shop").fill_null(""))
    found = {(r["platform"], r["shop"]): r for r in table.iter_rows(named=True)}
    lines: dict[str, list[int]] = {}
    for line in VAT_LINES:
        per_shop = [int(found[s][line]) if s in found else 0 for s in shops]
        lines[line] = [*per_shop, sum(per_shop)]
    ratios = {
        name: [_ratio(m, n) for m, n in zip(lines[numerator], lines["revenue_ex_vat"], strict=True)]
        for name, numerator in VAT_RATIOS.items()
    }
    return VatFigures(tax=result.tax, lines=lines, ratios=ratios)


COST_STATUS = {**SHOP_STATUS, "estimate": pl.Int64, "rate": pl.Int64}


def cost_status(result: MonthResult) -> pl.DataFrame:
    """Per shop with something to say: net sales without cost of goods (``uncosted``), whether
    its margin is ``incomplete``, and the stated estimate in its COGS (cents, and its rate in
    1/10,000). Shops whose every sale carries a cost are left out."""
    status = shop_status(result.pnl)
    parts = result.parts.filter(pl.col("origin") == ESTIMATE_ORIGIN)
    stated = parts.group_by("platform", "shop").agg(
        estimate=-pl.col("amount").sum(), rate=pl.col("weight").first()
    )
    return (
        status.join(stated, on=["platform", "shop"], how="left")
        .filter((pl.col("uncosted") != 0) | pl.col("incomplete") | pl.col("estimate").is_not_null())
        .with_columns(pl.col("estimate").fill_null(0))
        .select(pl.col(c).cast(t) for c, t in COST_STATUS.items())
        .sort("platform", "shop")
    )


def incomplete_shops(status: pl.DataFrame) -> set[Shop]:
    """The shops whose margin is incomplete (net sales, no cost of goods at all, no estimate)."""
    rows = status.filter(pl.col("incomplete")).select("platform", "shop").iter_rows()
    return {(p or "", s or "") for p, s in rows}


def masked(
    ratios: list[Decimal | None], shops: list[Shop], status: pl.DataFrame
) -> list[Decimal | None]:
    """``ratios`` (per shop, then the total) with the margin of an incomplete shop emptied, and
    the total's too when any shop is incomplete: its sales would count with no cost at all."""
    gone = incomplete_shops(status)
    per_shop = [None if shop in gone else r for shop, r in zip(shops, ratios, strict=False)]
    total = ratios[len(shops) :]
    return per_shop + ([None] * len(total) if gone & set(shops) else total)


def cost_notes(status: pl.DataFrame, lang: str) -> list[str]:
    """One line per shop of ``cost_status``: margin incomplete, sales without cost of goods, or
    a stated estimate in its cost of goods (in ``lang``)."""
    from finance.money import format_cents
    from finance.report.labels import label, platform_name
    from finance.settings import rate_text

    out = []
    for row in status.iter_rows(named=True):
        where = {"shop": row["shop"] or "", "platform": platform_name(row["platform"], lang)}
        if row["incomplete"]:
            amount = format_cents(row["net_sales"], grouped=True)
            out.append(label("cost_note_incomplete", lang, amount=amount, **where))
        elif row["uncosted"]:
            amount = format_cents(row["uncosted"], grouped=True)
            out.append(label("cost_note_uncosted", lang, amount=amount, **where))
        if row["estimated"]:
            amount = format_cents(row["estimate"], grouped=True)
            rate = rate_text(row["rate"]) if row["rate"] is not None else "-"
            out.append(label("cost_note_estimate", lang, amount=amount, rate=rate, **where))
    return out
