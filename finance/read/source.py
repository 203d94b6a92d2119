"""Decode a statement file and cut out its table (see package docstring)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from finance.errors import ImportRejected
from finance.rulebook.load import Rule

TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
SHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


@dataclass
class Source:
    """A statement file, decoded once: its text lines, or the rows of each sheet."""

    path: Path
    encoding: str = ""
    lines: list[str] = field(default_factory=list)
    sheets: dict[str, pl.DataFrame] = field(default_factory=dict)

    @property
    def is_sheet(self) -> bool:
        return bool(self.sheets)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (with or without BOM), else GB18030 (GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ImportRejected("cannot_decode", file=name) from exc


def open_source(path: Path) -> Source:
    """Read ``path`` once: text files are decoded, workbooks loaded sheet by sheet."""
    suffix = path.suffix.lower()
    if suffix not in SHEET_SUFFIXES | TEXT_SUFFIXES:
        raise ImportRejected("unsupported_file", file=path.name)
    if suffix in SHEET_SUFFIXES:
        from finance.read.sheets import is_workbook, read_workbook

        with path.open("rb") as handle:
            head = handle.read(8)
        if is_workbook(head):
            return Source(path=path, encoding=suffix.lstrip("."), sheets=read_workbook(path))
    data = path.read_bytes()
    if suffix in SHEET_SUFFIXES and b"\x00" in data:  # neither a workbook nor text
        raise ImportRejected("cannot_decode", file=path.name)
    # Some back offices send CSV or tab-separated text named .xls: it is read as text.
    text, encoding = decode(data, path.name)
    return Source(path=path, encoding=encoding, lines=text.splitlines())


def clean_name(name: str) -> str:
    """A header cell as rules name it: no padding, tabs or Excel protection."""
    return clean_cell(name)


def clean_cell(value: str) -> str:
    value = value.strip().strip("\u3000").strip()
    if value.startswith('="') and value.endswith('"'):
        value = value[2:-1]
    return value.lstrip("`'").strip()


def clean_cells(expr: pl.Expr) -> pl.Expr:
    """The same cleaning as ``clean_cell``, on a whole column."""
    return (
        expr.str.strip_chars()
        .str.strip_chars("\u3000")
        .str.replace(r'^="(.*)"$', "$1")
        .str.strip_chars_start("`'")
        .str.strip_chars()
    )


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader(io.StringIO(line), delimiter=delimiter), [])


@dataclass(frozen=True)
class Header:
    sheet: str | None
    index: int  # 0-based line (or sheet row) of the header
    names: tuple[str, ...]


def find_header(source: Source, rule: Rule) -> tuple[Header | None, tuple[str, ...]]:
    """The first line within reach whose cells include all of ``rule.columns``.

    Returns the header, or None with the columns still missing from the best line seen (so the
    rejection can say how close the file came to this rule).
    """
    wanted = set(rule.columns)
    best_missing = tuple(rule.columns)
    candidates: list[tuple[str | None, list[list[str]]]]
    if source.is_sheet:
        sheets = source.sheets
        if rule.sheet is not None:
            sheets = {k: v for k, v in sheets.items() if k == rule.sheet}
        candidates = [
            (name, [[c or "" for c in row] for row in frame.head(rule.header_search_lines).rows()])
            for name, frame in sheets.items()
        ]
    else:
        head = source.lines[: rule.header_search_lines]
        candidates = [(None, [_split(line, rule.delimiter) for line in head])]
    for sheet, rows in candidates:
        for index, cells in enumerate(rows):
            names = tuple(clean_name(c) for c in cells)
            if set(rule.absent) & set(names):
                continue  # a column this format never has: another format's header
            missing = tuple(c for c in rule.columns if c not in set(names))
            if not missing:
                return Header(sheet, index, names), ()
            if len(missing) < len(best_missing) and len(wanted) - len(missing) > 0:
                best_missing = missing
    return None, best_missing


def read_table(source: Source, rule: Rule, header: Header) -> pl.DataFrame:
    """The rows under ``header`` as cleaned text cells, plus ``__row`` (1-based source line)."""
    names = _unique(header.names)
    if source.is_sheet:
        frame = _read_sheet(source.sheets[header.sheet or ""], header, names)
    else:
        frame = _read_text(source, rule, header, names)
    frame = frame.with_columns(clean_cells(pl.col(n)) for n in names)
    if rule.footer:
        first = names[0]
        frame = frame.filter(~pl.col(first).fill_null("").str.contains(rule.footer))
    return frame


def _read_sheet(sheet: pl.DataFrame, header: Header, names: list[str]) -> pl.DataFrame:
    """The sheet's rows below the header, named; empty rows dropped; ``__row`` = Excel row."""
    body = sheet.slice(header.index + 1)
    width = len(names)
    have = body.columns[:width]
    frame = body.select(
        *[pl.col(c).fill_null("").alias(n) for c, n in zip(have, names, strict=False)],
        *[pl.lit("").alias(n) for n in names[len(have) :]],
    ).with_columns(__row=pl.int_range(header.index + 2, header.index + 2 + pl.len()))
    return frame.filter(~pl.all_horizontal(pl.col(n).str.strip_chars() == "" for n in names))


def _read_text(source: Source, rule: Rule, header: Header, names: list[str]) -> pl.DataFrame:
    body = pl.DataFrame({"line": source.lines[header.index + 1 :]}).with_columns(
        __row=pl.int_range(header.index + 2, header.index + 2 + pl.len())
    )
    keep = pl.col("line").str.strip_chars() != ""
    if rule.comment:
        keep &= ~pl.col("line").str.strip_chars_start().str.starts_with(rule.comment)
    if rule.footer:
        keep &= ~pl.col("line").str.contains(rule.footer)
    body = body.filter(keep)
    if body.height == 0:
        return pl.DataFrame(schema=[*names, "__row"])
    text = "\n".join(body["line"].to_list())
    frame = pl.read_csv(
        io.BytesIO(text.encode("utf-8")),
        has_header=False,
        infer_schema=False,
        separator=rule.delimiter,
        truncate_ragged_lines=True,
    )
    frame = frame.select(frame.columns[: len(names)])
    frame = frame.rename(dict(zip(frame.columns, names, strict=False)))
    if frame.width < len(names):  # every row shorter than the header
        frame = frame.with_columns(pl.lit("").alias(n) for n in names[frame.width :])
    frame = frame.select(names)
    rows = (
        body["__row"]
        if frame.height == body.height
        else pl.int_range(header.index + 2, header.index + 2 + frame.height, eager=True)
    )
    return frame.with_columns(__row=rows)


def _unique(names: tuple[str, ...]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out
