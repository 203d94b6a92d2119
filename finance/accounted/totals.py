"""``[[totals]]``: the figures a statement states about its own rows, checked as balance
assertions (the way beancount and hledger check a ``balance`` directive).

A figure is found in the file (``find_figures`` for a line or a summary block, ``take_rows``
for a totals row of the table), then compared, to the precision the file writes, with the
money of the rows imported (``check_figures``); a running balance is checked row by row
(``check_balance``). When they disagree the file is rejected naming the figure, the rows' sum,
the difference and the rule: nothing of it is stored.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import polars as pl

from finance import i18n
from finance.accounted.cells import MONEY, cell_name, micros_text, to_micros
from finance.errors import ImportRejected
from finance.money import is_bad_amount
from finance.read.source import Header, Source, clean_cell
from finance.rulebook.rule import Rule, Total
from finance.rulebook.tables_money import ANY_CELL


@dataclass(frozen=True)
class Figure:
    """A total the file states: its value (10^-6 units), where it is, and the table rows that
    hold it (left out of the sum they state)."""

    total: Total
    value: int
    where: dict[str, str]
    rows: tuple[int, ...] = ()


def _fail(key: str, rule: Rule, file: str, total: Total, **fields: object) -> ImportRejected:
    return ImportRejected(
        key, file=file, name=total.name, rule=rule.name, rule_file=rule.path.name, **fields
    )


def _value(text: str, rule: Rule, file: str, total: Total, where: dict[str, str]) -> int:
    frame = pl.DataFrame({"t": [text.strip()]}).select(
        bad=is_bad_amount(pl.col("t"), decimal_mark=rule.decimal_mark),
        value=to_micros(pl.col("t"), rule),
    )
    value, bad = frame["value"][0], frame["bad"][0]
    if value is None or bad:
        raise _fail("totals_bad_figure", rule, file, total, value=text, where=where)
    return int(value)


def _missing(rule: Rule, file: str, total: Total, what: dict[str, str]) -> None:
    if not total.optional:
        raise _fail("totals_missing", rule, file, total, what=what)


def take_rows(raw: pl.DataFrame, rule: Rule, file: str) -> tuple[pl.DataFrame, list[Figure]]:
    """The figures of ``row`` totals, and ``raw`` without their rows (unless ``keep_row``)."""
    figures = []
    for total in rule.totals:
        if total.row is None or total.cell is None:
            continue
        if not (set(total.row) - {ANY_CELL}) | {total.cell} <= set(raw.columns):
            _missing(rule, file, total, _what_row(total))
            continue
        match = pl.all_horizontal(_cell_matches(raw, c, p) for c, p in total.row.items())
        hits = raw.filter(match)
        rows = tuple(int(r) for r in hits["__row"])
        if len(rows) > 1:
            where = ", ".join(i18n.text("totals_where_line", "en", line=r) for r in rows)
            raise _fail("totals_twice", rule, file, total, where=where)
        if not rows:
            _missing(rule, file, total, _what_row(total))
            continue
        if not total.keep_row:
            raw = raw.filter(~match)
        text = (hits[total.cell][0] or "").strip()
        if text in ("", "-", "—", "--"):  # a totals row that leaves this figure out
            _missing(rule, file, total, _what_row(total))
            continue
        where = i18n.per_lang("totals_where_cell", row=rows[0], column=total.cell)
        figures.append(Figure(total, _value(text, rule, file, total, where), where, rows))
    return raw, figures


def _cell_matches(raw: pl.DataFrame, column: str, pattern: str) -> pl.Expr:
    """``column`` matches ``pattern`` (``*``: any cell of the row does)."""
    if column != ANY_CELL:
        return pl.col(column).fill_null("").str.contains(pattern)
    cells = [c for c, t in raw.schema.items() if t == pl.String]
    return pl.any_horizontal(pl.col(c).fill_null("").str.contains(pattern) for c in cells)


def _what_row(total: Total) -> dict[str, str]:
    pattern = ", ".join(f"{c} = {p}" for c, p in (total.row or {}).items())
    return i18n.per_lang("totals_what_row", pattern=pattern)


def _split(line: str, rule: Rule) -> list[str]:
    return next(csv.reader(io.StringIO(line), delimiter=rule.delimiter), [])


def _sheet_rows(source: Source, header: Header, sheet: str | None) -> list[list[str]]:
    """A sheet's rows as cells (the total's sheet, else the table's)."""
    frame = source.sheets.get(sheet or header.sheet or "")
    if frame is None:
        return []
    return [[c or "" for c in row] for row in frame.rows()]


def find_figures(source: Source, header: Header, rule: Rule, file: str) -> list[Figure]:
    """The figures of ``line`` and ``below`` totals, found in the file's lines (a footer, a
    preamble, a summary block, or the sheet the total names)."""
    figures = []
    for total in rule.totals:
        if total.line is None and total.below is None:
            continue
        if total.sheet is not None and (not source.is_sheet or total.sheet not in source.sheets):
            continue  # a download without that sheet (a CSV) is not checked against it
        if total.line is not None:
            found = _by_line(source, header, rule, total)
            what = i18n.per_lang("totals_what_line", pattern=total.line)
        else:
            found = _by_label(source, header, rule, total)
            what = i18n.per_lang("totals_what_below", label=total.below)
        if len(found) > 1:
            where = ", ".join(i18n.text("totals_where_line", "en", line=n) for n, _ in found)
            raise _fail("totals_twice", rule, file, total, where=where)
        if not found:
            _missing(rule, file, total, what)
            continue
        number, text = found[0]
        where = i18n.per_lang("totals_where_line", line=number)
        if total.sheet is not None:
            where = {
                lang: i18n.text("totals_where_sheet", lang, sheet=total.sheet, where=where[lang])
                for lang in i18n.LANGS
            }
        figures.append(Figure(total, _value(text, rule, file, total, where), where))
    return figures


def _by_line(source: Source, header: Header, rule: Rule, total: Total) -> list[tuple[int, str]]:
    pattern = re.compile(total.line or "")
    if source.is_sheet:
        texts = [",".join(cells).rstrip(",") for cells in _sheet_rows(source, header, total.sheet)]
    else:
        texts = source.lines
    found = []
    for i, text in enumerate(texts):
        hit = pattern.search(text)
        if hit:
            found.append((i + 1, hit.group(1)))
    return found


def _by_label(source: Source, header: Header, rule: Rule, total: Total) -> list[tuple[int, str]]:
    """The cell under a cell that reads ``below`` exactly, in the lines after the header (or
    anywhere in the sheet the total names)."""
    label = total.below or ""
    start = 0 if total.sheet is not None else header.index + 1
    if source.is_sheet:
        rows = _sheet_rows(source, header, total.sheet)
        cells_of = list.__getitem__
        count = len(rows)
    else:
        rows = source.lines
        count = len(rows)

        def cells_of(lines: list, i: int) -> list[str]:
            return _split(lines[i], rule)

    found = []
    for i in range(start, count - 1):
        if not source.is_sheet and label not in rows[i]:
            continue  # most lines are data: split only the ones that may hold the label
        cells = [clean_cell(c) for c in cells_of(rows, i)]
        if label in cells:
            j = cells.index(label)
            below = cells_of(rows, i + 1)
            found.append((i + 2, clean_cell(below[j]) if j < len(below) else ""))
    return found


def check_figures(figures: list[Figure], cells: pl.DataFrame, rule: Rule, file: str) -> None:
    """Each figure equals the money of the rows imported (``cells``, see ``accounted.cells``:
    its ``columns``' cells as written, or every row's signed money), its own rows left out."""
    imported = cells
    for figure in figures:
        total = figure.total
        cells = imported.filter(~pl.col("source_row").is_in(list(figure.rows)))
        if total.columns:
            names = [cell_name(c) for c in total.columns if cell_name(c) in cells.columns]
            summed = (
                int(cells.select(pl.sum_horizontal(pl.col(n).sum() for n in names)).item() or 0)
                if names
                else 0
            )
        else:
            summed = int(cells[MONEY].sum() or 0)
        stated, found = figure.value, summed
        if total.magnitude:
            stated, found = abs(stated), abs(summed)
        if stated != found:
            raise _fail(
                "totals_mismatch",
                rule,
                file,
                total,
                figure=micros_text(figure.value),
                where=figure.where,
                sum=micros_text(summed),
                difference=micros_text(stated - found),
            )


def check_balance(table: pl.DataFrame, cells: pl.DataFrame, rule: Rule, file: str) -> None:
    """``balance`` totals: each row's running balance is the one before it plus the money of the
    rows since (in file order, oldest or newest first), the rows skipped counting nothing."""
    for total in rule.totals:
        if total.balance is None:
            continue
        if total.balance not in table.columns:
            _missing(rule, file, total, i18n.per_lang("totals_what_line", pattern=total.balance))
            continue
        _check_running(table, cells, rule, file, total)


def _check_running(
    table: pl.DataFrame, cells: pl.DataFrame, rule: Rule, file: str, total: Total
) -> None:
    column = total.balance or ""
    bad = table.filter(is_bad_amount(pl.col(column), decimal_mark=rule.decimal_mark)).head(1)
    if bad.height:
        where = i18n.per_lang("totals_where_cell", row=int(bad["__row"][0]), column=column)
        raise _fail("totals_bad_figure", rule, file, total, value=bad[column][0], where=where)
    money = cells.group_by("source_row").agg(pl.col(MONEY).sum())
    rows = (
        table.select("__row", to_micros(pl.col(column), rule).alias("balance"))
        .join(money, left_on="__row", right_on="source_row", how="left")
        .sort("__row")
        .with_columns(pl.col(MONEY).fill_null(0))
        .with_columns(cum=pl.col(MONEY).cum_sum())
        .with_columns(
            oldest_first=pl.col("balance") - pl.col("cum"),
            newest_first=pl.col("balance") + pl.col("cum") - pl.col(MONEY),
        )
        .filter(pl.col("balance").is_not_null())
    )
    if rows.height < 2:
        return
    breaks = {}
    for order in ("oldest_first", "newest_first"):
        first = rows[order][0]
        off = rows.with_row_index("i").filter(pl.col(order) != first)
        if off.height == 0:
            return
        breaks[order] = int(off["i"][0])
    order = max(breaks, key=lambda o: breaks[o])
    i = breaks[order]
    here, before = rows.row(i, named=True), rows.row(i - 1, named=True)
    if order == "oldest_first":
        expected = before["oldest_first"] + here["cum"]
    else:
        expected = before["newest_first"] - here["cum"] + here[MONEY]
    raise _fail(
        "balance_break",
        rule,
        file,
        total,
        row=here["__row"],
        column=column,
        balance=micros_text(here["balance"]),
        previous=micros_text(before["balance"]),
        previous_row=before["__row"],
        expected=micros_text(expected),
        difference=micros_text(here["balance"] - expected),
    )
