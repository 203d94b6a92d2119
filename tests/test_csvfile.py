"""CSV files for Excel: BOM, Chinese intact, statement text never a formula, amounts numbers."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from finance.report.csvfile import FORMULA_STARTS, neutralise, write_for_excel


def test_written_for_excel(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "shop": [
                "云栖家居旗舰店",
                '=HYPERLINK("http://x")',
                "@SUM(A1)",
                "+1+cmd|' /C calc'!A0",
            ],
            "amount": ["-12.00", "1,234.50", "-", "-2+3+cmd|' /C calc'!A0"],
            "units": [1, -2, 3, 4],
        }
    )
    path = write_for_excel(frame, tmp_path / "out" / "x.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    back = pl.read_csv(path, infer_schema=False)
    assert back["shop"].to_list() == [
        "云栖家居旗舰店", "'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "'+1+cmd|' /C calc'!A0",
    ]  # fmt: skip
    assert back["amount"].to_list() == ["-12.00", "1,234.50", "'-", "'-2+3+cmd|' /C calc'!A0"]
    assert back["units"].to_list() == ["1", "-2", "3", "4"]  # numbers are not text


@given(st.text(max_size=12))
def test_no_text_cell_starts_like_a_formula_unless_it_is_a_number(value: str) -> None:
    [out] = neutralise(pl.DataFrame({"t": [value]}))["t"].to_list()
    if out.startswith(FORMULA_STARTS):
        assert (
            out == value
            and out.lstrip("+-").replace(",", "").replace(".", "").rstrip("%").isdigit()
        )
    else:
        assert out in (value, "'" + value)
