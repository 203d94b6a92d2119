"""Table rows rendered as SpreadsheetML by polars (``report/xlsxrows.py``) read back exactly as
the cells ``workbook.put`` writes one by one: the same values, types, number formats, fonts and
quote prefixes, also on generated hostile text."""

from __future__ import annotations

import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from finance.report import xlsxrows
from finance.report.workbook import MUTED, Column, _cell_rows, _header, table

COLUMNS = [
    Column("name", "Name", muted="grey"),
    Column("note", "Note"),
    Column("units", "Units", "int", total=True),
    Column("amount", "Amount", "money", total=True),
    Column("pct", "Margin %", "ratio"),
    Column("day", "Day", "date"),
    Column("at", "At", "datetime"),
]
SCHEMA = {
    "name": pl.String,
    "note": pl.String,
    "units": pl.Int64,
    "amount": pl.Int64,
    "pct": pl.String,
    "day": pl.Date,
    "at": pl.Datetime("us"),
    "grey": pl.Boolean,
}

hostile = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "",
            " ",
            "=1+1",
            "+86 138",
            "-12",
            "@SUM(A1)",
            "\tx",
            "a&b<c>d",
            "规格 A",
            "\x01bad\x02",
            "\x01",
            "  lead",
            "trail  ",
            '"q"',
            "x]]>y",
            "a\r\nb\rc",
            '=HYPERLINK("http://x")',
        ]
    ),
    st.text(max_size=12),
)
record = st.fixed_dictionaries(
    {
        "name": hostile,
        "note": hostile,
        "units": st.one_of(st.none(), st.integers(-(10**6), 10**6)),
        "amount": st.one_of(st.none(), st.integers(-(10**13), 10**13)),
        "pct": st.one_of(st.none(), st.just(""), st.sampled_from(["0.1234", "-1.5", "0", "12"])),
        "day": st.one_of(st.none(), st.dates(date(1900, 3, 1), date(2099, 12, 31))),
        "at": st.one_of(
            st.none(),
            st.datetimes(datetime(1990, 1, 1), datetime(2099, 1, 1)).map(
                lambda d: d.replace(microsecond=0)
            ),
        ),
        "grey": st.booleans(),
    }
)


def _both(frame: pl.DataFrame, folder: Path) -> tuple[Workbook, Workbook]:
    """The table written by ``table`` (deferred rows) and, for reference, cell by cell."""
    fast = Workbook()
    table(fast.active, frame, COLUMNS, "en", key="t")
    xlsxrows.save(fast, folder / "fast.xlsx")
    slow = Workbook()
    _header(slow.active, 1, [c.heading for c in COLUMNS])
    _cell_rows(slow.active, frame, COLUMNS, 2)
    slow.save(folder / "slow.xlsx")
    return load_workbook(folder / "fast.xlsx"), load_workbook(folder / "slow.xlsx")


def _cells(ws, rows: int) -> list[tuple]:
    """Each cell's value and what shows of its style (an empty cell shows none)."""
    return [
        (c.coordinate, c.value, c.data_type)
        + (
            (c.number_format, c.font.i, c.font.color and c.font.color.rgb, c.quotePrefix)
            if c.value is not None
            else ()
        )
        for row in ws.iter_rows(min_row=2, max_row=rows + 1, max_col=len(COLUMNS))
        for c in row
    ]


@settings(max_examples=100, deadline=None)
@given(st.lists(record, min_size=1, max_size=12))
def test_rows_read_back_as_the_cells_put_writes(records: list[dict]) -> None:
    frame = pl.DataFrame(records, schema=SCHEMA)
    with tempfile.TemporaryDirectory() as folder:
        fast, slow = _both(frame, Path(folder))
        assert _cells(fast.active, frame.height) == _cells(slow.active, frame.height)


def test_the_total_row_follows_the_rows_and_sums_them(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "name": ["a", None],
            "note": ["x", "y"],
            "units": [1, 2],
            "amount": [150, -25],
            "pct": ["0.5", None],
            "day": [date(2026, 10, 1), None],
            "at": [None, None],
            "grey": [False, True],
        },
        schema=SCHEMA,
    )
    fast, _ = _both(frame, tmp_path)
    ws = fast.active
    assert ws.max_row == 4 and ws["A4"].value == "Total"
    assert ws["D4"].value == "=SUM(D2:D3)" and ws["C4"].value == "=SUM(C2:C3)"
    assert ws["D2"].value == 1.5 and ws["D3"].value == -0.25
    assert ws["A2"].font.color is None or ws["A2"].font.color.rgb != MUTED.color.rgb
    assert ws["B3"].value == "y" and ws["A3"].value is None
    assert ws.auto_filter.ref == "A1:G3" and ws.freeze_panes == "A2"
    assert ws.calculate_dimension() == "A1:G4"
    with zipfile.ZipFile(tmp_path / "fast.xlsx") as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert '<dimension ref="A1:G4"/>' in xml
    rows = [int(r) for r in __import__("re").findall(r'<row r="(\d+)"', xml)]
    assert rows == [1, 2, 3, 4]


def test_a_sheet_without_its_header_row_is_an_error(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    frame = pl.DataFrame({"name": ["a"]})
    xlsxrows.defer(ws, frame, [("name", "text", None)], 5, xlsxrows.styles(ws, {}, MUTED))
    ws["A1"] = "title"
    with pytest.raises(ValueError, match="header row 4 has no cells"):
        xlsxrows.save(book, tmp_path / "x.xlsx")


def test_a_cell_where_the_rows_go_is_an_error(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws["A1"] = "heading"
    ws["B2"] = "in the way"
    xlsxrows.defer(
        ws,
        pl.DataFrame({"name": ["a"]}),
        [("name", "text", None)],
        2,
        xlsxrows.styles(ws, {}, MUTED),
    )
    with pytest.raises(ValueError, match="row 2 already has cells"):
        xlsxrows.save(book, tmp_path / "x.xlsx")


def test_a_second_table_on_a_sheet_is_an_error() -> None:
    ws = Workbook().active
    frame = pl.DataFrame({"name": ["a"]})
    xlsxrows.defer(ws, frame, [("name", "text", None)], 2, xlsxrows.styles(ws, {}, MUTED))
    with pytest.raises(ValueError, match="already has a deferred table"):
        xlsxrows.defer(ws, frame, [("name", "text", None)], 9, xlsxrows.styles(ws, {}, MUTED))
