"""A report section contributed by a feature (reconciliation, alerts, cross-border, ...).

The seam between the month's reports and the features that add to them: a feature builds
``Section`` objects from the store, the orchestrator (``finance.pipeline``) collects them and
hands them to the reports, and both the workbook (one sheet per section, after the
built-in sheets) and the HTML page (one section per ``Section``, after the built-in ones) lay
them out the same way. A section carries its data as a polars frame, never pre-formatted text,
so the workbook can keep numbers as numbers.

Money columns hold integer cents (Int64); ``money`` names them so both reports show yuan with
two decimals. Every text cell is statement text and is treated as untrusted by the renderers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl


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
