"""The workbook in memory, sheet by sheet."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook

from finance.report.workbook.costs import costs_sheet
from finance.report.workbook.detail import bases_sheet, exceptions_sheet, sources_sheet
from finance.report.workbook.sections import section_sheet
from finance.report.workbook.skus import sku_sheet
from finance.report.workbook.summary import summary_sheet
from finance.report.workbook.vat import vat_sheet

if TYPE_CHECKING:
    from finance.report import Figures
    from finance.section import Section


def build(
    figs: Figures,
    *,
    lang: str = "zh-CN",
    sections: Sequence[Section] = (),
    folder: Path | None = None,
) -> Workbook:
    """The workbook in memory; ``folder`` is where tables too long for a sheet are written.

    The tables' data rows are not cells of the workbook: they are written when it is saved
    with ``xlsxrows.save`` (as ``finance.report.write_workbook`` does), not ``Workbook.save``."""
    book = Workbook()
    book.calculation.fullCalcOnLoad = True  # totals are formulas: compute them on opening
    summary_sheet(book.active, figs, lang)
    if figs.vat is not None:
        vat_sheet(book.create_sheet(), figs, lang)
    sku_sheet(book.create_sheet(), figs, lang, folder)
    costs_sheet(book.create_sheet(), figs, lang)
    exceptions_sheet(book.create_sheet(), figs, lang, folder)
    bases_sheet(book.create_sheet(), figs, lang, folder)
    sources_sheet(book.create_sheet(), figs, lang, folder)
    for section in sections:
        section_sheet(book.create_sheet(), section, lang, folder)
    return book
