"""One sheet per contributed ``Section`` (alerts, reconciliation, cross-border)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from finance.report.workbook.style import MUTED, put
from finance.report.workbook.tables import Column, _fit_columns, table

if TYPE_CHECKING:
    from finance.section import Section


SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\']")


def sheet_name(text: str, taken: Sequence[str]) -> str:
    """A valid, unused sheet name (Excel: at most 31 characters, none of []:*?/\\)."""
    base = SHEET_NAME_BAD.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", text)).strip()[:31] or "Sheet"
    name, n = base, 2
    lowered = {t.lower() for t in taken}
    while name.lower() in lowered:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    return name


def _section_kind(dtype: pl.DataType, money: bool) -> str:
    if money:
        return "money"
    if dtype.is_integer():
        return "int"
    if dtype == pl.Date:
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "datetime"
    return "text"


def section_sheet(ws: Worksheet, section: Section, lang: str, folder: Path | None) -> None:
    """One contributed section as a table: money in yuan, statement text kept as text."""
    ws.title = sheet_name(section.heading(lang), [s.title for s in ws.parent if s is not ws])
    frame = section.rows(lang)
    top = 1
    for line in section.summary.get(lang) or section.summary.get("en") or []:
        put(ws, top, 1, line).font = MUTED
        top += 1
    if top > 1:
        top += 1
    columns = [
        Column(
            c,
            section.column_label(c, lang),
            _section_kind(frame.schema[c], c in section.money),
            total=section.totals and c in section.money,
        )
        for c in frame.columns
    ]
    text = [
        c for c in frame.columns if _section_kind(frame.schema[c], c in section.money) == "text"
    ]
    frame = frame.with_columns(pl.col(text).cast(pl.String)) if text else frame
    key = re.sub(r"[^A-Za-z0-9_-]", "_", section.key) or "section"
    table(ws, frame, columns, lang, top=top, key=key, folder=folder)
    _fit_columns(ws, skip_rows=set(range(1, top)))
