"""Figures as the page shows them: money and percentages as text, and their table cells."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from finance.report.html.context import Cell
from finance.report.labels import label

if TYPE_CHECKING:
    pass


def money_text(cents: int) -> str:
    """Cents as text with thousands separators and two places: ``-1234567`` -> ``-12,345.67``."""
    whole, part = divmod(abs(int(cents)), 100)  # integer arithmetic: one call per table cell
    return f"{'-' if cents < 0 else ''}{whole:,}.{part:02d}"


def percent_text(ratio: Decimal | None, lang: str) -> str:
    """A ratio as a percentage with two places: ``0.1234`` -> ``12.34%``; a dash when undefined."""
    return label("no_ratio", lang) if ratio is None else f"{ratio.scaleb(2):.2f}%"


def money_cell(cents: int, href: str = "") -> Cell:
    return Cell(
        money_text(cents), css="num neg" if cents < 0 else "num", sort=str(cents), href=href
    )


def ratio_cell(ratio: Decimal | None, lang: str) -> Cell:
    negative = ratio is not None and ratio < 0
    return Cell(
        percent_text(ratio, lang),
        css="num neg" if negative else "num",
        sort="" if ratio is None else str(ratio),
    )


def ratio(numerator: int, denominator: int) -> Decimal | None:
    """``finance.report.ratio`` (imported late: that package imports this module)."""
    from finance.report import ratio as exact_ratio

    return exact_ratio(numerator, denominator)


def _change(this: int | Decimal | None, prior: int | Decimal | None) -> str:
    """``+12.34%`` from prior to this; empty when there is no prior or it is zero."""
    if this is None or prior is None or prior == 0:
        return ""
    pct = (Decimal(this) - Decimal(prior)) / abs(Decimal(prior)) * 100
    return f"{pct:+.2f}%"
