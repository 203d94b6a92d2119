"""Contributed sections (alerts, reconciliation, cross-border) as the page shows them."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from finance.report.html.cells import money_cell
from finance.report.html.context import Cell, Row, SectionView, Table
from finance.report.labels import label

if TYPE_CHECKING:
    from finance.section import Section


def _section_cell(value: object, money: bool) -> Cell:
    if value is None:
        return Cell("")
    if money:
        return money_cell(int(value))  # type: ignore[call-overload]
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return Cell(f"{value:,}", css="num", sort=str(value))
    return Cell(str(value), css="wrap")


def section_views(sections: Sequence[Section], lang: str) -> list[SectionView]:
    """Contributed sections: heading, summary lines, at most ``limit_html`` rows, escaped."""
    out = []
    for section in sections:
        frame = section.rows(lang)
        headers = [
            Cell(section.column_label(c, lang), css="num" if c in section.money else "")
            for c in frame.columns
        ]
        rows = [
            Row(
                [
                    _section_cell(v, c in section.money)
                    for c, v in zip(frame.columns, values, strict=True)
                ]
            )
            for values in frame.head(section.limit_html).iter_rows()
        ]
        more = ""
        if frame.height > section.limit_html:
            more = label("section_more", lang, shown=section.limit_html, rows=frame.height)
        key = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in section.key)
        out.append(
            SectionView(
                key=key,
                heading=section.heading(lang),
                summary=list(section.summary.get(lang) or section.summary.get("en") or []),
                table=Table(
                    f"section-{key}-table",
                    section.heading(lang),
                    headers,
                    rows,
                    label("none", lang),
                ),
                more=more,
            )
        )
    return out
