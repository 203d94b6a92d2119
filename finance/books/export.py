"""``finance export books``: a month's vouchers in the format the user's software reads.

``render(ws, store, month, fmt)`` returns the file's bytes: ``csv`` (the generic voucher-line
CSV, ``CSV_COLUMNS``), ``kis``, ``k3``, ``u8`` (voucher-import workbooks laid out by
``rules/books/<fmt>.toml``), ``beancount`` or ``hledger``. The same month gives the same bytes
every time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import polars as pl
from sqlalchemy import column

from finance import i18n
from finance.books.journals import account_name, beancount, clearing_accounts, hledger
from finance.books.layouts import cells, load_layout, workbook_bytes
from finance.books.postings import foreign, rate_text, resolve, with_files
from finance.books.vouchers import Books, month_vouchers
from finance.errors import FinanceError
from finance.fx import stored_rates, to_base
from finance.money import cents_to_text, format_cents
from finance.store import Store
from finance.workspace import Workspace

FORMATS = ("csv", "kis", "k3", "u8", "beancount", "hledger")
WORKBOOKS = ("kis", "k3", "u8")
CSV_COLUMNS = [
    "voucher",
    "date",
    "period",
    "word",
    "number",
    "line",
    "summary",
    "account_code",
    "account_name",
    "debit",
    "credit",
    "currency",
    "rate",
    "amount_fc",
    "aux",
    "platform",
    "shop",
    "category",
    "source_file",
    "source_rows",
]
"""The generic CSV's columns, in order (a contract: add only at the end)."""


@dataclass(frozen=True)
class Export:
    data: bytes
    books: Books

    @property
    def vouchers(self) -> int:
        return self.books.lines["voucher"].n_unique()

    @property
    def lines(self) -> int:
        return self.books.lines.height

    def suspense(self, lang: str) -> list[str]:
        """The suspense balance the month leaves (unclassified money), said in ``lang``."""
        return suspense_notes(self.books, lang)


def suspense_balance(books: Books) -> int:
    """What the month's vouchers leave on the suspense account (credit positive, cents)."""
    held = books.lines.filter(pl.col("role") == "unclassified")
    return int(held["credit"].sum() - held["debit"].sum()) if held.height else 0


def suspense_notes(books: Books, lang: str) -> list[str]:
    cents = suspense_balance(books)
    if cents == 0:
        return []
    account = books.chart.account("unclassified")
    return [
        i18n.text(
            "books_suspense",
            lang,
            account=f"{account.code} {account.name}",
            amount=f"{format_cents(cents, grouped=True)} {books.base}",
            month=books.month,
        )
    ]


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise FinanceError("books_bad_format", value=fmt, choices=", ".join(FORMATS))
    return fmt


def csv_frame(books: Books) -> pl.DataFrame:
    """The voucher lines as the generic CSV's text columns."""
    blank = pl.lit(None, pl.String)
    return books.lines.select(
        "voucher",
        pl.col("date").cast(pl.String),
        "period",
        "word",
        pl.col("number").cast(pl.String),
        pl.col("line").cast(pl.String),
        "summary",
        "account_code",
        "account_name",
        debit=pl.when(pl.col("debit") != 0).then(cents_to_text(pl.col("debit"))).otherwise(blank),
        credit=pl.when(pl.col("credit") != 0)
        .then(cents_to_text(pl.col("credit")))
        .otherwise(blank),
        currency=pl.col("currency").fill_null(books.base),
        rate=pl.when(pl.col("fx_rate").is_not_null())
        .then(rate_text(pl.col("fx_rate")))
        .when(pl.col("amount_fc").is_null())
        .then(pl.lit("1")),
        amount_fc=pl.when(pl.col("amount_fc").is_not_null())
        .then(cents_to_text(pl.col("amount_fc")))
        .otherwise(blank),
        aux=pl.when(pl.col("aux") != "").then(pl.col("aux")),
        platform="platform",
        shop="shop",
        category="category",
        source_file=pl.when(pl.col("source_file") != "").then(pl.col("source_file")),
        source_rows=pl.when(pl.col("source_rows") != "").then(pl.col("source_rows")),
    )


def csv_bytes(books: Books) -> bytes:
    buffer = io.BytesIO()
    csv_frame(books).write_csv(buffer)
    return buffer.getvalue()


def render(ws: Workspace, store: Store, month: str, fmt: str) -> Export:
    """The month's books in ``fmt`` as bytes."""
    check_format(fmt)
    books = month_vouchers(ws, store, month)
    if fmt == "csv":
        data = csv_bytes(books)
    elif fmt in WORKBOOKS:
        layout = load_layout(ws.rules, fmt)
        rows = cells(books.lines, layout, base=books.base, preparer=books.chart.preparer)
        data = workbook_bytes(rows, layout)
    elif fmt == "beancount":
        data = beancount(books).encode("utf-8")
    else:
        data = hledger(books, opening=opening(ws, store, books)).encode("utf-8")
    return Export(data, books)


def opening(ws: Workspace, store: Store, books: Books) -> dict[str, int]:
    """The clearing accounts' balances at the start of the month (journal account name ->
    cents): every earlier ledger row through the same accounts, and each foreign settlement
    paid out before the month emptied of its exchange difference."""
    chart, base = books.chart, books.base
    earlier = store.frame("ledger", column("month") < books.month)
    if earlier.is_empty():
        return {}
    rows = resolve(with_files(to_base(earlier, stored_rates(store), base), store.files()), chart)
    sides = pl.concat(
        [
            rows.select(role="home", amount="amount"),
            rows.select(role="other", amount=-pl.col("amount")),
        ]
    )
    in_fc = foreign(chart, base)
    settled = rows.filter(pl.col("home").is_in(in_fc) & (pl.col("settlement") != ""))
    paid = settled.filter(pl.col("category") == "transfer").select("platform", "settlement")
    left = (
        settled.join(paid.unique(), on=["platform", "settlement"])
        .group_by("platform", "shop", "settlement", "home")
        .agg(fc=pl.col("original_amount").sum(), amount=pl.col("amount").sum())
        .filter((pl.col("fc") == 0) & (pl.col("amount") != 0))
        .select(role="home", amount=-pl.col("amount"))
    )
    totals = pl.concat([sides, left]).group_by("role").agg(pl.col("amount").sum())
    wanted = {a.role: account_name(a.type, a.code) for a in clearing_accounts(books)}
    out: dict[str, int] = {}
    for role, cents in totals.iter_rows():
        if role in wanted:
            out[wanted[role]] = out.get(wanted[role], 0) + int(cents)
    return out
