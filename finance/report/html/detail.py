"""The page's detail tables: what stayed unallocated and why, how split costs were divided,
what is excluded from margin, fee names no rule maps, and the imported files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from finance.i18n import basis_text, reason_text
from finance.report.html.cells import money_cell
from finance.report.html.context import Cell, Row, Table
from finance.report.labels import category_name, label, platform_name

if TYPE_CHECKING:
    from finance.report import Figures


def unallocated_table(figs: Figures, lang: str) -> Table:
    headers = [Cell(label(c, lang)) for c in ("platform", "shop", "category", "reason")] + [
        Cell(label("entries", lang), css="num"),
        Cell(label("signed_amount", lang), css="num"),
    ]
    rows = [
        Row(
            [
                Cell(platform_name(p, lang)),
                Cell(shop),
                Cell(category_name(c, lang)),
                Cell(reason_text(reason, lang), css="wrap"),
                Cell(str(entries), css="num"),
                money_cell(amount),
            ]
        )
        for p, shop, c, reason, entries, amount in figs.unallocated.select(
            "platform", "shop", "category", "reason", "entries", "amount"
        ).iter_rows()
    ]
    return Table(
        "unallocated", label("unallocated_heading", lang), headers, rows, label("none", lang)
    )


def bases_table(figs: Figures, lang: str) -> Table:
    headers = [Cell(label(c, lang)) for c in ("platform", "shop", "category", "key", "basis")] + [
        Cell(label("entries", lang), css="num"),
        Cell(label("signed_amount", lang), css="num"),
    ]
    rows = [
        Row(
            [
                Cell(platform_name(p, lang)),
                Cell(shop or ""),
                Cell(category_name(c, lang)),
                Cell(label(f"key_{key}", lang)),
                Cell(basis_text(basis, lang), css="flag" if fallback else ""),
                Cell(str(n), css="num"),
                money_cell(amount),
            ]
        )
        for p, shop, c, key, basis, n, amount, fallback in figs.bases.select(
            "platform", "shop", "category", "key", "basis", "entries", "amount", "fallback"
        ).iter_rows()
    ]
    return Table("bases", label("bases_heading", lang), headers, rows, label("none", lang))


def excluded_table(figs: Figures, lang: str) -> Table:
    headers = [Cell(label(c, lang)) for c in ("platform", "shop", "category")] + [
        Cell(label("entries", lang), css="num"),
        Cell(label("signed_amount", lang), css="num"),
    ]
    rows = [
        Row(
            [
                Cell(platform_name(p, lang)),
                Cell(shop or ""),
                Cell(category_name(c, lang)),
                Cell(str(n), css="num"),
                money_cell(amount),
            ]
        )
        for p, shop, c, amount, n in figs.excluded_rows.select(
            "platform", "shop", "category", "amount", "rows"
        ).iter_rows()
    ]
    return Table("excluded", label("excluded_heading", lang), headers, rows, label("none", lang))


def unclassified_table(figs: Figures, lang: str) -> Table:
    headers = [Cell(label(c, lang)) for c in ("platform", "shop", "fee_name")] + [
        Cell(label("entries", lang), css="num"),
        Cell(label("signed_amount", lang), css="num"),
    ]
    rows = [
        Row(
            [
                Cell(platform_name(p, lang)),
                Cell(shop),
                Cell(name),
                Cell(str(n), css="num"),
                money_cell(amount),
            ]
        )
        for p, shop, name, n, amount in figs.unclassified.iter_rows()
    ]
    caption = f"{label('kind_unclassified', lang)}: {label('no_rule_reason', lang)}"
    return Table("unclassified", caption, headers, rows, label("none", lang))


def sources_table(figs: Figures, lang: str) -> Table:
    frame = figs.sources
    columns = ("name", "format", "platform", "shop", "rows_this_month", "first_date", "last_date")
    names = {"name": "file_name"}
    headers = [
        Cell(label(names.get(c, c), lang), css="num" if c == "rows_this_month" else "")
        for c in columns
    ] + [Cell(label("sha256", lang))]
    rows = []
    if frame.width:
        for r in frame.iter_rows(named=True):
            rows.append(
                Row(
                    [
                        Cell(r["name"] or "", css="wrap"),
                        Cell(r["format"] or ""),
                        Cell(platform_name(r["platform"], lang)),
                        Cell(r["shop"] or ""),
                        Cell(str(r["rows_this_month"]), css="num"),
                        Cell(str(r["first_date"] or "")),
                        Cell(str(r["last_date"] or "")),
                        Cell((r["sha256"] or "")[:12], css="muted"),
                    ]
                )
            )
    return Table("sources", label("sources_heading", lang), headers, rows, label("none", lang))
