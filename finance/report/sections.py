"""Report sections contributed by other features (reconciliation, alerts, ...).

The seam between the month's reports and the features that add to them: a feature builds
``Section`` objects from the store, and both the workbook (one sheet per section, after the
built-in sheets) and the HTML page (one section per ``Section``, after the built-in ones) lay
them out the same way. A section carries its data as a polars frame, never pre-formatted text,
so the workbook can keep numbers as numbers.

Money columns hold integer cents (Int64); ``money`` names them so both reports show yuan with
two decimals. Every text cell is statement text and is treated as untrusted by the renderers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from finance.store import Store
    from finance.workspace import Workspace


@dataclass(frozen=True)
class Section:
    """One extra sheet / page section.

    key: a stable id (``reconciliation``, ``alerts``), used as the HTML anchor.
    title: the heading per language (``{"zh-CN": "对账", "en": "Reconciliation"}``).
    frame: the rows to show, columns in display order.
    frames: the same rows with their text in another language, by language code (the report
        shows ``frames[lang]`` when present, else ``frame``), so ``--lang`` reaches row text too.
    labels: column name -> heading per language; a column without a label shows its name.
    money: columns holding integer cents.
    summary: short lines shown above the table (per language), e.g. totals by kind.
    limit_html: at most this many rows on the HTML page (the workbook has them all).
    totals: the workbook adds a total row (live ``SUM``) under the money columns.
    """

    key: str
    title: dict[str, str]
    frame: pl.DataFrame
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    money: tuple[str, ...] = ()
    summary: dict[str, list[str]] = field(default_factory=dict)
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    limit_html: int = 50
    totals: bool = True

    def rows(self, lang: str) -> pl.DataFrame:
        """The rows to show in ``lang``."""
        return self.frames.get(lang, self.frame)

    def heading(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.key

    def column_label(self, column: str, lang: str) -> str:
        names = self.labels.get(column, {})
        return names.get(lang) or names.get("en") or column


Provider = Callable[["Workspace", "Store", str], list[Section]]
"""A feature's hook: (workspace, store, month) -> its sections for that month."""


def providers() -> list[Provider]:
    """The features that add sections, in the order their sheets appear.

    Each feature adds one line here (an explicit list, not import-time registration).
    """
    from finance.alerts import section as alerts_section
    from finance.reconcile.section import provide as reconciliation
    from finance.report import basis, cross_border

    return [
        alerts_section,
        reconciliation,
        basis.provide,  # what the figures rest on; refunds whose COGS was not reversed
        cross_border.unclassified,  # fee names no rule maps, with totals
        cross_border.currencies,  # amounts posted in other currencies, converted
    ]


def collect(ws: Workspace, store: Store, month: str) -> list[Section]:
    """Every contributed section for the month, in provider order."""
    out: list[Section] = []
    for provider in providers():
        out.extend(provider(ws, store, month))
    return out
