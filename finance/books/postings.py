"""A month's money as *pairs*: one amount between two accounts, before it becomes two voucher
lines.

Every ledger row of the month is a pair between its *home* account (where the statement's money
sits: ``[[clearing]]``, by platform, shop and rules file) and its *other* account (its
category's account; for a transfer, the account ``[[transfer]]`` names by fee name). A row's
amount is signed as the statement signs it (money into the home account positive), so a sale
debits the clearing account and credits sales, a fee debits its expense and credits the
clearing account, a withdrawal debits the bank. What the allocation adds that no statement
row carries (COGS and unsellable returns at unit cost, the fixed costs of allocation.toml) is
a pair against inventory or accrued costs, in the shop's month-end voucher.

Rows are summed per voucher, category, the two accounts and (for an account kept in a foreign
currency) the exchange rate used, so every pair keeps its foreign amount and its rate exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from finance.books.accounts import Account, Chart
from finance.schema import RATE_SCALE

PAIR_SCHEMA: dict[str, pl.DataType] = {
    "kind": pl.String,  # money (a statement's) | month_end (COGS, write-offs, accruals)
    "platform": pl.String,
    "shop": pl.String,
    "settlement": pl.String,  # "" unless granularity = settlement names one
    "category": pl.String,
    "home": pl.String,  # role of the account the amount goes into when positive
    "other": pl.String,  # role of the account it comes from
    "currency": pl.String,  # the rows' own currency
    "fx_rate": pl.Int64,  # the rate used (1/10^8), for a pair on a foreign-currency account
    "amount": pl.Int64,  # base-currency cents, + = into home
    "fc": pl.Int64,  # the rows' own amount, same sign
    "date": pl.Date,  # the latest posting date among the rows
    "source_file": pl.String,
    "source_rows": pl.String,
}


@dataclass(frozen=True)
class Resolved:
    """Entries with their accounts: ``home`` and ``other`` roles per row."""

    rows: pl.DataFrame
    accounts: dict[str, Account]


def with_files(entries: pl.DataFrame, files: pl.DataFrame) -> pl.DataFrame:
    """Entries with the ``format`` and ``file`` (name) of the file they came from."""
    names = files.select(pl.col("id").alias("file_id"), pl.col("name").alias("file"), "format")
    return entries.join(names, on="file_id", how="left")


def resolve(entries: pl.DataFrame, chart: Chart) -> pl.DataFrame:
    """Entries (with ``format``) with ``home`` and ``other`` account roles and ``settlement``.

    Accounts are looked up once per distinct (platform, shop, format[, fee name]), not per row.
    """
    combos = entries.select("platform", "shop", "format").unique()
    homes = pl.DataFrame(
        [
            {**c, "home": chart.home(c["platform"], c["shop"], c["format"]).role}
            for c in combos.iter_rows(named=True)
        ],
        schema={"platform": pl.String, "shop": pl.String, "format": pl.String, "home": pl.String},
    )
    moves = entries.filter(pl.col("category") == "transfer")
    fee_combos = moves.select("platform", "shop", "format", "fee_name").unique()
    counters = pl.DataFrame(
        [
            {
                **c,
                "counter": chart.counter(c["platform"], c["shop"], c["format"], c["fee_name"]).role,
            }
            for c in fee_combos.iter_rows(named=True)
        ],
        schema={
            "platform": pl.String,
            "shop": pl.String,
            "format": pl.String,
            "fee_name": pl.String,
            "counter": pl.String,
        },
    )
    for category in entries["category"].unique().sort().to_list():
        if category != "transfer":
            chart.account(category)
    keys = ["platform", "shop", "format"]
    out = (
        entries.join(homes, on=keys, how="left", nulls_equal=True)
        .join(counters, on=[*keys, "fee_name"], how="left", nulls_equal=True)
        .with_columns(
            other=pl.when(pl.col("category") == "transfer")
            .then(pl.col("counter"))
            .otherwise(pl.col("category"))
        )
        .drop("counter")
    )
    return out.with_columns(settlement=settlement_of(chart))


def settlement_of(chart: Chart) -> pl.Expr:
    """A row's settlement or payout id where ``[settlement]`` names its platform's field."""
    expr: pl.Expr = pl.lit("")
    for platform, name in sorted(chart.settlement.items()):
        expr = (
            pl.when(pl.col("platform") == platform)
            .then(pl.col(name).cast(pl.String).fill_null(""))
            .otherwise(expr)
        )
    return expr


def foreign(chart: Chart, base: str) -> list[str]:
    """The roles of accounts kept in a currency other than the base."""
    return [r for r, a in chart.accounts.items() if a.currency and a.currency != base]


def money_pairs(rows: pl.DataFrame, chart: Chart, base: str) -> pl.DataFrame:
    """Resolved ledger rows summed into pairs (``PAIR_SCHEMA``)."""
    if rows.is_empty():
        return pl.DataFrame(schema=PAIR_SCHEMA)
    in_fc = foreign(chart, base)
    by_voucher = chart.granularity == "settlement"
    frame = rows.with_columns(
        kind=pl.lit("money"),
        settlement=pl.col("settlement") if by_voucher else pl.lit(""),
        fx_rate=pl.when(
            (pl.col("home").is_in(in_fc) | pl.col("other").is_in(in_fc))
            & (pl.col("original_currency") != base)
        ).then(pl.col("fx_rate")),
        currency=pl.col("original_currency"),
        date=pl.col("posted_at").dt.date(),
    )
    keys = ["kind", "platform", "shop", "settlement", "category", "home", "other", "currency"]
    keys += ["fx_rate"]
    sums = frame.group_by(keys).agg(
        amount=pl.col("amount").sum(),
        fc=pl.col("original_amount").sum(),
        date=pl.col("date").max(),
    )
    return (
        sums.join(sources(frame, keys), on=keys, how="left", nulls_equal=True)
        .filter((pl.col("amount") != 0) | (pl.col("fc") != 0))
        .select(list(PAIR_SCHEMA))
        .cast(PAIR_SCHEMA)  # type: ignore[arg-type]
    )


def month_end_pairs(parts: pl.DataFrame, month_end: object) -> pl.DataFrame:
    """What no statement row carries: COGS and write-offs at unit cost against inventory, the
    fixed costs of allocation.toml (and any other cost the allocation adds) against accrued
    costs. One pair per shop, category and source."""
    added = parts.filter(pl.col("origin") != "ledger")
    if added.is_empty():
        return pl.DataFrame(schema=PAIR_SCHEMA)
    at_cost = pl.col("origin") == "unit costs"
    frame = added.with_columns(
        home=pl.when(at_cost | (pl.col("category") == "cogs"))
        .then(pl.lit("inventory"))
        .otherwise(pl.lit("accrued")),
        source=pl.when(at_cost).then(pl.lit("unit costs")).otherwise(pl.col("origin")),
    )
    sums = frame.group_by("platform", "shop", "category", "home", "source").agg(
        amount=pl.col("amount").sum()
    )
    return (
        sums.filter(pl.col("amount") != 0)
        .select(
            kind=pl.lit("month_end"),
            platform="platform",
            shop="shop",
            settlement=pl.lit(""),
            category="category",
            home="home",
            other="category",
            currency=pl.lit(None, pl.String),
            fx_rate=pl.lit(None, pl.Int64),
            amount="amount",
            fc=pl.lit(None, pl.Int64),
            date=pl.lit(month_end, pl.Date),
            source_file="source",
            source_rows=pl.lit(""),
        )
        .cast(PAIR_SCHEMA)  # type: ignore[arg-type]
    )


def sources(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Per group of ``keys``: the files (``;``-separated) and, per file, its rows as ranges
    (``2-15,18``; files' ranges ``;``-separated in the same order)."""
    rows = (
        frame.select(*keys, pl.col("file").fill_null("?"), "source_row")
        .unique()
        .sort([*keys, "file", "source_row"], nulls_last=True)
    )
    group = [*keys, "file"]
    runs = (
        rows.with_columns(
            run=pl.col("source_row")
            - pl.col("source_row").rank("ordinal").over(group).cast(pl.Int64)
        )
        .group_by([*group, "run"])
        .agg(lo=pl.col("source_row").min(), hi=pl.col("source_row").max())
        .with_columns(
            text=pl.when(pl.col("lo") == pl.col("hi"))
            .then(pl.col("lo").cast(pl.String))
            .otherwise(pl.format("{}-{}", "lo", "hi"))
        )
        .sort([*group, "lo"], nulls_last=True)
    )
    per_file = runs.group_by(group, maintain_order=True).agg(rows=pl.col("text").str.join(","))
    return per_file.group_by(keys, maintain_order=True).agg(
        source_file=pl.col("file").str.join(";"), source_rows=pl.col("rows").str.join(";")
    )


def rate_text(rate: pl.Expr) -> pl.Expr:
    """A rate in 1/10^8 as a decimal string without trailing zeros (``7.1234``)."""
    unit = 10**RATE_SCALE
    frac = (rate % unit).cast(pl.String).str.zfill(RATE_SCALE).str.strip_chars_end("0")
    whole = (rate // unit).cast(pl.String)
    return pl.when(frac == "").then(whole).otherwise(pl.concat_str([whole, pl.lit("."), frac]))
