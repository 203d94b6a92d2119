"""A month's vouchers (记账凭证): pairs become lines, VAT is split out, vouchers are numbered.

``month_vouchers(ws, store, month)`` is the books of a month as one frame of voucher lines
(``LINE_SCHEMA``): per shop and month (``granularity = "month"``), or per settlement / payout
where the platform names one (``"settlement"``); then the shop's month-end voucher (COGS,
unsellable returns written off, accruals). Every voucher balances (借 = 贷) and every line has
one side. A settlement that spans two months is split at the month boundary by construction:
each month's books hold only the rows posted in it. Where a settlement in a foreign currency
is paid out, its clearing account is emptied in both currencies: what is left in the base
currency is the exchange difference, booked to finance costs.

With ``[tax]`` set, output VAT comes out of the sales lines (sales ex VAT + output VAT = the
gross, to the fen) and input VAT out of the cost lines it is inside of; the VAT of a shop is the
margins' VAT (``finance.books.vat``), split over the shop's vouchers by largest remainder.

A closed month's vouchers are the ones kept at its close.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import column

from finance import i18n
from finance.books.accounts import Chart, load_chart
from finance.books.postings import (
    PAIR_SCHEMA,
    foreign,
    money_pairs,
    month_end_pairs,
    resolve,
    with_files,
)
from finance.books.vat import Tax, load_tax, shop_vat
from finance.fx import stored_rates, to_base
from finance.margin import MonthResult
from finance.money import split
from finance.month import check_month, month_result
from finance.schema import CATEGORIES
from finance.store import Store, closing
from finance.workspace import Workspace

LINE_SCHEMA: dict[str, pl.DataType] = {
    "voucher": pl.String,
    "date": pl.Date,
    "period": pl.String,
    "word": pl.String,
    "number": pl.Int64,
    "line": pl.Int64,
    "summary": pl.String,
    "account_code": pl.String,
    "account_name": pl.String,
    "account_type": pl.String,
    "debit": pl.Int64,  # cents, 0 on a credit line
    "credit": pl.Int64,  # cents, 0 on a debit line
    "currency": pl.String,
    "fx_rate": pl.Int64,  # 1/10^8; null for the base currency
    "amount_fc": pl.Int64,  # the line's amount in its currency (positive), null in the base
    "aux": pl.String,
    "platform": pl.String,
    "shop": pl.String,
    "category": pl.String,
    "role": pl.String,
    "source_file": pl.String,
    "source_rows": pl.String,
}
"""One voucher line. The export formats are written from these columns."""

ORDER = {c: i for i, c in enumerate([*CATEGORIES, "output_vat", "input_vat", "fx_difference"])}


@dataclass(frozen=True)
class Books:
    """A month's voucher lines and what they were built with."""

    month: str
    lines: pl.DataFrame
    chart: Chart
    base: str
    closed: bool = False


def month_end(month: str) -> date:
    year, mon = (int(p) for p in month.split("-"))
    return date(year, mon, calendar.monthrange(year, mon)[1])


def month_vouchers(ws: Workspace, store: Store, month: str) -> Books:
    """The books of ``month`` (the ones kept at its close when it is closed)."""
    check_month(month)
    chart = load_chart(ws.rules)
    with store.engine.connect() as conn:
        kept = closing.snapshot(conn, month)
    if kept is not None and "vouchers" in kept:
        return Books(month, kept["vouchers"], chart, ws.base_currency, closed=True)
    result = month_result(ws, store, month)
    lines = build(
        result, chart, ws.base_currency, tax=load_tax(ws.settings), store=store, lang=ws.language
    )
    return Books(month, lines, chart, ws.base_currency)


def build(
    result: MonthResult,
    chart: Chart,
    base: str,
    *,
    tax: Tax | None = None,
    store: Store | None = None,
    lang: str = "zh-CN",
) -> pl.DataFrame:
    """The voucher lines of a month's result (``LINE_SCHEMA``)."""
    rows = resolve(with_files(result.entries, result.files), chart)
    pairs = pl.concat(
        [
            money_pairs(rows, chart, base),
            fx_pairs(rows, chart, base, store, result.month),
            month_end_pairs(result.parts, month_end(result.month)),
        ]
    )
    lines = pair_lines(pairs, chart)
    if tax is not None and tax.active:
        lines = with_vat(lines, shop_vat(result.pnl, tax), chart)
    return finish(lines, chart, result.month, lang)


def fx_pairs(
    rows: pl.DataFrame, chart: Chart, base: str, store: Store | None, month: str
) -> pl.DataFrame:
    """For each settlement paid out this month from a foreign-currency clearing account: what
    its rows (in any month up to this one) leave in the base currency once the foreign amount
    is zero, to finance costs (exchange difference)."""
    in_fc = foreign(chart, base)
    payouts = rows.filter(
        (pl.col("category") == "transfer")
        & pl.col("home").is_in(in_fc)
        & (pl.col("settlement") != "")
    )
    if payouts.is_empty() or store is None:
        return pl.DataFrame(schema=PAIR_SCHEMA)
    ids = payouts.select("platform", "settlement").unique()
    fields = {p: chart.settlement[p] for p in ids["platform"].unique().to_list()}
    frames = []
    for platform, name in sorted(fields.items()):
        wanted = ids.filter(pl.col("platform") == platform)["settlement"].to_list()
        found = store.frame("ledger", column("platform") == platform).filter(
            pl.col(name).cast(pl.String).is_in(wanted) & (pl.col("month") <= month)
        )
        frames.append(found)
    every = pl.concat(frames, how="diagonal_relaxed")
    every = to_base(every, stored_rates(store), base)
    every = resolve(with_files(every, store.files()), chart).filter(pl.col("home").is_in(in_fc))
    totals = every.group_by("platform", "shop", "settlement", "home").agg(
        fc=pl.col("original_amount").sum(), amount=pl.col("amount").sum()
    )
    when = payouts.group_by("platform", "shop", "settlement", "home").agg(
        date=pl.col("posted_at").max().dt.date(), currency=pl.col("original_currency").first()
    )
    left = totals.join(when, on=["platform", "shop", "settlement", "home"]).filter(
        (pl.col("fc") == 0) & (pl.col("amount") != 0)
    )
    return left.select(
        kind=pl.lit("money"),
        platform="platform",
        shop="shop",
        settlement=pl.col("settlement") if chart.granularity == "settlement" else pl.lit(""),
        category=pl.lit("fx_difference"),
        home="home",
        other=pl.lit("fx_difference"),
        currency="currency",
        fx_rate=pl.lit(None, pl.Int64),
        amount=-pl.col("amount"),
        fc=pl.lit(0, pl.Int64),
        date="date",
        source_file=pl.lit(""),
        source_rows=pl.lit(""),
    ).cast(PAIR_SCHEMA)  # type: ignore[arg-type]


def pair_lines(pairs: pl.DataFrame, chart: Chart) -> pl.DataFrame:
    """Two lines per pair: the home account's (+amount, debit when positive) and the other's."""
    roles = sorted({*pairs["home"].to_list(), *pairs["other"].to_list()})
    for role in roles:
        chart.account(role)
    code = {r: chart.account(r).code for r in roles}
    currency = {r: chart.account(r).currency for r in roles}
    rank = pl.col("category").replace_strict(ORDER, default=len(ORDER), return_dtype=pl.Int64)
    pairs = (
        pairs.with_columns(
            __rank=rank,
            __home=pl.col("home").replace_strict(code, default=""),
            __other=pl.col("other").replace_strict(code, default=""),
        )
        .sort(
            [
                "kind",
                "platform",
                "shop",
                "settlement",
                "__rank",
                "__other",
                "__home",
                "currency",
                "fx_rate",
            ],
            nulls_last=True,
        )
        .with_columns(pair=pl.int_range(pl.len()))
        .drop("__rank", "__home", "__other")
    )

    def side(role: str, sign: int) -> pl.DataFrame:
        own = pl.col(role).replace_strict(currency, default=None, return_dtype=pl.String)
        return pairs.select(
            *[c for c in pairs.columns if c not in ("home", "other", "amount", "fc")],
            role=pl.col(role),
            amount=pl.col("amount") * sign,
            fc=pl.when(own.is_not_null() & (own == pl.col("currency"))).then(pl.col("fc") * sign),
            counter=pl.col("other"),
            end=pl.lit(role),
        )

    return pl.concat([side("home", 1), side("other", -1)])


def with_vat(lines: pl.DataFrame, vat: pl.DataFrame, chart: Chart) -> pl.DataFrame:
    """Output VAT out of the sales lines, input VAT out of the cost lines, per shop, split over
    the shop's lines of the category by largest remainder."""
    if vat.is_empty():
        return lines
    out = lines
    adds = []
    jobs = [("output_vat", "sales", "output_vat")] + [
        (c, c.removeprefix("input_"), "input_vat") for c in vat.columns if c.startswith("input_")
    ]
    for column_name, category, role in jobs:
        chart.account(role)
        totals = vat.select("platform", "shop", vat=pl.col(column_name)).filter(pl.col("vat") != 0)
        if totals.is_empty():
            continue
        target = (pl.col("category") == category) & (pl.col("end") == "other")
        sign = -1 if category == "sales" else 1  # sales lines are credits (negative)
        shares = (
            out.filter(target)
            .select("pair", "platform", "shop", weight=pl.col("amount") * sign)
            .join(totals, on=["platform", "shop"], how="inner", nulls_equal=True)
            .with_columns(__g=pl.concat_str("platform", "shop", separator="\x1f"))
            .pipe(
                split, group=["__g"], amount="vat", weight="weight", tiebreak=["pair"], out="share"
            )
            .select("pair", "share")
        )
        if shares.is_empty():
            continue
        # the category's line gives up its VAT; a COGS pair's inventory line too (stock is
        # carried ex VAT), every other pair gets a VAT line beside it
        moved = out.join(shares, on="pair", how="left").with_columns(pl.col("share").fill_null(0))
        change = pl.when(target).then(-pl.col("share") * sign)
        if category == "cogs":
            change = change.when(pl.col("end") == "home").then(pl.col("share"))
        out = moved.with_columns(amount=pl.col("amount") + change.otherwise(0)).drop("share")
        if category != "cogs":
            adds.append(
                moved.filter(target & (pl.col("share") != 0))
                .with_columns(
                    role=pl.lit(role),
                    category=pl.lit(role),
                    amount=pl.col("share") * sign,
                    fc=pl.lit(None, pl.Int64),
                    currency=pl.lit(None, pl.String),
                    fx_rate=pl.lit(None, pl.Int64),
                    end=pl.lit("vat"),
                    source_file=pl.lit(""),
                    source_rows=pl.lit(""),
                )
                .drop("share")
            )
    return pl.concat([out, *adds], how="diagonal_relaxed") if adds else out


def finish(lines: pl.DataFrame, chart: Chart, month: str, lang: str) -> pl.DataFrame:
    """Voucher numbers, line numbers, summaries and accounts: the ``LINE_SCHEMA`` frame."""
    if lines.is_empty():
        return pl.DataFrame(schema=LINE_SCHEMA)
    roles = lines["role"].unique().to_list()
    accounts = {r: chart.account(r) for r in roles}
    end = month_end(month)
    vouchers = (
        lines.group_by("kind", "platform", "shop", "settlement")
        .agg(last=pl.col("date").max())
        .with_columns(
            word=pl.when(pl.col("kind") == "month_end")
            .then(pl.lit(chart.cost_word))
            .otherwise(pl.lit(chart.word)),
            date=pl.when(pl.col("settlement") != "")
            .then(pl.col("last"))
            .otherwise(pl.lit(end, pl.Date)),
        )
        .sort("kind", "platform", "shop", "settlement")
        .with_columns(number=pl.int_range(1, pl.len() + 1).over("word"))
        .drop("last")
    )
    keys = ["kind", "platform", "shop", "settlement"]
    frame = lines.drop("date").join(vouchers, on=keys, how="left", nulls_equal=True)
    # VAT lines of one voucher become one line
    vat = frame.filter(pl.col("end") == "vat")
    if vat.height:
        vat = (
            vat.group_by([*keys, "role", "category", "word", "date", "number"])
            .agg(amount=pl.col("amount").sum(), pair=pl.col("pair").max())
            .with_columns(end=pl.lit("vat"), counter=pl.lit(None, pl.String))
        )
        frame = pl.concat([frame.filter(pl.col("end") != "vat"), vat], how="diagonal_relaxed")
    frame = frame.filter((pl.col("amount") != 0) | (pl.col("fc").fill_null(0) != 0))
    frame = frame.with_columns(
        summary=summary(chart, month, lang, accounts),
        account_code=pl.col("role").replace_strict({r: a.code for r, a in accounts.items()}),
        account_name=pl.col("role").replace_strict({r: a.name for r, a in accounts.items()}),
        account_type=pl.col("role").replace_strict({r: a.type for r, a in accounts.items()}),
        aux=aux(chart, accounts),
        debit=pl.col("amount").clip(lower_bound=0),
        credit=(-pl.col("amount")).clip(lower_bound=0),
        amount_fc=pl.col("fc").abs(),
        line_currency=pl.col("role").replace_strict(
            {r: a.currency for r, a in accounts.items()}, default=None, return_dtype=pl.String
        ),
    ).with_columns(
        currency=pl.when(pl.col("amount_fc").is_not_null())
        .then(pl.col("line_currency"))
        .otherwise(pl.lit(None, pl.String)),
        fx_rate=pl.when(pl.col("amount_fc").is_not_null()).then(pl.col("fx_rate")),
    )
    ordered = frame.sort(
        ["word", "number", "pair", pl.col("end") == "vat", pl.col("debit") == 0], nulls_last=True
    ).with_columns(
        line=pl.int_range(1, pl.len() + 1).over("word", "number"),
        voucher=pl.format("{}-{}", "word", "number"),
        period=pl.lit(month),
    )
    return ordered.select(list(LINE_SCHEMA)).cast(LINE_SCHEMA)  # type: ignore[arg-type]


def summary(chart: Chart, month: str, lang: str, accounts: dict) -> pl.Expr:
    """摘要: platform, shop, month (and settlement) and the item."""
    platforms = {k: v.get(lang, k) for k, v in i18n.section("platforms").items()}
    labels = {k: v.get(lang, k) for k, v in i18n.section("categories").items()}
    labels |= {
        "output_vat": i18n.text("books_item_output_vat", lang),
        "input_vat": i18n.text("books_item_input_vat", lang),
        "fx_difference": i18n.text("books_item_fx", lang),
    }
    names = {r: a.name for r, a in accounts.items()}
    transfer = pl.format(
        i18n.text("books_item_transfer", lang, account="{}"),
        pl.col("counter").replace_strict(names, default=pl.col("counter")),
    )
    item = (
        pl.when((pl.col("category") == "transfer") & pl.col("counter").is_not_null())
        .then(transfer)
        .when(pl.col("kind") == "month_end")
        .then(
            pl.format(
                i18n.text("books_item_month_end", lang, item="{}"),
                pl.col("category").replace_strict(labels, default=pl.col("category")),
            )
        )
        .otherwise(pl.col("category").replace_strict(labels, default=pl.col("category")))
    )
    where = (
        pl.when(pl.col("settlement") != "")
        .then(pl.format(" {}", pl.col("settlement")))
        .otherwise(pl.lit(""))
    )
    return pl.format(
        "{} {} {}{} {}",
        pl.col("platform").replace_strict(platforms, default=pl.col("platform")),
        pl.col("shop").fill_null("-"),
        pl.lit(month),
        where,
        item,
    )


def aux(chart: Chart, accounts: dict) -> pl.Expr:
    """辅助核算 of a line: ``customer=<shop>;project=<platform>`` where the chart asks for it and
    the account carries it."""
    parts = []
    for name, value in (("customer", pl.col("shop")), ("project", pl.col("platform"))):
        if name not in chart.aux:
            continue
        carries = [r for r, a in accounts.items() if name in a.aux]
        parts.append(
            pl.when(pl.col("role").is_in(carries) & value.is_not_null()).then(
                pl.format(f"{name}={{}}", value)
            )
        )
    if not parts:
        return pl.lit("")
    return pl.concat_str(parts, separator=";", ignore_nulls=True).fill_null("")
