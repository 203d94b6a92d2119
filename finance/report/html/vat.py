"""The page's ex-VAT P&L (when ``[tax]`` sets a regime) and the notes on cost of goods that is
missing or estimated, under the P&L by shop."""

from __future__ import annotations

from typing import TYPE_CHECKING

from finance.report.html.cells import money_cell, ratio_cell
from finance.report.html.context import Cell, Row, Table
from finance.report.labels import label, platform_name
from finance.report.margin_basis import VAT_RATIOS, cost_notes, incomplete_shops
from finance.vat import LINE_SIGNS, VAT_LINES

if TYPE_CHECKING:
    from finance.report import Figures


def vat_table(figs: Figures, lang: str) -> Table | None:
    """The ex-VAT P&L: lines by shop, in the terms Chinese finance uses; None without a regime.
    A shop whose margin is incomplete (no cost of goods) shows no ratio."""
    if figs.vat is None:
        return None
    incomplete = incomplete_shops(figs.costs_status)
    shown = [shop not in incomplete for shop in figs.shops] + [not incomplete]
    headers = [
        Cell(label("line", lang)),
        Cell(label("sign", lang), css="sign"),
        *(Cell(shop, note=platform_name(p, lang), css="num") for p, shop in figs.shops),
        Cell(label("total", lang), css="num"),
    ]
    rows = []
    ratio_after = {line: name for name, line in VAT_RATIOS.items()}
    for line in VAT_LINES:
        css = "total" if line in ratio_after else ("sub" if not LINE_SIGNS[line] else "")
        cells = [money_cell(v) for v in figs.vat.lines[line]]
        rows.append(Row([Cell(label(line, lang)), Cell(LINE_SIGNS[line], css="sign"), *cells], css))
        if line in ratio_after:
            name = ratio_after[line]
            ratios = [
                ratio_cell(r if ok else None, lang)
                for r, ok in zip(figs.vat.ratios[name], shown, strict=True)
            ]
            rows.append(Row([Cell(label(name, lang)), Cell("", css="sign"), *ratios]))
    return Table("vat", label("vat_heading", lang), headers, rows, label("none", lang))


def vat_notes(figs: Figures, lang: str) -> list[str]:
    """What the ex-VAT figures stand on: the terms, then the VAT basis (regime, rates)."""
    if figs.vat is None:
        return []
    return [label("vat_note", lang, currency=figs.currency or "-"), *figs.vat.tax.describe(lang)]


def cost_lines(figs: Figures, lang: str) -> list[str]:
    """Shops with sales without cost of goods, or a stated estimate (``basis.cost_notes``)."""
    return cost_notes(figs.costs_status, lang)
