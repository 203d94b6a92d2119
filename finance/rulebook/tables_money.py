"""Every cent accounted for: ``[[skip]]`` (rows that are not money, and why) and ``[[totals]]``
(the figures a file states about its own rows, checked at import)."""

from __future__ import annotations

import re

from finance import i18n
from finance.rulebook.checker import Checker
from finance.rulebook.rule import Rule, Skip, Total

SOURCES = ("line", "below", "row", "balance")
"""Where a total's figure is: exactly one of these keys."""
ANY_CELL = "*"
"""In a total's ``row``: any cell of the row (a ``合计`` label written in whichever column)."""


def skip_table(check: Checker, items: list, known: tuple[str, ...]) -> tuple[Skip, ...]:
    """``[[skip]]``: rows whose columns all match ``when`` are not imported; ``reason`` says why
    in what the import reports (default: the patterns)."""
    out = []
    for i, item in enumerate(items):
        when = item.get("when")
        if not isinstance(when, dict) or not when:
            raise check.fail(
                "skip",
                None,
                i18n.per_lang("rules_skip_when"),
                i18n.per_lang("rules_fix_write", example='when = { "交易状态" = "^交易关闭$" }'),
                i,
            )
        for column, pattern in when.items():
            check.column("skip", column, column, known, i)
            check.regex("skip", column, pattern, i)
        reason = item.get("reason") or ", ".join(f"{c} = {p}" for c, p in when.items())
        out.append(Skip(dict(when), str(reason)))
    return tuple(out)


def totals_table(check: Checker, items: list, rule: Rule) -> tuple[Total, ...]:
    """``[[totals]]``: each entry one figure of the file the imported rows must add up to."""
    out = []
    header = rule.known_columns
    for i, item in enumerate(items):
        if rule.kind not in ("ledger", "bank_lines"):
            raise check.fail(
                "totals",
                None,
                i18n.per_lang("rules_totals_money_only"),
                i18n.per_lang("rules_fix_remove"),
                i,
            )
        name = item.get("name")
        if not isinstance(name, str) or not name:
            raise check.fail(
                "totals",
                None,
                i18n.per_lang("rules_entry_no_name", section="totals"),
                i18n.per_lang("rules_fix_add", example='name = "支出合计"'),
                i,
            )
        given = [k for k in SOURCES if k in item]
        if len(given) != 1:
            raise check.fail(
                "totals",
                None,
                i18n.per_lang("rules_totals_one_source", name=name),
                i18n.per_lang("rules_fix_totals_source"),
                i,
            )
        line = item.get("line")
        if line is not None:
            check.regex("totals", "line", line, i)
            if re.compile(line).groups < 1:
                raise check.fail(
                    "totals",
                    "line",
                    i18n.per_lang("rules_no_group", pattern=line),
                    i18n.per_lang("rules_fix_capture_group"),
                    i,
                )
        row = item.get("row")
        cell = item.get("cell")
        if row is not None:
            if not isinstance(row, dict) or not row or cell is None:
                raise check.fail(
                    "totals",
                    "row",
                    i18n.per_lang("rules_totals_row", name=name),
                    i18n.per_lang(
                        "rules_fix_write", example='row = { "发件日期" = "^合计" }, cell = "运费"'
                    ),
                    i,
                )
            for column, pattern in row.items():
                if column != ANY_CELL:
                    check.column("totals", column, column, header, i)
                check.regex("totals", column, pattern, i)
        if cell is not None:
            check.column("totals", "cell", cell, header, i)
        balance = item.get("balance")
        if balance is not None:
            check.column("totals", "balance", balance, header, i)
        columns = tuple(item.get("columns", ()))
        for column in columns:
            if column not in rule.money_columns:
                raise check.fail(
                    "totals",
                    "columns",
                    i18n.per_lang("rules_totals_not_money", column=column),
                    i18n.per_lang("rules_fix_one_of", choices=", ".join(rule.money_columns) or "-"),
                    i,
                )
        out.append(
            Total(
                name=name,
                line=line,
                below=item.get("below"),
                row=dict(row) if row else None,
                cell=cell,
                balance=balance,
                columns=columns,
                magnitude=bool(item.get("magnitude", False)),
                sheet=item.get("sheet"),
                optional=bool(item.get("optional", False)),
                keep_row=bool(item.get("keep_row", False)),
            )
        )
    return tuple(out)
