"""Workbooks (XLSX, XLS) to sheets of text cells, with the fastexcel (calamine) engine.

Every cell comes back as text exactly as calamine renders it: numbers in their shortest form
(``128``, ``-6.4``), date cells as ``2026-10-01 12:00:00``, numbers that Excel shows as dates but
stores as serial numbers as the number (``46296.5``; ``normalise`` reads those as dates).

calamine starts a sheet at its first non-empty row and column; the sheet is padded back so that
rows keep their Excel numbers (errors name the row a user sees), and merged cells (a title across
the header, a two-row header, a date merged down a block of rows) give their value to every cell
they cover. calamine does not report where a sheet starts or which cells are merged, so that
comes from the file itself: the XML of an XLSX, and for the legacy XLS (BIFF) format the xlrd
library (which reads only that: cell values still come from calamine, the same for both).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import polars as pl

from finance.errors import ImportRejected

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_REF = re.compile(r"^([A-Z]+)(\d+)$")
_FILLED_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>')


def _col_index(letters: str) -> int:
    """``A`` -> 0, ``AB`` -> 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _cell(ref: str) -> tuple[int, int]:
    """0-based (row, column) of ``B3``."""
    match = _REF.match(ref)
    if match is None:
        raise ValueError(ref)
    return int(match.group(2)) - 1, _col_index(match.group(1))


def is_workbook(head: bytes) -> bool:
    """A zip (XLSX) or an OLE compound file (XLS), judged by the first bytes."""
    return head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"))


def read_workbook(path: Path) -> dict[str, pl.DataFrame]:
    """Each sheet as a frame of text columns ``c0, c1, …`` (row i = Excel row i + 1 for XLSX)."""
    import fastexcel

    try:
        reader = fastexcel.read_excel(path)
    except Exception as exc:  # calamine raises its own error types for broken files
        raise ImportRejected("cannot_decode", file=path.name) from exc
    suffix = path.suffix.lower()
    layout = (
        _xlsx_layout(path)
        if suffix in (".xlsx", ".xlsm")
        else _xls_layout(path)
        if suffix == ".xls"
        else {}
    )
    sheets: dict[str, pl.DataFrame] = {}
    for name in reader.sheet_names:
        try:
            frame = reader.load_sheet(name, header_row=None, dtypes="string").to_polars()
        except Exception:  # an empty sheet has no range to load
            frame = pl.DataFrame()
        frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
        origin, merged = layout.get(name, ((0, 0), []))
        sheets[name] = _fill_merged(_pad(frame, origin), merged)
    return sheets


def _pad(frame: pl.DataFrame, origin: tuple[int, int]) -> pl.DataFrame:
    """Put back the empty rows and columns calamine left out before the first cell."""
    top, left = origin
    if left:
        frame = frame.select(
            *[pl.lit(None, pl.String).alias(f"p{i}") for i in range(left)], *frame.columns
        )
    if frame.width:
        frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
    if top and frame.width:
        empty = pl.DataFrame({c: [None] * top for c in frame.columns}, schema=frame.schema)
        frame = pl.concat([empty, frame])
    return frame


def _fill_merged(frame: pl.DataFrame, merged: list[tuple[int, int, int, int]]) -> pl.DataFrame:
    """Every cell of a merged range takes the value of the range's top-left cell."""
    if not merged or frame.height == 0:
        return frame
    index = pl.int_range(0, pl.len())
    updates = []
    for c in range(frame.width):
        name = f"c{c}"
        expr = pl.col(name)
        for r0, c0, r1, c1 in merged:
            if c0 <= c <= c1 and r0 < frame.height:
                value = frame[f"c{c0}"][r0]
                inside = (index >= r0) & (index <= r1)
                expr = pl.when(inside).then(pl.lit(value, pl.String)).otherwise(expr)
        updates.append(expr.alias(name))
    return frame.with_columns(updates)


def _xls_layout(path: Path) -> dict[str, tuple[tuple[int, int], list[tuple[int, int, int, int]]]]:
    """As ``_xlsx_layout``, for a BIFF ``.xls``: where each sheet's first filled cell is, and its
    merged ranges (inclusive). An unreadable file gives no layout (calamine's view stands)."""
    try:
        import xlrd
    except ImportError:  # pragma: no cover - a dependency; without it merged cells stay split
        return {}
    empty = (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK)
    out: dict[str, tuple[tuple[int, int], list[tuple[int, int, int, int]]]] = {}
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception:  # not BIFF after all (a text file named .xls), or damaged
        return {}
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            top, left = None, None
            for r in range(sheet.nrows):  # at most 65,536 rows; each stops at ``left``
                types = sheet.row_types(r, 0, left)
                first = next((c for c, t in enumerate(types) if t not in empty), None)
                if first is not None:
                    top = r if top is None else top
                    left = first if left is None else min(left, first)
            merged = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
            out[sheet.name] = ((top or 0, left or 0), merged)
    finally:
        book.release_resources()
    return out


def _xlsx_layout(path: Path) -> dict[str, tuple[tuple[int, int], list[tuple[int, int, int, int]]]]:
    """Per sheet name: the (row, column) of its first filled cell and its merged ranges."""
    out: dict[str, tuple[tuple[int, int], list[tuple[int, int, int, int]]]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
            targets = {
                r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)
            }
            for sheet in book.findall("m:sheets/m:sheet", _NS):
                target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
                member = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else str(PurePosixPath("xl") / target)
                )
                data = zf.read(member)
                filled = [
                    (int(r) - 1, _col_index(c.decode())) for c, r in _FILLED_CELL.findall(data)
                ]
                origin = (
                    (min(r for r, _ in filled), min(c for _, c in filled)) if filled else (0, 0)
                )
                merged = []
                for ref in re.findall(rb'<mergeCell ref="([A-Z]+\d+):([A-Z]+\d+)"', data):
                    (r0, c0), (r1, c1) = _cell(ref[0].decode()), _cell(ref[1].decode())
                    merged.append((r0, c0, r1, c1))
                out[sheet.get("name", "")] = (origin, merged)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError):
        return {}
    return out
