"""Every sheet of a workbook is accounted for.

The rule that recognised a workbook reads one sheet. Each other sheet that holds anything is
either read by a rule of its own (the courier bill's ``拦截退回`` sheet of intercepted returns),
declared by the recognising rule as carrying no money (``[read] notes_sheets``), or the sheet a
``[[totals]]`` entry reads its figure from (a summary sheet); otherwise the file is rejected
naming the sheet, so no sheet's money is ignored without a word.
"""

from __future__ import annotations

import re

import polars as pl

from finance.errors import ImportRejected
from finance.read.identify import Match, identify
from finance.read.source import Source
from finance.rulebook.rule import Rule


def _blank(sheet: pl.DataFrame) -> bool:
    """A sheet with no cell written."""
    if sheet.height == 0 or sheet.width == 0:
        return True
    return not sheet.select(
        pl.any_horizontal(pl.col(c).fill_null("").str.strip_chars() != "" for c in sheet.columns)
    )[sheet.columns[0]].any()


def _declared(name: str, rule: Rule) -> bool:
    """``name`` is a notes sheet of ``rule``, or the sheet one of its totals reads."""
    return any(re.search(p, name) for p in rule.notes_sheets) or any(
        t.sheet == name for t in rule.totals
    )


def other_sheets(source: Source, main: Match, rules: list[Rule]) -> list[Match]:
    """The rules that read the workbook's other sheets, in sheet order; raises
    ``sheet_unaccounted`` for a sheet with content that no rule reads or declares."""
    if not source.is_sheet:
        return []
    out = []
    for name, sheet in source.sheets.items():
        if name == main.header.sheet or _blank(sheet) or _declared(name, main.rule):
            continue
        one = Source(path=source.path, encoding=source.encoding, sheets={name: sheet})
        try:
            out.append(identify(one, rules))
        except ImportRejected as error:
            if error.key != "no_rule_matched":
                raise
            raise ImportRejected(
                "sheet_unaccounted",
                file=source.path.name,
                sheet=name,
                rule=main.rule.name,
                read=main.header.sheet or "",
                rule_file=main.rule.path.name,
            ) from error
    return out
