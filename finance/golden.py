"""Golden fixtures: ``<format>/<case>.<ext>`` beside ``<case>.<ext>.expected.csv``.

The expected file holds the canonical rows the case must normalise to, written as text (money
as decimal strings, times in ISO form) so a reviewer can read it and a diff shows what changed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from finance.errors import FinanceError
from finance.normalise import Context
from finance.read import open_source
from finance.read.identify import identify
from finance.rulebook.load import Rule
from finance.schema import COST_SCALE, KINDS, RATE_SCALE, VAT_RATE_PLACES
from finance.statement import Statement, read_statement
from finance.zones import DEFAULT

EXPECTED_SUFFIX = ".expected.csv"
ERROR_SUFFIX = ".expected-error.txt"
INPUT_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xls"}


def _money_text(expr: pl.Expr, scale: int) -> pl.Expr:
    unit = 10**scale
    return pl.concat_str(
        [
            pl.when(expr < 0).then(pl.lit("-")).otherwise(pl.lit("")),
            (expr.abs() // unit).cast(pl.String),
            pl.lit("."),
            (expr.abs() % unit).cast(pl.String).str.zfill(scale),
        ]
    )


def as_text(rows: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Canonical rows as readable text columns."""
    fields = KINDS[kind]
    exprs = []
    for name, dtype in rows.schema.items():
        col = pl.col(name)
        ftype = fields[name].type if name in fields else ""
        if ftype in ("amount", "cost", "rate") or name == "amount":
            scale = {"cost": COST_SCALE, "rate": RATE_SCALE}.get(ftype, 2)
            exprs.append(_money_text(col, scale).alias(name))
        elif ftype == "percent":
            exprs.append(_money_text(col, VAT_RATE_PLACES).alias(name))
        elif dtype == pl.Datetime("us"):
            exprs.append(col.dt.strftime("%Y-%m-%d %H:%M:%S").alias(name))
        else:
            exprs.append(col.cast(pl.String).alias(name))
    return rows.select(exprs)


def normalise_file(
    path: Path, rules: list[Rule], *, shop: str | None = "测试店铺", timezone: str = DEFAULT
) -> tuple[Rule, pl.DataFrame]:
    """``path``'s canonical rows as text, every sheet's (``read_file``). Golden fixtures are
    normalised in the default zone (Beijing time), so they read the same in every workspace."""
    statement = read_file(path, rules, shop=shop, timezone=timezone)
    return statement.rule, as_text(statement.rows(), statement.rule.kind)


def read_file(
    path: Path, rules: list[Rule], *, shop: str | None = "测试店铺", timezone: str = DEFAULT
) -> Statement:
    """A file recognised, read whole and checked (``finance.statement``), every part of it
    given ``shop`` when the file does not say."""
    source = open_source(path)
    match = identify(source, rules)
    return read_statement(
        source,
        match,
        rules,
        lambda _rule, _header: Context(file=path.name, default_shop=shop, timezone=timezone),
    )


@dataclass(frozen=True)
class CaseResult:
    case: Path
    ok: bool
    diff: str = ""
    written: bool = False


def cases(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() in INPUT_SUFFIXES
        and not p.name.endswith((EXPECTED_SUFFIX, ERROR_SUFFIX))
    )


def actual_text(case: Path, rules: list[Rule]) -> tuple[Path, str]:
    """What the case produces now: canonical rows as CSV, or the error message."""
    try:
        _, rows = normalise_file(case, rules)
    except FinanceError as error:
        return case.with_name(case.name + ERROR_SUFFIX), error.render("en") + "\n"
    return case.with_name(case.name + EXPECTED_SUFFIX), rows.write_csv()


def check(case: Path, rules: list[Rule], *, write: bool = False, force: bool = False) -> CaseResult:
    """Compare a case with its expected file; ``write`` creates a missing one (``force``: any)."""
    expected_path, actual = actual_text(case, rules)
    if not expected_path.exists() or force:
        if write or force:
            expected_path.write_text(actual, encoding="utf-8")
            return CaseResult(case, True, written=True)
        return CaseResult(case, False, diff=f"missing {expected_path.name}")
    expected = expected_path.read_text(encoding="utf-8")
    if expected == actual:
        return CaseResult(case, True)
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=expected_path.name,
            tofile="actual",
        )
    )
    return CaseResult(case, False, diff=diff)
