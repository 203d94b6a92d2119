"""The page's top: headline figures against the prior month, the P&L by shop, the cost
structure by platform."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import polars as pl

from finance.margin import PNL_COLUMNS
from finance.report.html.cells import (
    _change,
    money_cell,
    money_text,
    percent_text,
    ratio,
    ratio_cell,
)
from finance.report.html.context import Cell, Figure, Row, Table
from finance.report.labels import label, platform_name, sign
from finance.schema import COST_CATEGORIES

if TYPE_CHECKING:
    from finance.report import Figures


def headline(figs: Figures, lang: str) -> list[Figure]:
    """The headline figures (sales, refunds, true margin, margin %, unallocated, unclassified)
    against the prior month when there is one: the top of the page and of the dashboard."""

    def money(line: str, css: str = "") -> Figure:
        cents = figs.total(line)
        tone = "neg" if cents < 0 else css
        prior = figs.prior_total(line)
        note = ""
        if prior is not None:
            note = label("headline_vs", lang, value=money_text(prior))
            change = _change(cents, prior)
            note += f" · {change}" if change else ""
        return Figure(label(line, lang), money_text(cents), Decimal(cents).scaleb(-2), tone, note)

    ratio = figs.ratios[-1]
    prior_ratio = figs.prior_ratios[-1] if figs.prior_ratios else None
    pct_note = ""
    if figs.prior_ratios is not None:
        pct_note = label("headline_vs", lang, value=percent_text(prior_ratio, lang))
        if ratio is not None and prior_ratio is not None:
            points = (ratio - prior_ratio).scaleb(2)
            pct_note += f" · {points:+.2f} pp"
    uncosted = int(figs.costs_status["uncosted"].sum()) if figs.costs_status.height else 0
    if uncosted:  # the total margin counts sales whose cost of goods is unknown: say so
        amount = money_text(uncosted)
        pct_note = " · ".join(
            n for n in (pct_note, label("headline_uncosted", lang, amount=amount)) if n
        )
    unallocated = figs.unallocated_total[-1]
    unclassified = figs.total("unclassified")
    return [
        money("sales"),
        money("refund"),
        money("true_margin", "key"),
        Figure(
            label("margin_pct", lang),
            percent_text(ratio, lang),
            ratio,
            "neg" if ratio is not None and ratio < 0 else ("warn" if uncosted else "key"),
            pct_note,
        ),
        Figure(
            label("kind_unallocated", lang),
            money_text(unallocated),
            Decimal(unallocated).scaleb(-2),
            "warn" if unallocated else "",
            label("unallocated_total", lang),
        ),
        Figure(
            label("unclassified", lang),
            money_text(unclassified),
            Decimal(unclassified).scaleb(-2),
            "warn" if unclassified else "",
            label("signed_amount", lang),
        ),
    ]


def summary_table(figs: Figures, lang: str) -> Table:
    headers = [
        Cell(label("line", lang)),
        Cell(label("sign", lang), css="sign"),
        *(Cell(shop, note=platform_name(p, lang), css="num") for p, shop in figs.shops),
        Cell(label("total", lang), css="num"),
    ]

    def line(name: str, mark: str, cells: list[Cell], css: str = "") -> Row:
        return Row([Cell(name), Cell(mark, css="sign"), *cells], css)

    rows = [
        line(
            label(c, lang),
            sign(c),
            [money_cell(v) for v in figs.lines[c]],
            "total" if c == "true_margin" else "",
        )
        for c in [*PNL_COLUMNS, "true_margin"]
    ]
    rows.append(line(label("margin_pct", lang), "", [ratio_cell(r, lang) for r in figs.ratios]))
    rows.append(
        line(
            label("unallocated_total", lang),
            "±",
            [money_cell(v) for v in figs.unallocated_total],
            "sub",
        )
    )
    return Table("summary", label("pnl_by_shop", lang), headers, rows)


def _platform_costs(figs: Figures) -> list[tuple[str, int, list[int]]]:
    pnl = figs.skus
    out = []
    for platform in sorted({p for p, _ in figs.shops}):
        rows = pnl.filter(pl.col("platform") == platform)
        net = int(rows["sales"].sum()) - int(rows["refund"].sum())
        out.append((platform, net, [int(rows[c].sum()) for c in COST_CATEGORIES]))
    return out


def costs_table(figs: Figures, lang: str) -> Table:
    """The cost structure by platform in figures: each cost and its share of net sales."""
    platforms = _platform_costs(figs)
    headers = [Cell(label("line", lang))]
    for platform, _, _ in platforms:
        headers += [
            Cell(platform_name(platform, lang), css="num"),
            Cell(label("share_of_net_sales", lang), css="num"),
        ]
    rows = [
        Row(
            [Cell(label("net_sales", lang))]
            + [c for _, net, _ in platforms for c in (money_cell(net), Cell(""))],
            css="sub",
        )
    ]
    lines = [*COST_CATEGORIES, "total_costs"]
    for k, line in enumerate(lines):
        cells = [Cell(label(line, lang))]
        for _, net, costs in platforms:
            amount = sum(costs) if line == "total_costs" else costs[k]
            share = ratio(amount, net) if net else None
            cells += [money_cell(amount), ratio_cell(share, lang)]
        rows.append(Row(cells, css="total" if line == "total_costs" else ""))
    caption = label("costs_by_platform", lang)
    return Table("costs", caption, headers, rows, label("none", lang))
