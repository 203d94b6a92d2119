#!/usr/bin/env python3
"""Time the workbook writing alone, on one month's figures, with each engine in turn.

    python benchmarks/run.py --tier target        # once: the ingested target month
    pip install xlsxwriter                        # not a dependency of finance
    python benchmarks/workbook_engines.py --runs 5

Computes the month's figures and sections once (as ``pipeline.write_reports`` does), then
alternates the engines (A B C A B C …, so a machine whose speed drifts moves them alike), each
writing into a temporary folder, and prints each one's min and median wall and CPU seconds:

- ``openpyxl+xlsxrows``: ``finance.report.write_workbook``, the whole workbook as it ships;
- ``xlsxwriter``: XlsxWriter (constant-memory mode) writing only the data rows of every table
  ``workbook.table`` lays out (the same frames, captured from a first run), cell by cell with the
  cell formats the workbook needs (number formats, Excel's quote prefix on text that starts like a
  formula, the muted font), a header row, an autofilter and the total row; the frames are built
  before the clock starts and the Summary and Cost structure sheets are left out, so this is
  less than a whole XlsxWriter workbook would cost;
- ``polars.write_excel``: the same frames through polars' own XlsxWriter driver, with column
  formats and totals but no per-cell quote prefix (which it cannot do): less again.

FINDINGS.md (fourth round) has the figures and the decision.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402


def month_figures(ws_path: Path, month: str):  # type: ignore[no-untyped-def]
    """The figures, sections and language ``pipeline.write_reports`` hands the workbook."""
    from finance import pipeline
    from finance.month import TREND_SCHEMA, month_result, month_totals, one_pass, report_history
    from finance.report import figures
    from finance.workspace import open_workspace

    ws = open_workspace(ws_path)
    store = pipeline.open_store(ws)
    try:
        with one_pass(store):
            result = month_result(ws, store, month)
            prior, trend = report_history(ws, store, month)
            row = pl.DataFrame([month_totals(result)], schema=TREND_SCHEMA)
            figs = figures(result, prior=prior, trend=pl.concat([trend, row]))
            sections = pipeline.collect(ws, store, month)
    finally:
        store.close()
    return figs, sections, ws.language


def captured_tables(figs, sections, lang: str, folder: Path) -> list[tuple]:  # type: ignore[no-untyped-def]
    """(sheet title, frame, columns, top) of every table the workbook lays out."""
    from finance.report import write_workbook
    from finance.report.workbook import detail, skus, tables
    from finance.report.workbook import sections as section_sheets

    found: list[tuple] = []
    original = tables.table

    def record(ws, frame, columns, lang, **kw):  # type: ignore[no-untyped-def]
        found.append((ws.title, frame, columns, kw.get("top", 1)))
        return original(ws, frame, columns, lang, **kw)

    modules = (skus, detail, section_sheets)
    for module in modules:
        module.table = record  # type: ignore[attr-defined]
    try:
        write_workbook(figs, folder / "capture.xlsx", lang=lang, sections=sections)
    finally:
        for module in modules:
            module.table = original  # type: ignore[attr-defined]
    return found


def _cell_values(frame: pl.DataFrame, columns: list) -> pl.DataFrame:  # type: ignore[type-arg]
    """Each column as the cells take it: money as exact Decimal yuan, ratios as Decimal, text
    without the characters XML cannot hold (and a flag column: starts like a formula)."""
    from finance.report.xlsxrows import FORMULA_LIKE, ILLEGAL_XML

    hundred = pl.lit(100).cast(pl.Decimal(38, 2))
    exprs = []
    for c in columns:
        value = pl.col(c.name)
        if c.kind == "money":
            exprs.append(value.cast(pl.Decimal(38, 2)).truediv(hundred).alias(c.name))
        elif c.kind == "ratio":
            blank = pl.when(value == "").then(None).otherwise(value)
            exprs.append(blank.cast(pl.Decimal(38, 4)).alias(c.name))
        elif c.kind == "text":
            text = value.cast(pl.String).str.replace_all(ILLEGAL_XML, "")
            text = pl.when(text == "").then(None).otherwise(text)
            exprs.append(text.alias(c.name))
            exprs.append(text.str.contains(FORMULA_LIKE).fill_null(False).alias(f"{c.name}\0q"))
        else:
            exprs.append(value)
        if c.muted:
            exprs.append(pl.col(c.muted).alias(f"{c.name}\0m"))
    return frame.select(exprs)


def write_xlsxwriter(found: list[tuple], path: Path) -> None:
    import xlsxwriter
    from xlsxwriter.utility import xl_col_to_name

    from finance.report.workbook.style import NUMBER_FORMATS

    book = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False})
    muted = {"italic": True, "font_color": "#666666"}
    numbers = {kind: book.add_format({"num_format": f}) for kind, f in NUMBER_FORMATS.items()}
    text = {
        (False, False): None,
        (True, False): book.add_format({"quote_prefix": True}),
        (False, True): book.add_format(muted),
        (True, True): book.add_format({**muted, "quote_prefix": True}),
    }
    head = book.add_format({"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "text_wrap": True})
    for title, frame, columns, top in found:
        sheet = book.add_worksheet(title[:31])
        first = top - 1
        for col, column in enumerate(columns):
            sheet.write_string(first, col, column.heading, head)
        data = _cell_values(frame, columns)
        names = data.columns
        plan = []
        for column in columns:
            at = names.index(column.name)
            if column.kind == "text":
                muted_at = names.index(f"{column.name}\0m") if column.muted else -1
                plan.append((0, at, names.index(f"{column.name}\0q"), muted_at, None))
            else:
                kind = 2 if column.kind in ("date", "datetime") else 1
                plan.append((kind, at, -1, -1, numbers[column.kind]))
        row = first
        string, number, moment = sheet.write_string, sheet.write_number, sheet.write_datetime
        for values in data.iter_rows():
            row += 1
            for col, (kind, at, quoted, grey, fmt) in enumerate(plan):
                value = values[at]
                if value is None:
                    continue
                if kind == 0:
                    string(row, col, value, text[values[quoted], grey >= 0 and values[grey]])
                elif kind == 2:
                    moment(row, col, value, fmt)
                else:
                    number(row, col, value, fmt)
        if frame.height:
            sheet.autofilter(first, 0, row, len(columns) - 1)
            for col, column in enumerate(columns):
                if column.total:
                    letter = xl_col_to_name(col)
                    formula = f"=SUM({letter}{first + 2}:{letter}{row + 1})"
                    sheet.write_formula(row + 1, col, formula, numbers["money"])
        sheet.freeze_panes(first + 1, 0)
    book.close()


def write_polars(found: list[tuple], path: Path) -> None:
    import xlsxwriter

    from finance.report.workbook.style import NUMBER_FORMATS

    book = xlsxwriter.Workbook(path, {"strings_to_formulas": False})
    for title, frame, columns, _ in found:
        data = _cell_values(frame, columns).select([c.name for c in columns])
        data.write_excel(
            book,
            worksheet=title[:31],
            autofit=False,
            table_style=None,
            column_formats={c.name: NUMBER_FORMATS[c.kind] for c in columns if c.kind != "text"},
            column_totals=[c.name for c in columns if c.total] or False,
        )
    book.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ws", type=Path, default=HERE / ".work" / "target")
    parser.add_argument("--month", default=generate.MONTH)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from finance.report import write_workbook

    t = time.perf_counter()
    figs, sections, lang = month_figures(args.ws, args.month)
    print(f"figures: {figs.skus.height:,} SKU rows ({time.perf_counter() - t:.1f} s)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        found = captured_tables(figs, sections, lang, folder)
        cells = sum(frame.height * len(columns) for _, frame, columns, _ in found)
        print(f"tables: {len(found)}, {cells:,} data cells", flush=True)
        engines: dict[str, Callable[[Path], object]] = {
            "openpyxl+xlsxrows": lambda p: write_workbook(figs, p, lang=lang, sections=sections)
        }
        try:
            import xlsxwriter  # noqa: F401

            engines["xlsxwriter (tables only)"] = lambda p: write_xlsxwriter(found, p)
            engines["polars.write_excel (tables only)"] = lambda p: write_polars(found, p)
        except ImportError:
            print("xlsxwriter is not installed: timing openpyxl+xlsxrows alone")
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in engines}
        for run in range(args.runs):
            for n, (name, write) in enumerate(engines.items()):
                wall, cpu = time.perf_counter(), time.process_time()
                write(folder / f"{n}-{run}.xlsx")
                times[name].append((time.perf_counter() - wall, time.process_time() - cpu))
                print(f"  {name}: {times[name][-1][0]:.2f} s", flush=True)
        print(
            "\n| engine | wall min | wall median | CPU median | file |\n|---|---:|---:|---:|---:|"
        )
        for n, (name, runs) in enumerate(times.items()):
            walls, cpus = [w for w, _ in runs], [c for _, c in runs]
            size = (folder / f"{n}-0.xlsx").stat().st_size / 1e6
            print(
                f"| {name} | {min(walls):.2f} | {statistics.median(walls):.2f} | "
                f"{statistics.median(cpus):.2f} | {size:.1f} MB |"
            )


if __name__ == "__main__":
    main()
