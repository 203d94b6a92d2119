"""``finance export margins``: the month's P&L rows with DESIGN.md's stable English columns.

Money is a decimal string with two places in the base currency; cost columns hold positive
amounts of cost, ``unclassified`` signed money; ``margin_pct`` is a ratio with four places
(``0.1234`` is 12.34 %), empty when net sales are zero and where it is not a margin (the
unallocated rows, a SKU sold without a unit cost). Settings in finance.toml add columns after
the stable ones (``OPTIONAL_COLUMNS``).
"""

from __future__ import annotations

import io
import json

import polars as pl

from finance.margin import PNL_COLUMNS, MonthResult
from finance.money import cents_to_text
from finance.vat import VAT_COLUMNS

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


OPTIONAL_COLUMNS = ("cogs_estimate", *VAT_COLUMNS)
"""After the stable columns, only when finance.toml sets them: ``cogs_estimate`` (the part of
``cogs`` that is a stated estimate, ``[costs.shops]``), then the VAT columns (``[tax]`` regime,
see ``finance.vat``)."""


def margins_frame(result: MonthResult) -> pl.DataFrame:
    """The export rows as text columns, in export order."""
    extra = [c for c in OPTIONAL_COLUMNS if c in result.pnl.columns]
    return result.pnl.select(
        month=pl.lit(result.month),
        platform=pl.col("platform"),
        shop=pl.col("shop"),
        sku=pl.col("sku"),
        units_sold=pl.col("units_sold").cast(pl.String),
        units_returned=pl.col("units_returned").cast(pl.String),
        **{c: cents_to_text(pl.col(c)) for c in [*PNL_COLUMNS, "true_margin"]},
        margin_pct=pl.col("margin_pct").fill_null(""),
        **{c: cents_to_text(pl.col(c)) for c in extra},
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
