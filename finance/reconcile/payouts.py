"""Settlements against payouts: platform withdrawals (``transfer`` entries such as 提现) against
the bank's receipts, by amount and a date window.

A withdrawal matches a receipt of the same amount booked on its day or up to ``payout_days``
later; a receipt left over may bundle several withdrawals of one shop (consecutive days whose sum
is the receipt, the last of them within the window). Whatever is left on either side is a
``payout_unmatched`` exception. Payouts are a handful of rows a month, so matching walks them in
Python; everything that feeds it is selected column-wise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import polars as pl

from finance.money import cents_to_text
from finance.reconcile.checks.books import FINDING, Books, _finish, _source
from finance.reconcile.contracts import Contracts
from finance.reconcile.text import detail

BUNDLE_SPAN_DAYS = 14
"""How far back a bank receipt may reach for the withdrawals it bundles."""


@dataclass(frozen=True)
class Payouts:
    findings: pl.DataFrame  # FINDING rows: unmatched withdrawals and receipts
    matches: pl.DataFrame  # receipt_key, withdrawal_key, platform, shop, amount


def withdrawals(books: Books, contracts: Contracts) -> pl.DataFrame:
    """This month's withdrawals: transfer entries whose fee name is a payout of the platform."""
    cond: pl.Expr = pl.lit(False)
    for platform, shop, pattern, _bank in contracts.payout:
        cond |= (
            (pl.col("platform") == platform)
            & (pl.lit(True) if shop is None else pl.col("shop") == shop)
            & pl.col("fee_name").fill_null("").str.contains(pattern)
        )
    return (
        books.in_month()
        .filter(pl.col("category") == "transfer", pl.col("amount") < 0, cond)
        .with_columns(amount=-pl.col("amount"), day=pl.col("posted_at").dt.date())
        .sort("posted_at", "natural_key")
        .collect()
    )


def receipts(books: Books, contracts: Contracts) -> pl.DataFrame:
    """Bank receipts that are platform payouts (counterparty or memo names the platform)."""
    text = pl.concat_str(
        [pl.col("counterparty").fill_null(""), pl.col("memo").fill_null("")], separator=" "
    )
    platform: pl.Expr = pl.lit(None, pl.String)
    for name, _shop, _w, pattern in reversed(contracts.payout):
        platform = pl.when(text.str.contains(pattern)).then(pl.lit(name)).otherwise(platform)
    return (
        books.bank.filter(pl.col("amount") > 0)
        .with_columns(payout_platform=platform, day=pl.col("booked_at").dt.date())
        .filter(pl.col("payout_platform").is_not_null())
        .sort("booked_at", "natural_key")
    )


def match(books: Books, contracts: Contracts) -> Payouts:
    """Match withdrawals with receipts; list what is left on either side."""
    out = withdrawals(books, contracts)
    got = receipts(books, contracts)
    window = timedelta(days=contracts.payout_days)
    w_rows = out.select("natural_key", "platform", "shop", "day", "amount").rows(named=True)
    r_rows = got.select("natural_key", "payout_platform", "day", "amount").rows(named=True)
    used_w: set[str] = set()
    used_r: set[str] = set()
    pairs: list[tuple[str, str, str, str, int]] = []
    for w in w_rows:  # one withdrawal, one receipt
        for r in r_rows:
            if (
                r["natural_key"] not in used_r
                and r["payout_platform"] == w["platform"]
                and r["amount"] == w["amount"]
                and w["day"] <= r["day"] <= w["day"] + window
            ):
                used_w.add(w["natural_key"])
                used_r.add(r["natural_key"])
                pairs.append(
                    (r["natural_key"], w["natural_key"], w["platform"], w["shop"], w["amount"])
                )
                break
    for r in r_rows:  # one receipt bundling consecutive withdrawals of one shop
        if r["natural_key"] in used_r:
            continue
        pool = [
            w
            for w in w_rows
            if w["natural_key"] not in used_w
            and w["platform"] == r["payout_platform"]
            and r["day"] - timedelta(days=BUNDLE_SPAN_DAYS) <= w["day"] <= r["day"]
        ]
        bundle = _bundle(pool, r["amount"], r["day"] - window)
        if bundle:
            used_r.add(r["natural_key"])
            for w in bundle:
                used_w.add(w["natural_key"])
                pairs.append(
                    (r["natural_key"], w["natural_key"], w["platform"], w["shop"], w["amount"])
                )
    matches = pl.DataFrame(
        pairs,
        schema={
            "receipt_key": pl.String,
            "withdrawal_key": pl.String,
            "platform": pl.String,
            "shop": pl.String,
            "amount": pl.Int64,
        },
        orient="row",
    )
    days = pl.lit(contracts.payout_days)
    left_w = out.filter(~pl.col("natural_key").is_in(list(used_w)))
    left_r = got.filter(
        ~pl.col("natural_key").is_in(list(used_r)), pl.col("booked_at") <= books.end
    )
    findings = pl.concat(
        [
            _finish(
                left_w.with_columns(
                    ident=pl.concat_str([pl.lit("payout|withdrawal|"), pl.col("natural_key")]),
                    kind=pl.lit("payout_unmatched"),
                    order_id=pl.lit(None, pl.String),
                    sku=pl.lit(None, pl.String),
                    sources=_source(),
                    **detail(
                        "recon_withdrawal_unmatched",
                        amount=cents_to_text(pl.col("amount")),
                        date=pl.col("day").cast(pl.String),
                        days=days,
                    ),
                )
            ),
            _finish(
                left_r.with_columns(
                    ident=pl.concat_str([pl.lit("payout|bank|"), pl.col("natural_key")]),
                    kind=pl.lit("payout_unmatched"),
                    platform=pl.col("payout_platform"),
                    shop=pl.col("account").fill_null(""),
                    sources=_source(),
                    **detail(
                        "recon_bank_unmatched",
                        amount=cents_to_text(pl.col("amount")),
                        date=pl.col("day").cast(pl.String),
                        counterparty=pl.col("counterparty").fill_null(pl.col("memo")),
                    ),
                )
            ),
        ]
    ).select(list(FINDING))
    return Payouts(findings, matches)


def _bundle(pool: list[dict], amount: int, latest_from: object) -> list[dict]:
    """The shortest run of consecutive withdrawals (by date) of one shop summing to ``amount``,
    whose last withdrawal is on or after ``latest_from``; empty if there is none."""
    best: list[dict] = []
    for shop in sorted({w["shop"] for w in pool}):
        rows = [w for w in pool if w["shop"] == shop]
        for start in range(len(rows)):
            total = 0
            for end in range(start, len(rows)):
                total += rows[end]["amount"]
                if total > amount:
                    break
                if total == amount and end > start and rows[end]["day"] >= latest_from:
                    run = rows[start : end + 1]
                    if not best or len(run) < len(best):
                        best = run
                    break
    return best
