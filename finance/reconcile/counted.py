"""Reconciliation of money two files describe (``finance.counted_once``): a statement's ad charge
against the ad report that is the cost.

For each month, shop and declared pair: the report's spend, the statement's charges (paid for
that spend) and top-ups (paid into the ad account), and the difference. Where the report is
imported and the statement charged a different amount than the report spent, an
``amount_difference`` exception names both figures (the report's spend stays the cost). Where
no report is imported the lines say where the money went instead (advertising at shop level,
or, for a top-up, nowhere in the margin).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from finance import i18n
from finance.counted_once import COMPARISON_SCHEMA, Pair, comparison, superseded
from finance.money import format_cents
from finance.reconcile.checks.books import (
    Books,
    _finish,
    _join_sources,
    _money,
    _source,
    empty,
)
from finance.reconcile.contracts import Contracts
from finance.reconcile.text import detail


def month_lines(books: Books, pairs: Sequence[Pair]) -> pl.DataFrame:
    """The month's comparison (``counted_once.COMPARISON_SCHEMA``) plus ``difference`` (paid
    less spent, cents: charges and top-ups less the report's total)."""
    if not pairs:
        return pl.DataFrame(schema=COMPARISON_SCHEMA | {"difference": pl.Int64})
    entries = books.in_month().collect()
    lines = comparison(entries, books.formats.rename({"file_id": "id"}), pairs)
    return lines.with_columns(
        difference=pl.col("charges") + pl.col("top_ups") - pl.col("report_total")
    )


def findings(
    books: Books, pairs: Sequence[Pair], contracts: Contracts, lines: pl.DataFrame
) -> pl.DataFrame:
    """A charge the statement took for spend the imported report shows differently."""
    off = lines.filter(
        pl.col("report_imported")
        & (pl.col("charges") != 0)
        & (pl.col("top_ups") == 0)
        & ((pl.col("charges") - pl.col("report_total")).abs() > contracts.amount_tolerance)
    )
    if off.height == 0:
        return empty()
    entries = books.in_month().collect()
    hit = entries.filter(superseded(entries, books.formats.rename({"file_id": "id"}), pairs))
    sources = hit.group_by("platform", "shop", "currency").agg(sources=_join_sources(_source()))
    diff = pl.col("charges") - pl.col("report_total")
    return _finish(
        off.join(sources, on=["platform", "shop", "currency"], how="left").with_columns(
            ident=pl.concat_str(
                [pl.lit("counted-once"), "platform", "shop", "report", "currency", "month"],
                separator="|",
            ),
            kind=pl.lit("amount_difference"),
            amount=diff.abs(),
            **detail(
                "recon_counted_once",
                statement=pl.col("statement"),
                fee=pl.col("fee_name"),
                month=pl.col("month"),
                charged=_money(pl.col("charges")),
                report=pl.col("report"),
                spent=_money(pl.col("report_total")),
                diff=_money(diff),
            ),
        )
    )


def summary_lines(lines: pl.DataFrame, lang: str) -> list[str]:
    """One line per month, shop and pair, in ``lang``: what counted and what was a payment."""
    out = []
    for row in lines.sort("platform", "shop", "report").iter_rows(named=True):
        money = {
            k: f"{format_cents(int(row[k]), grouped=True)} {row['currency']}"
            for k in ("report_total", "charges", "top_ups", "difference")
        }
        if row["report_imported"] and not (row["charges"] or row["top_ups"]):
            key = "counted_once_report_only"
        elif row["report_imported"]:
            key = "counted_once_line"
        elif row["charges"]:
            key = "counted_once_no_report_charge"
        else:
            key = "counted_once_no_report_top_up"
        out.append(
            i18n.text(
                key,
                lang,
                shop=row["shop"],
                platform=row["platform"],
                report=row["report"],
                statement=row["statement"],
                spent=money["report_total"],
                charged=money["charges"],
                top_ups=money["top_ups"],
                diff=money["difference"],
            )
        )
    return out
