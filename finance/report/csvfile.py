"""CSV files a person opens in Excel: UTF-8 with a BOM (so Chinese shows on Windows) and no cell
that a spreadsheet would evaluate (statement text is untrusted)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula (OWASP "CSV injection")."""
PLAIN_NUMBER = r"^[-+]?\d[\d,]*(\.\d+)?%?$"
"""A signed amount such as ``-12.00`` is a number to Excel, not a formula: it stays as it is."""


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text cell that starts like a formula (and is no plain number) gets a leading
    apostrophe."""
    return frame.with_columns(
        pl.when(
            pl.any_horizontal(pl.col(c).str.starts_with(s) for s in FORMULA_STARTS)
            & ~pl.col(c).str.contains(PLAIN_NUMBER)
        )
        .then(pl.concat_str([pl.lit("'"), pl.col(c)]))
        .otherwise(pl.col(c))
        .alias(c)
        for c, dtype in frame.schema.items()
        if dtype == pl.String
    )


def write_for_excel(frame: pl.DataFrame, path: Path) -> Path:
    """Write ``frame`` to ``path`` as CSV for Excel (BOM, formulas neutralised)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralise(frame).write_csv(path, include_bom=True)
    return path
