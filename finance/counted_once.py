"""Money two files describe, counted once (docs/formats.md, "Money never counted twice").

An ad report and a statement's ad charge are the same money: Amazon's ``Cost of Advertising``
and the Sponsored Products report, JD's 京准通 in the 结算单 and the 京准通 report, an ad-account
top-up and the report of what it paid for. The report's rules file declares which statement rows
it describes again (``[[supersedes]]``). For a month and shop for which the report is imported,
those rows are a payment: their category becomes ``transfer`` (the report's spend is the cost,
placed on the SKUs it names) and reconciliation sets them against the report's total, showing
the difference. Without the report they keep their own category (a charge stays advertising,
spread at shop level) and ``finance status`` names the report that would place it.

This is decided when a month is computed, never when a file is imported, so the order in which
the two files arrive changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from finance.rulebook import Rule, load_rules


@dataclass(frozen=True)
class Pair:
    """A report (``report``, rows of ``category``) and the statement rows it describes again:
    rows of ``formats`` on ``platform`` whose fee name matches ``fee_name``."""

    report: str
    platform: str
    category: str
    formats: tuple[str, ...]
    fee_name: str


def pairs_of(rules: Sequence[Rule]) -> tuple[Pair, ...]:
    """Every ``[[supersedes]]`` of ``rules``, as pairs."""
    return tuple(
        Pair(rule.name, rule.platform, rule.category or "advertising", s.formats, s.fee_name)
        for rule in rules
        for s in rule.supersedes
    )


def load_pairs(folder: Path) -> tuple[Pair, ...]:
    """The pairs a workspace's rules declare (``folder``: its ``rules/``)."""
    return pairs_of(load_rules(folder))


STATEMENT_CATEGORIES = ("transfer",)
"""Besides the report's own category, statement rows may be a top-up (already a transfer)."""

COMPARISON_SCHEMA = {
    "month": pl.String,
    "platform": pl.String,
    "shop": pl.String,
    "report": pl.String,
    "statement": pl.String,
    "fee_name": pl.String,
    "currency": pl.String,
    "report_total": pl.Int64,
    "charges": pl.Int64,
    "top_ups": pl.Int64,
    "report_imported": pl.Boolean,
}
"""A month, shop and pair: the report's spend and the statement's charges and top-ups (cents,
positive = money spent), and whether the report is imported (then the charges are a payment)."""


def _with_format(entries: pl.DataFrame, files: pl.DataFrame) -> pl.DataFrame:
    formats = dict(zip(files["id"].to_list(), files["format"].to_list(), strict=True))
    return entries.with_columns(
        __format=pl.col("file_id").replace_strict(formats, default=None, return_dtype=pl.String)
    )


TAGGED_COLUMNS = (
    "file_id",
    "source_row",
    "platform",
    "shop",
    "month",
    "category",
    "fee_name",
    "amount",
    "currency",
)
"""The columns of an entry the pairing reads (the month's ledger is copied no wider)."""


def _tagged(entries: pl.DataFrame, files: pl.DataFrame, pairs: Sequence[Pair]) -> pl.DataFrame:
    """The rows some pair concerns, each with ``__pair`` (the pair's index) and ``__role``
    (``report`` or ``statement``); ``__i`` is the row's position in ``entries``."""
    empty = entries.select([c for c in TAGGED_COLUMNS if c in entries.columns]).head(0)
    empty = empty.with_columns(
        __i=pl.lit(0, pl.UInt32),
        __format=pl.lit("", pl.String),
        __pair=pl.lit(0, pl.Int64),
        __role=pl.lit("", pl.String),
    )
    if not pairs or entries.height == 0:
        return empty
    needed = [c for c in TAGGED_COLUMNS if c in entries.columns]
    names = {p.report for p in pairs} | {f for p in pairs for f in p.formats}
    ids = files.filter(pl.col("format").is_in(list(names)))["id"]
    frame = _with_format(
        entries.lazy()
        .select(needed)
        .with_row_index("__i")
        .filter(pl.col("file_id").is_in(ids.implode()))
        .collect(),
        files,
    )
    pieces = []
    for i, pair in enumerate(pairs):
        pieces.append(
            frame.filter(pl.col("__format") == pair.report).with_columns(
                __pair=pl.lit(i, pl.Int64), __role=pl.lit("report")
            )
        )
        # cheap conditions first: the fee-name pattern only sees the few candidate rows
        candidates = frame.filter(
            pl.col("category").is_in([pair.category, *STATEMENT_CATEGORIES])
            & (pl.col("platform") == pair.platform)
            & pl.col("__format").is_in(list(pair.formats))
        )
        pieces.append(
            candidates.filter(
                pl.col("fee_name").fill_null("").str.contains(pair.fee_name)
            ).with_columns(__pair=pl.lit(i, pl.Int64), __role=pl.lit("statement"))
        )
    tagged = pl.concat(pieces)
    # a row two pairs claim belongs to the first (rules files are read in name order)
    return tagged.sort("__pair").unique(subset=["__i", "__role"], keep="first")


def _imported(tagged: pl.DataFrame) -> pl.DataFrame:
    """(pair, platform, shop, month) for which the pair's report has rows."""
    return (
        tagged.filter(pl.col("__role") == "report")
        .select("__pair", "platform", "shop", "month")
        .unique()
    )


def superseded(entries: pl.DataFrame, files: pl.DataFrame, pairs: Sequence[Pair]) -> pl.Series:
    """True for each entry a report imported for its month and shop describes again."""
    tagged = _tagged(entries, files, pairs)
    hit = tagged.filter(pl.col("__role") == "statement").join(
        _imported(tagged), on=["__pair", "platform", "shop", "month"], how="semi"
    )
    if hit.height == 0:
        return pl.repeat(False, entries.height, dtype=pl.Boolean, eager=True).alias("superseded")
    index = pl.int_range(0, entries.height, dtype=pl.UInt32, eager=True)
    return index.is_in(hit["__i"].implode()).alias("superseded")


def count_once(entries: pl.DataFrame, files: pl.DataFrame, pairs: Sequence[Pair]) -> pl.DataFrame:
    """``entries`` (ledger rows with ``file_id`` and ``month``) with each statement row that a
    report imported for its month and shop describes again turned into a ``transfer``."""
    if not pairs or entries.height == 0:
        return entries
    flag = superseded(entries, files, pairs)
    if not flag.any():
        return entries
    return entries.with_columns(
        category=pl.when(flag).then(pl.lit("transfer")).otherwise(pl.col("category"))
    )


def comparison(entries: pl.DataFrame, files: pl.DataFrame, pairs: Sequence[Pair]) -> pl.DataFrame:
    """Per month, shop and pair: the report's spend against the statement's charges (rows of
    the report's category, as their own rules classify them) and top-ups (transfers), in the
    currency they were posted in (``COMPARISON_SCHEMA``). ``entries``: ledger rows as stored."""
    tagged = _tagged(entries, files, pairs)
    if tagged.height == 0:
        return pl.DataFrame(schema=COMPARISON_SCHEMA)
    category = pl.col("__pair").replace_strict(
        {i: p.category for i, p in enumerate(pairs)}, return_dtype=pl.String
    )
    keys = ["__pair", "month", "platform", "shop", "currency"]
    report = (
        tagged.filter(pl.col("__role") == "report")
        .group_by(keys)
        .agg(report_total=-pl.col("amount").sum())
    )
    statement = (
        tagged.filter(pl.col("__role") == "statement")
        .with_columns(__charge=pl.col("category") == category)
        .group_by(keys)
        .agg(
            charges=-pl.col("amount").filter(pl.col("__charge")).sum(),
            top_ups=-pl.col("amount").filter(~pl.col("__charge")).sum(),
            fee_name=pl.col("fee_name").sort().first(),
            statement=pl.col("__format").sort().first(),
        )
    )
    imported = _imported(tagged).with_columns(report_imported=pl.lit(True))
    return (
        report.join(statement, on=keys, how="full", coalesce=True)
        .join(imported, on=["__pair", "platform", "shop", "month"], how="left")
        .with_columns(
            report=pl.col("__pair").replace_strict(
                {i: p.report for i, p in enumerate(pairs)}, return_dtype=pl.String
            ),
            statement=pl.coalesce(
                "statement",
                pl.col("__pair").replace_strict(
                    {i: ", ".join(p.formats) for i, p in enumerate(pairs)},
                    return_dtype=pl.String,
                ),
            ),
            report_total=pl.col("report_total").fill_null(0),
            charges=pl.col("charges").fill_null(0),
            top_ups=pl.col("top_ups").fill_null(0),
            report_imported=pl.col("report_imported").fill_null(False),
        )
        .select(list(COMPARISON_SCHEMA))
        .cast(COMPARISON_SCHEMA)  # type: ignore[arg-type]
        .sort("month", "platform", "shop", "report", "currency")
    )
