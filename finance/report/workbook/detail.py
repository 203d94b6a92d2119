"""The detail sheets: what stayed unallocated or unclassified, how costs were split
(Allocation), and the imported files (Sources)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from openpyxl.worksheet.worksheet import Worksheet

from finance.i18n import basis_text, reason_text
from finance.report.labels import category_name, label, platform_name
from finance.report.workbook.tables import Column, _fit_columns, _wrap_widths, table

if TYPE_CHECKING:
    from finance.report import Figures


EXCEPTION_SCHEMA = {
    "kind": pl.String,
    "platform": pl.String,
    "shop": pl.String,
    "category": pl.String,
    "fee_name": pl.String,
    "reason": pl.String,
    "entries": pl.Int64,
    "amount": pl.Int64,
}


def exceptions_frame(figs: Figures, lang: str) -> pl.DataFrame:
    """Parts that reached no SKU (with the reason), then fee names no rule maps."""
    unallocated = pl.DataFrame(
        [
            {
                "kind": label("kind_unallocated", lang),
                "platform": platform_name(p, lang),
                "shop": shop,
                "category": category_name(c, lang),
                "fee_name": "",
                "reason": reason_text(reason, lang),
                "entries": entries,
                "amount": amount,
            }
            for p, shop, c, reason, entries, amount in figs.unallocated.select(
                "platform", "shop", "category", "reason", "entries", "amount"
            ).iter_rows()
        ],
        schema=EXCEPTION_SCHEMA,
    )
    names = figs.unclassified
    if names.height == 0:
        return unallocated
    unclassified = names.select(
        kind=pl.lit(label("kind_unclassified", lang)),
        platform=pl.col("platform").replace_strict(
            {p: platform_name(p, lang) for p in names["platform"].unique().to_list()},
            return_dtype=pl.String,
        ),
        shop=pl.col("shop"),
        category=pl.lit(category_name("unclassified", lang)),
        fee_name=pl.col("fee_name"),
        reason=pl.lit(label("no_rule_reason", lang)),
        entries=pl.col("entries"),
        amount=pl.col("amount"),
    )
    return pl.concat([unallocated, unclassified.cast(EXCEPTION_SCHEMA)])  # type: ignore[arg-type]


def exceptions_sheet(ws: Worksheet, figs: Figures, lang: str, folder: Path | None) -> None:
    ws.title = label("sheet_exceptions", lang)
    columns = [
        Column("kind", label("kind", lang)),
        Column("platform", label("platform", lang)),
        Column("shop", label("shop", lang)),
        Column("category", label("category", lang)),
        Column("fee_name", label("fee_name", lang), wrap=30),
        Column("reason", label("reason", lang), wrap=60),
        Column("entries", label("entries", lang), "int"),
        Column("amount", label("signed_amount", lang), "money"),
    ]
    table(ws, exceptions_frame(figs, lang), columns, lang, key="exceptions", folder=folder)
    _fit_columns(ws)
    _wrap_widths(ws, columns)


def bases_sheet(ws: Worksheet, figs: Figures, lang: str, folder: Path | None) -> None:
    """How split costs were divided: key and basis per category (fallbacks in their words)."""
    ws.title = label("sheet_bases", lang)
    frame = pl.DataFrame(
        [
            {
                "platform": platform_name(p, lang),
                "shop": shop or "",
                "category": category_name(c, lang),
                "key": label(f"key_{key}", lang),
                "basis": basis_text(basis, lang),
                "entries": n,
                "amount": amount,
            }
            for p, shop, c, key, basis, n, amount in figs.bases.select(
                "platform", "shop", "category", "key", "basis", "entries", "amount"
            ).iter_rows()
        ],
        schema={
            **dict.fromkeys(("platform", "shop", "category", "key", "basis"), pl.String),
            "entries": pl.Int64,
            "amount": pl.Int64,
        },
    )
    columns = [Column(c, label(c, lang)) for c in ("platform", "shop", "category", "key", "basis")]
    columns += [
        Column("entries", label("entries", lang), "int"),
        Column("amount", label("signed_amount", lang), "money"),
    ]
    table(ws, frame, columns, lang, key="allocation", folder=folder)
    _fit_columns(ws)


SOURCE_KINDS = {
    "rows_read": "int",
    "rows_added": "int",
    "rows_skipped": "int",
    "rows_this_month": "int",
    "first_date": "date",
    "last_date": "date",
    "imported_at": "datetime",
}


def sources_sheet(ws: Worksheet, figs: Figures, lang: str, folder: Path | None) -> None:
    """Each imported file behind the month: name, format, shop, rows, date range, hash."""
    ws.title = label("sheet_sources", lang)
    frame = figs.sources
    if frame.width == 0:
        from finance.report import SOURCE_COLUMNS

        frame = pl.DataFrame(schema=SOURCE_COLUMNS)
    frame = frame.with_columns(
        platform=pl.col("platform").replace_strict(
            {p: platform_name(p, lang) for p in frame["platform"].drop_nulls().unique().to_list()},
            default=pl.col("platform"),
            return_dtype=pl.String,
        )
    )
    names = {"name": "file_name", "kind": "file_kind"}
    wraps = {"name": 36, "sha256": 20, "archived_as": 30}
    columns = [
        Column(
            c,
            label(names.get(c, c), lang),
            SOURCE_KINDS.get(c, "text"),
            c == "rows_this_month",
            wraps.get(c, 0),
        )
        for c in frame.columns
    ]
    table(ws, frame, columns, lang, key="sources", folder=folder)
    _fit_columns(ws)
    _wrap_widths(ws, columns)
