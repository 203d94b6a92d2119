"""The SKUs sheet: every P&L row with flags and margin colours."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finance.margin import PNL_COLUMNS
from finance.report.labels import FLAGS, flag_text, label, platform_name
from finance.report.margin_basis import incomplete_shops
from finance.report.workbook.style import RATIO_FORMAT, _margin_colours, put
from finance.report.workbook.tables import Column, _fit_columns, table
from finance.vat import VAT_COLUMNS

if TYPE_CHECKING:
    from finance.report import Figures


def sku_frame(figs: Figures, lang: str) -> pl.DataFrame:
    """The SKU sheet's rows: names in the reader's language, flags as words, ratios as text."""
    pnl = figs.skus
    shown = [f for f in FLAGS if f in pnl.columns]
    flags = [
        flag_text(lang=lang, **{"cost_missing": False, "returns_inferred": False, **dict(row)})
        for row in (zip(shown, values, strict=True) for values in pnl.select(shown).iter_rows())
    ]
    return pnl.with_columns(
        platform=pl.col("platform").replace_strict(
            {p: platform_name(p, lang) for p in pnl["platform"].unique().to_list()},
            default=pl.col("platform"),
            return_dtype=pl.String,
        ),
        sku=pl.col("sku").fill_null(label("unallocated_row", lang)),
        margin_pct=pl.col("margin_pct").replace("", None),
        flags=pl.Series(flags, dtype=pl.String),
    )


def sku_sheet(ws: Worksheet, figs: Figures, lang: str, folder: Path | None) -> None:
    """One row per P&L row (a shop's unallocated row labelled in the SKU column), a total row
    of live sums, and margin % shaded."""
    ws.title = label("sheet_skus", lang)
    columns = [
        Column("platform", label("platform", lang)),
        Column("shop", label("shop", lang)),
        Column("sku", label("sku", lang), muted="unallocated"),
        Column("units_sold", label("units_sold", lang), "int", total=True),
        Column("units_returned", label("units_returned", lang), "int", total=True),
        *(Column(c, label(c, lang), "money", total=True) for c in PNL_COLUMNS),
        Column("true_margin", label("true_margin", lang), "money", total=True),
        Column("margin_pct", label("margin_pct", lang), "ratio"),
        *(
            Column(c, label(c, lang), "money", total=True)
            for c in VAT_COLUMNS
            if figs.vat is not None and c in figs.skus.columns
        ),
        Column("flags", label("flags", lang)),
    ]
    frame = sku_frame(figs, lang).with_columns(unallocated=figs.skus["sku"].is_null())
    last = table(ws, frame, columns, lang, key="skus", folder=folder, freeze=4)
    if ws.auto_filter.ref is None or frame.height == 0:
        _fit_columns(ws)
        return  # spilled to CSV, or nothing to total
    pct = columns.index(next(c for c in columns if c.name == "margin_pct")) + 1
    letter = get_column_letter(pct)
    sales, refund, margin = (
        get_column_letter(columns.index(next(c for c in columns if c.name == n)) + 1)
        for n in ("sales", "refund", "true_margin")
    )
    net = f"({sales}{last}-{refund}{last})"
    if not incomplete_shops(figs.costs_status):  # else the total counts sales with no cost
        total = put(ws, last, pct, f'=IF({net}=0,"",{margin}{last}/{net})', "formula")
        total.number_format = RATIO_FORMAT
    _margin_colours(ws, f"{letter}2:{letter}{last}")
    _fit_columns(ws)
