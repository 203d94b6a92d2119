"""One statement file, read whole: every sheet by its rule, every money cell accounted for, and
the file's own totals checked, before anything is stored.

``read_statement`` is what ``ingest``, ``rules explain`` and the golden fixtures call once a
file is recognised: it reads the recognised table (and each other sheet a rule reads), takes out
totals rows, normalises the rows (``normalise_lines``) and checks the ``[[totals]]`` figures.
Any disagreement raises ``ImportRejected``; the caller has written nothing yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import polars as pl

from finance import i18n
from finance.accounted.sheets import other_sheets
from finance.accounted.skip import Skipped
from finance.accounted.totals import check_balance, check_figures, find_figures, take_rows
from finance.money import format_cents
from finance.normalise import Context, Lines, decimal_mark_of, normalise_lines
from finance.read import read_table
from finance.read.identify import Match
from finance.read.source import Header, Source
from finance.rulebook.rule import Rule


@dataclass(frozen=True)
class Part:
    """One table of the file (a sheet, or the whole text file) and what it gave."""

    rule: Rule
    header: Header
    lines: Lines

    @property
    def rows(self) -> pl.DataFrame:
        return self.lines.rows


@dataclass(frozen=True)
class Statement:
    """What a file gives: its parts (the recognised table first), and the totals checked."""

    parts: tuple[Part, ...]
    checked: tuple[str, ...]

    @property
    def rule(self) -> Rule:
        return self.parts[0].rule

    @property
    def skipped(self) -> Skipped:
        out = Skipped.none()
        for part in self.parts:
            out = out + part.lines.skipped
        return out

    def rows(self, kind: str | None = None) -> pl.DataFrame:
        """The canonical rows of every part (of ``kind``), one frame."""
        frames = [p.rows for p in self.parts if kind is None or p.rule.kind == kind]
        return pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]

    def note(self, lang: str) -> str:
        """What the import says besides the rows it added: rows that are not money, totals
        checked (empty when there is nothing to say)."""
        out = ""
        summary = self.skipped.summary()
        if summary:
            reasons = ("；" if lang == "zh-CN" else "; ").join(
                i18n.text(
                    "skipped_reason", lang, reason=r, rows=n, amount=format_cents(c, grouped=True)
                )
                for r, n, c in summary
            )
            out += i18n.text(
                "skipped_note", lang, rows=sum(n for _, n, _ in summary), reasons=reasons
            )
        if self.checked:
            out += i18n.text("totals_checked", lang, names=", ".join(self.checked))
        return out


def read_statement(
    source: Source,
    match: Match,
    rules: list[Rule],
    context: Callable[[Rule, Header], Context],
) -> Statement:
    """Read, normalise and check every table of ``source``; ``match`` is the recognised one and
    ``context(rule, header)`` tells each table what the file does not say (its shop)."""
    parts = []
    checked: list[str] = []
    for i, m in enumerate([match, *other_sheets(source, match, rules)]):
        ctx = context(m.rule, m.header)
        raw = read_table(source, m.rule, m.header)
        rule = m.rule
        if rule.decimal_mark == "auto":  # decided once per file, for its totals too
            rule = replace(rule, decimal_mark=decimal_mark_of(raw, rule))
        data, figures = take_rows(raw, rule, ctx.file)
        figures += find_figures(source, m.header, rule, ctx.file)
        if i and data.height == 0:
            continue  # another sheet with a header and nothing under it
        lines = normalise_lines(data, rule, ctx)
        check_figures(figures, lines.cells, lines.rule, ctx.file)
        check_balance(data, lines.cells, lines.rule, ctx.file)
        checked += [f.total.name for f in figures]
        checked += [t.name for t in m.rule.totals if t.balance and t.balance in data.columns]
        parts.append(Part(lines.rule, m.header, lines))
    return Statement(tuple(parts), tuple(dict.fromkeys(checked)))
