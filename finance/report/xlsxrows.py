"""A table's data rows as SpreadsheetML, rendered by polars and spliced into the saved workbook.

openpyxl builds a Python object per cell and writes an XML element per cell: for the SKU sheet
of a big seller's month (tens of thousands of rows) that is most of the report run. The rows of
a table are instead rendered here as ``<row>`` XML text with polars expressions, column by
column, and written into the sheet's part of the ``.xlsx`` file after openpyxl has written the
rest (header, total row with its live ``SUM`` formulas, autofilter, frozen panes, conditional
colours, print set-up). The cells are what ``workbook.put`` would write — the same values, the
same number formats and fonts through the same style ids, text as inline strings with Excel's
quote prefix where it starts like a formula — and a test loads both and compares every cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from weakref import WeakKeyDictionary

import polars as pl
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finance.money import cents_to_text
from finance.report.csvfile import FORMULA_STARTS

CHUNK_ROWS = 20_000
"""Rows rendered at a time (the XML of one chunk is held in memory, not the whole sheet's)."""
ILLEGAL_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
"""What XML 1.0 cannot hold (openpyxl's ``ILLEGAL_CHARACTERS_RE``): dropped, as ``safe_text``
drops it."""
COMPRESS = 1
"""zlib level for the sheets written here: level 1 deflates about three times as fast as the
default 6 (0.3 s against 1.1 s for the target month's workbook) for a file about a third larger
(12 MB against 9 MB)."""
EPOCH = pl.date(1899, 12, 30)
"""Day 0 of Excel's (Windows) date serials."""


@dataclass(frozen=True)
class Styles:
    """Style ids (indexes into the workbook's cell formats) for each kind of cell."""

    text: int
    quoted: int
    muted: int
    muted_quoted: int
    numbers: dict[str, int]


@dataclass(frozen=True)
class Rows:
    """Rows waiting to go into a sheet when the workbook is saved: they follow row ``after``."""

    frame: pl.DataFrame
    names: tuple[str, ...]
    kinds: tuple[str, ...]
    muted: tuple[str | None, ...]
    first: int
    styles: Styles

    @property
    def after(self) -> int:
        return self.first - 1

    @property
    def last(self) -> int:
        return self.first + self.frame.height - 1


_PENDING: WeakKeyDictionary[Worksheet, Rows] = WeakKeyDictionary()


def _style_id(ws: Worksheet, number_format: str | None, font: Font | None, quoted: bool) -> int:
    """Register a cell format in the workbook (as a cell with it would) and return its id."""
    cell = Cell(ws)
    if number_format:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    if quoted:
        cell.quotePrefix = True
    return cell.style_id


def styles(ws: Worksheet, number_formats: dict[str, str], muted: Font) -> Styles:
    return Styles(
        text=_style_id(ws, None, None, False),
        quoted=_style_id(ws, None, None, True),
        muted=_style_id(ws, None, muted, False),
        muted_quoted=_style_id(ws, None, muted, True),
        numbers={kind: _style_id(ws, fmt, None, False) for kind, fmt in number_formats.items()},
    )


def defer(
    ws: Worksheet,
    frame: pl.DataFrame,
    columns: list[tuple[str, str, str | None]],
    first: int,
    styles: Styles,
) -> None:
    """Have ``frame``'s rows written from row ``first`` of ``ws`` when the workbook is saved
    with ``save``. ``columns``: (name, kind, muted) per sheet column, the kind as
    ``workbook.put`` takes it, ``muted`` the name of a boolean column of ``frame`` that greys
    the cell where true."""
    if ws in _PENDING:
        raise ValueError(f"sheet {ws.title!r} already has a deferred table (one per sheet)")
    names, kinds, muted = zip(*columns, strict=True) if columns else ((), (), ())
    _PENDING[ws] = Rows(frame, names, kinds, muted, first, styles)


def pending(ws: Worksheet) -> Rows | None:
    return _PENDING.get(ws)


# --- rendering


FORMULA_LIKE = "^[" + "".join(f"\\x{{{ord(c):x}}}" for c in FORMULA_STARTS) + "]"
"""Text a spreadsheet may read as a formula (``csvfile.FORMULA_STARTS``), as one regex."""


def _text_cell(letter: str, row: pl.Expr, value: pl.Expr, st: Styles, muted: str | None) -> pl.Expr:
    text = value.cast(pl.String).str.replace_all(ILLEGAL_XML, "")
    escaped = (
        text.str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
        .str.replace_all("\r", "&#13;", literal=True)  # a parser would read a bare CR as LF
    )
    formula_like = text.str.contains(FORMULA_LIKE)

    def style(plain: int, quoted: int) -> pl.Expr:
        return pl.when(formula_like).then(pl.lit(str(quoted))).otherwise(pl.lit(str(plain)))

    chosen = style(st.text, st.quoted)
    if muted is not None:
        chosen = pl.when(pl.col(muted)).then(style(st.muted, st.muted_quoted)).otherwise(chosen)
    xml = pl.concat_str(
        [
            pl.lit(f'<c r="{letter}'),
            row,
            pl.lit('" s="'),
            chosen,
            pl.lit('" t="inlineStr"><is><t xml:space="preserve">'),
            escaped,
            pl.lit("</t></is></c>"),
        ]
    )
    return pl.when(text.is_null() | (text == "")).then(pl.lit("")).otherwise(xml)


def _number_cell(letter: str, row: pl.Expr, number: pl.Expr, style: int) -> pl.Expr:
    xml = pl.concat_str(
        [
            pl.lit(f'<c r="{letter}'),
            row,
            pl.lit(f'" s="{style}" t="n"><v>'),
            number,
            pl.lit("</v></c>"),
        ]
    )
    return pl.when(number.is_null() | (number == "")).then(pl.lit("")).otherwise(xml)


def _serial(value: pl.Expr, kind: str) -> pl.Expr:
    """Excel's serial number of a date or datetime (days since 1899-12-30, as openpyxl
    writes it, with Excel's 1900 leap-year day for the first two months of 1900)."""
    days = (value.cast(pl.Date) - EPOCH).dt.total_days()
    days = pl.when((days > 0) & (days <= 60)).then(days - 1).otherwise(days)
    if kind == "date":
        return days.cast(pl.String)
    seconds = (value - value.dt.truncate("1d")).dt.total_microseconds() / 1e6
    return (days + seconds / 86400).cast(pl.String)


def _cell(
    letter: str, row: pl.Expr, name: str, kind: str, muted: str | None, st: Styles
) -> pl.Expr:
    value = pl.col(name)
    if kind == "money":
        return _number_cell(letter, row, cents_to_text(value), st.numbers["money"])
    if kind == "int":
        return _number_cell(letter, row, value.cast(pl.Int64).cast(pl.String), st.numbers["int"])
    if kind == "ratio":
        return _number_cell(letter, row, value.cast(pl.String), st.numbers["ratio"])
    if kind in ("date", "datetime"):
        return _number_cell(letter, row, _serial(value, kind), st.numbers[kind])
    return _text_cell(letter, row, value, st, muted)


def render(rows: Rows, offset: int = 0, length: int | None = None) -> str:
    """The ``<row>`` elements of ``rows.frame[offset : offset + length]``."""
    part = rows.frame.slice(offset, length)
    row = pl.int_range(pl.len(), dtype=pl.Int64).add(rows.first + offset).cast(pl.String)
    cells = [
        _cell(get_column_letter(i), row, name, kind, muted, rows.styles)
        for i, (name, kind, muted) in enumerate(
            zip(rows.names, rows.kinds, rows.muted, strict=True), start=1
        )
    ]
    xml = pl.concat_str([pl.lit('<row r="'), row, pl.lit('">'), *cells, pl.lit("</row>")])
    return part.select(xml.str.join("")).item() or ""


def chunks(rows: Rows) -> Iterator[str]:
    for offset in range(0, rows.frame.height, CHUNK_ROWS):
        yield render(rows, offset, CHUNK_ROWS)


# --- saving


DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


def _split(xml: bytes, rows: Rows) -> tuple[bytes, bytes]:
    """The sheet XML up to the end of row ``rows.after`` (the header), and the rest; no row
    written by openpyxl may fall where the deferred rows go."""
    start = xml.find(b'<row r="%d"' % rows.after)
    opening = xml.find(b">", start)
    if start < 0 or xml[opening - 1 : opening] == b"/":
        raise ValueError(f"header row {rows.after} has no cells in the sheet XML")
    end = xml.index(b"</row>", start) + len(b"</row>")
    following = re.match(rb'\s*<row r="(\d+)"', xml[end:])
    if following and int(following.group(1)) <= rows.last:
        raise ValueError(f"row {int(following.group(1))} already has cells from openpyxl")
    return xml[:end], xml[end:]


def _dimension(xml: bytes, ws: Worksheet, rows: Rows) -> bytes:
    last_row = max(ws.max_row, rows.last)
    last_col = max(ws.max_column, len(rows.names))
    ref = f"A1:{get_column_letter(last_col)}{last_row}".encode()
    return DIMENSION.sub(b'<dimension ref="' + ref + b'"/>', xml, count=1)


def save(book: Workbook, path: Path) -> Path:
    """Save ``book`` to ``path`` with the rows ``defer`` set aside written into their sheets."""
    deferred = {ws: rows for ws in book.worksheets if (rows := pending(ws)) and rows.frame.height}
    if not deferred:
        book.save(path)
        return path
    buffer = io.BytesIO()
    book.save(buffer)  # sets each worksheet's part name (ws.path)
    parts = {ws.path.lstrip("/"): (ws, rows) for ws, rows in deferred.items()}
    cells = sum(rows.frame.height * len(rows.names) for rows in deferred.values())
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS) as target,
    ):
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info))
                continue
            ws, rows = parts.pop(info.filename)
            head, tail = _split(source.read(info), rows)
            # (opened by name, the entry takes the archive's compression and level)
            with target.open(info.filename, "w", force_zip64=cells > 10_000_000) as out:
                out.write(_dimension(head, ws, rows))
                for chunk in chunks(rows):
                    out.write(chunk.encode())
                out.write(tail)
    if parts:
        raise ValueError(f"sheets not found in the saved workbook: {sorted(parts)}")
    return path
