"""``finance export margins``: the month's P&L rows with DESIGN.md's stable English columns.

Money is a decimal string with two places in the base currency; cost columns hold positive
amounts of cost, ``unclassified`` signed money; ``margin_pct`` is a ratio with four places
(``0.1234`` is 12.34 %), empty when net sales are zero.
"""

from __future__ import annotations

import io
import json

import polars as pl

from finance.margin import PNL_COLUMNS, MonthResult
from finance.money import cents_to_text

EXPORT_COLUMNS = [
    "month",
    "platform",
    "shop",
    "sku",
    "units_sold",
    "units_returned",
    *PNL_COLUMNS,
    "true_margin",
    "margin_pct",
]


def margins_frame(result: MonthResult) -> pl.DataFrame:
    """The export rows as text columns, in export order."""
    return result.pnl.select(
        month=pl.lit(result.month),
        platform=pl.col("platform"),
        shop=pl.col("shop"),
        sku=pl.col("sku"),
        units_sold=pl.col("units_sold").cast(pl.String),
        units_returned=pl.col("units_returned").cast(pl.String),
        **{c: cents_to_text(pl.col(c)) for c in [*PNL_COLUMNS, "true_margin"]},
        margin_pct=pl.col("margin_pct").fill_null(""),
    )


def margins_csv(result: MonthResult) -> str:
    buffer = io.StringIO()
    margins_frame(result).write_csv(buffer)
    return buffer.getvalue()


def margins_json(result: MonthResult) -> str:
    rows = (
        margins_frame(result)
        .with_columns(
            pl.col("sku").fill_null(""), pl.col("units_sold", "units_returned").cast(pl.Int64)
        )
        .to_dicts()
    )
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def render(result: MonthResult, fmt: str) -> str:
    return margins_csv(result) if fmt == "csv" else margins_json(result)
