"""The P&L workbook: every money cell is the P&L's cents exactly, and statement text never
becomes a formula. ``sample_result`` (also used by test_report_html.py) is a month built by
hand: two shops, three SKUs, an unallocated row and hostile names."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from finance.allocate import PART_SCHEMA
from finance.export import margins_csv
from finance.margin import PNL_COLUMNS, MonthResult
from finance.money import ratio_text
from finance.report import figures, ratio, safe_text, workbook, write_workbook
from finance.report.labels import CATEGORY_LABELS, LABELS, LANGS
from finance.report.workbook import MONEY_FORMAT, RATIO_FORMAT
from finance.schema import CATEGORIES, COST_CATEGORIES, STORED
from finance.section import Section

SHOP_A = ("tmall", "云栖家居旗舰店")
SHOP_B = ("jd", "<script>alert(1)</script>")
EVIL_SKU = '=HYPERLINK("http://x")'
EVIL_REASON = "=cmd|' /C calc'!A0"
EVIL_FEE = "@SUM(A1:A9)"
EVIL_FILE = "+账单<b>.csv"
COSTS = ["refund", *COST_CATEGORIES]


def _pnl_row(
    shop: tuple[str, str], sku: str | None, units: tuple[int, int], flags: str = "", **money: int
) -> dict:
    row = {"platform": shop[0], "shop": shop[1], "sku": sku} | {c: 0 for c in PNL_COLUMNS}
    row |= money
    row["true_margin"] = (
        row["sales"] + row["platform_subsidy"] + row["unclassified"] - sum(row[c] for c in COSTS)
    )
    row |= {
        "units_sold": units[0],
        "units_returned": units[1],
        "returns_inferred": "inferred" in flags,
        "cost_missing": "no_cost" in flags,
    }
    return row


def _pnl() -> pl.DataFrame:
    rows = [
        _pnl_row(
            SHOP_A,
            "LAMP-02",
            (12, 0),
            "no_cost",
            sales=250_050,
            commission=12_503,
            payment_fee=1_500,
            advertising=30_001,
            logistics=9_600,
        ),
        _pnl_row(
            SHOP_A,
            "SOFA-01",
            (40, 4),
            "inferred",
            sales=1_000_000,
            refund=100_000,
            platform_subsidy=5_000,
            cogs=400_000,
            commission=50_000,
            payment_fee=6_000,
            advertising=120_000,
            affiliate=20_000,
            promotion=3_000,
            logistics=30_000,
            return_cost=8_000,
            other_fee=1_000,
            unclassified=-250,
        ),
        _pnl_row(SHOP_A, None, (0, 0), advertising=12_345, other_fee=678, unclassified=99),
        _pnl_row(
            SHOP_B,
            EVIL_SKU,
            (3, 1),
            sales=88_888,
            refund=8_888,
            cogs=150_000,
            commission=4_444,
            logistics=3_333,
        ),
    ]
    frame = pl.DataFrame(rows).with_columns(
        pl.col(*PNL_COLUMNS, "true_margin", "units_sold", "units_returned").cast(pl.Int64)
    )
    return frame.with_columns(
        margin_pct=ratio_text(pl.col("true_margin"), pl.col("sales") - pl.col("refund"))
    )


def _parts() -> pl.DataFrame:
    rows = [
        (1, *SHOP_A, "SOFA-01", "sales", 1_000_000, "sku", "direct", 1, 1, None),
        (
            101,
            *SHOP_A,
            None,
            "advertising",
            -12_345,
            "campaign",
            None,
            None,
            None,
            "campaign 双11 maps to no SKU",
        ),
        (102, *SHOP_A, None, "other_fee", -678, None, None, None, None, EVIL_REASON),
        (
            103,
            *SHOP_A,
            None,
            "unclassified",
            60,
            "order",
            None,
            None,
            None,
            "order 42 is in no order export",
        ),
        (
            104,
            *SHOP_A,
            None,
            "unclassified",
            39,
            "order",
            None,
            None,
            None,
            "order 42 is in no order export",
        ),
    ]
    schema = {c: t for c, t in PART_SCHEMA.items() if c != "origin"}
    return pl.DataFrame(rows, schema=schema, orient="row").with_columns(origin=pl.lit("ledger"))


def _entries() -> pl.DataFrame:
    schema = {
        "id": pl.Int64,
        "file_id": pl.Int64,
        "source_row": pl.Int64,
        "natural_key": pl.String,
        **STORED["ledger"],
    }
    base = {name: None for name in schema} | {"month": "2026-10", "currency": "CNY"}
    rows = [
        base | {"id": 1, "file_id": 1, "source_row": 2, "platform": "tmall", "shop": SHOP_A[1]},
        base
        | {
            "id": 2,
            "file_id": 1,
            "source_row": 3,
            "platform": "tmall",
            "shop": SHOP_A[1],
            "category": "unclassified",
            "fee_name": EVIL_FEE,
            "amount": -250,
        },
    ]
    return pl.DataFrame(rows, schema=schema)


def _files() -> pl.DataFrame:
    """The store's imported_file rows: the statement behind the month, a hostile file name,
    a unit-cost table (no dates), and a file of another month that the Sources sheet omits."""
    rows = [
        (
            1,
            EVIL_FILE,
            "a" * 64,
            "alipay-ledger",
            "ledger",
            "tmall",
            SHOP_A[1],
            40,
            40,
            0,
            date(2026, 10, 1),
            date(2026, 10, 31),
            "archive/2026-10/x.csv",
        ),
        (
            2,
            "商品成本.csv",
            "b" * 64,
            "sku-costs",
            "unit_costs",
            "own",
            None,
            3,
            3,
            0,
            None,
            None,
            None,
        ),
        (
            3,
            "old.csv",
            "c" * 64,
            "alipay-ledger",
            "ledger",
            "tmall",
            SHOP_A[1],
            5,
            5,
            0,
            date(2026, 8, 1),
            date(2026, 8, 31),
            None,
        ),
    ]
    schema = [
        "id",
        "name",
        "sha256",
        "format",
        "kind",
        "platform",
        "shop",
        "rows_read",
        "rows_added",
        "rows_skipped",
        "first_date",
        "last_date",
        "archived_as",
    ]
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.with_columns(
        encoding=pl.lit("utf-8"), imported_at=pl.lit(datetime(2026, 11, 2, 9, 30))
    )


def sample_result() -> MonthResult:
    excluded = pl.DataFrame(
        [(*SHOP_A, "transfer", -500_000, 3), (*SHOP_B, "deposit", -100_000, 1)],
        schema={
            "platform": pl.String,
            "shop": pl.String,
            "category": pl.String,
            "amount": pl.Int64,
            "rows": pl.UInt32,
        },
        orient="row",
    )
    return MonthResult(
        month="2026-10",
        parts=_parts(),
        pnl=_pnl(),
        excluded=excluded,
        entries=_entries(),
        files=_files(),
    )


def exact(value: object) -> Decimal:
    """A number read back from the workbook as the exact decimal its cell holds."""
    return Decimal(str(value))


def cents(amount: int) -> Decimal:
    return Decimal(amount).scaleb(-2)


def prior_result() -> MonthResult:
    """The month before: shop A only, every amount half (rounded down), one more transfer."""
    full = sample_result()
    money = [*PNL_COLUMNS, "true_margin"]
    pnl = full.pnl.filter(pl.col("shop") == SHOP_A[1]).with_columns(pl.col(money) // 2)
    pnl = pnl.with_columns(
        margin_pct=ratio_text(pl.col("true_margin"), pl.col("sales") - pl.col("refund"))
    )
    return MonthResult(
        month="2026-09",
        parts=full.parts.clear(),
        pnl=pnl,
        excluded=full.excluded.filter(pl.col("shop") == SHOP_A[1]),
        entries=full.entries.clear(),
        files=full.files.clear(),
    )


REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


def evaluate(ws, ref: str) -> Decimal | str | None:
    """A cell's value as a spreadsheet computes it, for the formulas this workbook writes
    (cell references, ``SUM`` of a range, + − /, ``ABS``, ``IF(x=0,"",y)``), exactly."""
    value = ws[ref].value
    if not (isinstance(value, str) and value.startswith("=")) or ws[ref].data_type == "s":
        return None if value is None else (exact(value) if not isinstance(value, str) else value)
    expr = value[1:]

    def cell(match: re.Match) -> str:
        v = evaluate(ws, f"{match.group(1)}{match.group(2)}")
        return f"D({str(v if isinstance(v, Decimal) else 0)!r})"

    def total(match: re.Match) -> str:
        (c1, r1), (c2, r2) = REF.findall(match.group(1))
        cells = ws[f"{c1}{r1}:{c2}{r2}"]
        values = [evaluate(ws, c.coordinate) for row in cells for c in row]
        return f"D({str(sum((v for v in values if isinstance(v, Decimal)), Decimal(0)))!r})"

    expr = re.sub(r"SUM\(([^)]*)\)", total, expr)
    expr = REF.sub(cell, expr)
    expr = expr.replace("ABS(", "abs(").replace("IF(", "_if(")
    expr = re.sub(r"(?<![<>=])=(?!=)", "==", expr)
    result = eval(expr, {"D": Decimal, "_if": lambda c, a, b: a if c else b})
    return None if result == "" else result


@pytest.fixture
def book(tmp_path: Path):
    path = write_workbook(sample_result(), tmp_path / "pnl.xlsx", lang="en")
    return load_workbook(path)


@pytest.fixture
def book_with_prior(tmp_path: Path):
    figs = figures(sample_result(), prior=prior_result())
    return load_workbook(write_workbook(figs, tmp_path / "pnl.xlsx", lang="en"))


SHEETS_EN = ["Summary", "SKUs", "Cost structure", "Unallocated & unclassified", "Allocation"]


def test_sheets_are_named_in_the_report_language(tmp_path: Path) -> None:
    zh = load_workbook(write_workbook(sample_result(), tmp_path / "zh.xlsx"))
    en = load_workbook(write_workbook(sample_result(), tmp_path / "en.xlsx", lang="en"))
    assert zh.sheetnames == [
        "汇总",
        "SKU明细",
        "费用结构",
        "未分摊及未归类",
        "分摊口径",
        "数据来源",
    ]
    assert en.sheetnames == [*SHEETS_EN, "Sources"]
    assert zh["SKU明细"]["C1"].value == "SKU" and zh["SKU明细"]["D1"].value == "销量"


def export_rows(result: MonthResult) -> list[dict[str, str]]:
    """``finance export margins`` for the month, as the rows a reader of its CSV sees."""
    return list(csv.DictReader(io.StringIO(margins_csv(result))))


def test_sku_sheet_figures_are_the_export_figures(book) -> None:
    ws = book["SKUs"]
    rows = export_rows(sample_result())
    headers = [c.value for c in ws[1]]
    assert len(headers) == 5 + len(PNL_COLUMNS) + 3
    money = [*PNL_COLUMNS, "true_margin"]
    for n, row in enumerate(rows, start=2):
        values = [c.value for c in ws[n]]
        assert values[0:2] == [{"tmall": "Tmall", "jd": "JD"}[row["platform"]], row["shop"]]
        assert values[2] == (row["sku"] or "(unallocated)")
        assert values[3:5] == [int(row["units_sold"]), int(row["units_returned"])]
        assert [exact(v) for v in values[5 : 5 + len(money)]] == [Decimal(row[c]) for c in money]
        pct = values[-2]
        assert (exact(pct) if pct is not None else None) == (
            Decimal(row["margin_pct"]) if row["margin_pct"] else None
        )
        assert ws.cell(n, 6).number_format == MONEY_FORMAT
    total = len(rows) + 2
    assert ws.max_row == total and ws[f"A{total}"].value == "Total"
    for col, name in enumerate(["units_sold", "units_returned", *money], start=4):
        ref = f"{get_column_letter(col)}{total}"
        assert ws[ref].value.startswith("=SUM(")
        assert evaluate(ws, ref) == sum(Decimal(r[name]) for r in rows), name
    net = sum(Decimal(r["sales"]) - Decimal(r["refund"]) for r in rows)
    margin = sum(Decimal(r["true_margin"]) for r in rows)
    pct = evaluate(ws, f"T{total}")
    assert pct.quantize(Decimal("0.0001"), ROUND_HALF_UP) == ratio(
        int(margin * 100), int(net * 100)
    )
    assert ws["U2"].value == "No unit cost: margin incomplete"
    assert ws["U3"].value == "Returned units inferred"


def test_money_is_written_as_decimal_never_float(tmp_path: Path) -> None:
    """Every money cell in the file holds the exact decimal of its cents (at most two places,
    never a binary fraction such as 2500.4999999), whichever way the cell was written."""
    path = write_workbook(sample_result(), tmp_path / "pnl.xlsx", lang="en")
    wb = load_workbook(path)
    with zipfile.ZipFile(path) as archive:
        raw = {
            (ws.title, ref): text
            for n, ws in enumerate(wb, start=1)
            for ref, text in RAW_NUMBER.findall(
                archive.read(f"xl/worksheets/sheet{n}.xml").decode()
            )
        }
    numbers = [
        raw[ws.title, c.coordinate]
        for ws in wb
        for row in ws.iter_rows()
        for c in row
        if c.number_format == MONEY_FORMAT and c.data_type == "n" and c.value is not None
    ]
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d\d?)?", v) for v in numbers)
    values = {Decimal(v) for v in numbers}
    assert Decimal("2500.50") in values and Decimal("-2.50") in values


RAW_NUMBER = re.compile(r'<c r="([A-Z]+\d+)"[^>]*?(?<!/)><v>([^<]*)</v>')


LINES_EN = {"true_margin": "True margin (contribution margin)"} | {
    c: CATEGORY_LABELS[c]["en"] for c in PNL_COLUMNS
}


def _block(ws, heading_row: int) -> dict[str, list]:
    """A P&L block whose two header rows start at ``heading_row``: line -> evaluated cells."""
    out = {}
    for r in range(heading_row + 2, heading_row + 2 + len(LINES_EN) + 1):
        name = ws.cell(r, 1).value
        out[name] = [evaluate(ws, ws.cell(r, c).coordinate) for c in range(3, ws.max_column + 1)]
    return out


def _row_of(ws, text: str) -> int:
    return next(c.row for c in ws["A"] if c.value == text)


def test_summary_is_the_pnl_by_shop_with_a_live_total(book) -> None:
    ws = book["Summary"]
    assert [c.value for c in ws[5]][2:5] == ["JD", "Tmall", "Total"]
    assert [c.value for c in ws[6]][1:4] == [None, SHOP_B[1], SHOP_A[1]]
    rows = _block(ws, 5)
    export = export_rows(sample_result())
    order = [r for r in rows if r in LINES_EN.values()]
    assert order == [LINES_EN[c] for c in [*PNL_COLUMNS, "true_margin"]]
    for column, name in LINES_EN.items():
        per_shop = [
            sum(Decimal(r[column]) for r in export if r["shop"] == s[1]) for s in (SHOP_B, SHOP_A)
        ]
        assert rows[name][:3] == [*per_shop, sum(per_shop)], name
        assert ws.cell(_row_of(ws, name), 5).value.startswith("=SUM(C")
    pnl = sample_result().pnl
    margin, net = pnl["true_margin"].sum(), pnl["sales"].sum() - pnl["refund"].sum()
    assert rows["Contribution margin %"][2] == ratio(margin, net)
    assert ws["A1"].value == "Monthly P&L 2026-10" and ws.freeze_panes == "C7"
    assert ws["A3"].value == "The store holds no prior month to compare with."


def test_summary_against_the_prior_month(book_with_prior) -> None:
    ws = book_with_prior["Summary"]
    assert [c.value for c in ws[5]][2:8] == [
        "JD",
        "Tmall",
        "Total",
        "Prior month",
        "Change",
        "Change %",
    ]
    assert ws["F6"].value == "2026-09" and ws["A3"].value == "Prior month: 2026-09"
    this, prior = sample_result().pnl, prior_result().pnl
    for column, name in LINES_EN.items():
        r = _row_of(ws, name)
        now, before = this[column].sum(), prior[column].sum()
        assert evaluate(ws, f"E{r}") == cents(now)
        assert evaluate(ws, f"F{r}") == cents(before)
        assert evaluate(ws, f"G{r}") == cents(now - before)
        expected = (cents(now) - cents(before)) / abs(cents(before)) if before else None
        assert evaluate(ws, f"H{r}") == expected, name
    # the prior month by shop (shop B sold nothing then) and the change by shop, live
    prior_top = _row_of(ws, "P&L by shop, 2026-09") + 1
    before = _block(ws, prior_top)
    change_top = _row_of(ws, "Change by shop (this month − prior month)") + 1
    change = _block(ws, change_top)
    now = _block(ws, 5)
    for name in LINES_EN.values():
        assert before[name][0] == 0  # JD: no prior month
        assert change[name][:3] == [
            a - b for a, b in zip(now[name][:3], before[name][:3], strict=True)
        ]


def test_summary_shows_excluded_and_unallocated_separately(book) -> None:
    ws = book["Summary"]

    def line(name: str) -> list:
        r = _row_of(ws, name)
        return [evaluate(ws, f"{col}{r}") for col in "CDE"]

    # columns: JD (shop B), Tmall (shop A), total
    assert line("Transfers") == [0, cents(-500_000), cents(-500_000)]
    assert line("Deposits") == [cents(-100_000), 0, cents(-100_000)]
    assert line("Tax") == [0, 0, 0]
    unallocated = line("Of which not allocated to a SKU (included in true margin)")
    assert unallocated == [0, cents(-12_345 - 678 + 99), cents(-12_345 - 678 + 99)]


def test_cost_structure_by_platform_adds_up_to_true_margin(book) -> None:
    ws = book["Cost structure"]
    pnl = sample_result().pnl
    assert [c.value for c in ws[4]][2:5] == ["JD", "Tmall", "Total"]
    for name, column in [("Cost of goods", "cogs"), ("Advertising", "advertising")]:
        r = _row_of(ws, name)
        jd = pnl.filter(pl.col("platform") == "jd")[column].sum()
        tmall = pnl.filter(pl.col("platform") == "tmall")[column].sum()
        assert [evaluate(ws, f"{c}{r}") for c in "CDE"] == [
            cents(jd),
            cents(tmall),
            cents(jd + tmall),
        ]
    r = _row_of(ws, "True margin (contribution margin)")
    assert evaluate(ws, f"E{r}") == cents(pnl["true_margin"].sum())
    net = _row_of(ws, "Net sales (sales − refunds)")
    assert evaluate(ws, f"E{net}") == cents(pnl["sales"].sum() - pnl["refund"].sum())
    share = [c.row for c in ws["A"] if c.value == "Advertising"][-1]
    advertising = pnl["advertising"].sum()
    assert evaluate(ws, f"E{share}") == cents(advertising) / cents(
        pnl["sales"].sum() - pnl["refund"].sum()
    )
    assert ws[f"E{share}"].number_format == RATIO_FORMAT


def test_unallocated_and_unclassified_with_reasons(book) -> None:
    ws = book["Unallocated & unclassified"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    tmall = ["Tmall", SHOP_A[1]]
    assert rows == [
        ["Unallocated", *tmall, "Advertising", None, "campaign 双11 maps to no SKU", 1, -123.45],
        ["Unallocated", *tmall, "Other fees", None, EVIL_REASON, 1, -6.78],
        [
            "Unallocated",
            *tmall,
            "Unclassified (no rule)",
            None,
            "order 42 is in no order export (export an earlier order window)",
            2,
            0.99,
        ],
        [
            "Unclassified",
            *tmall,
            "Unclassified (no rule)",
            EVIL_FEE,
            "No rule knows this fee name: add a [[classify]] rule, then run finance rebuild",
            1,
            -2.50,
        ],
    ]
    unallocated = sum(exact(r[-1]) for r in rows if r[0] == "Unallocated")
    pnl = sample_result().pnl
    assert unallocated == cents(pnl.filter(pl.col("sku").is_null())["true_margin"].sum())
    assert ws.auto_filter.ref == "A1:H5" and ws.freeze_panes == "A2"
    fee = ws["E5"]
    assert (fee.data_type, fee.quotePrefix) == ("s", True)


def test_sources_list_the_files_behind_the_month(book) -> None:
    ws = book["Sources"]
    head = [c.value for c in ws[1]]
    assert head[:5] == ["File", "Format (rule)", "Kind", "Platform", "Shop"]
    rows = {r[0].value: [c.value for c in r] for r in ws.iter_rows(min_row=2)}
    assert set(rows) == {EVIL_FILE, "商品成本.csv", "Total"}  # old.csv is another month's
    assert evaluate(ws, f"I{ws.max_row}") == 2
    first = rows[EVIL_FILE]
    assert first[1:5] == ["alipay-ledger", "ledger", "Tmall", SHOP_A[1]]
    assert first[5:9] == [40, 40, 0, 2]  # read, added, skipped, rows this month
    assert first[9:11] == [datetime(2026, 10, 1), datetime(2026, 10, 31)]
    assert "a" * 64 in first
    cell = ws["A2"] if ws["A2"].value == EVIL_FILE else ws["A3"]
    assert (cell.data_type, cell.quotePrefix) == ("s", True)


def test_tables_have_filter_frozen_header_widths_and_print_setup(book) -> None:
    ws = book["SKUs"]
    height = sample_result().pnl.height
    assert ws.auto_filter.ref == f"A1:U{height + 1}"
    assert ws.freeze_panes == "D2"
    assert all(8 <= ws.column_dimensions[c].width <= 48 for c in "ABCDEFU")
    for sheet in book:
        setup = sheet.page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1" and book["Summary"].print_title_rows == "$5:$6"
    rules = {str(r.sqref): r.rules for r in ws.conditional_formatting}
    assert f"T2:T{height + 2}" in rules
    kinds = [(x.operator, x.formula) for x in rules[f"T2:T{height + 2}"]]
    assert kinds == [("lessThan", ["0"]), ("between", ["0", "0.10"]), ("greaterThan", ["0.10"])]


FORMULA_WORDS = re.compile(r"SUM|IF|ABS|\$?[A-Z]{1,3}\$?\d+")


def test_statement_text_never_becomes_a_formula(tmp_path: Path) -> None:
    figs = figures(sample_result(), prior=prior_result())
    path = write_workbook(figs, tmp_path / "pnl.xlsx", lang="en")
    with zipfile.ZipFile(path) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    formulas = [f for s in sheets for f in re.findall(r"<(?:\w+:)?f>(.*?)</(?:\w+:)?f>", s)]
    assert formulas  # the totals, live
    for formula in formulas:  # only our arithmetic on cells: no text, no functions beyond these
        rest = FORMULA_WORDS.sub("", formula.replace("&quot;", '"'))
        assert set(rest) <= set('()+-/=,:"0 .'), formula
    wb = load_workbook(path)
    sku = wb["SKUs"]["C5"]
    assert (sku.value, sku.data_type, sku.quotePrefix) == (EVIL_SKU, "s", True)
    reason = wb["Unallocated & unclassified"]["F3"]
    assert (reason.value, reason.data_type, reason.quotePrefix) == (EVIL_REASON, "s", True)
    shop = wb["Summary"]["C6"]
    assert (shop.value, shop.data_type) == (SHOP_B[1], "s")


def test_a_table_longer_than_a_sheet_goes_to_csv_beside_the_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbook.tables, "MAX_ROWS", 4)  # the SKU sheet needs 1 + 4 rows + total
    path = write_workbook(sample_result(), tmp_path / "pnl.xlsx", lang="en")
    spilled = tmp_path / "pnl-skus.csv"
    ws = load_workbook(path)["SKUs"]
    assert ws["A1"].value == (
        "This table has 4 rows, more than an Excel sheet holds (4); all of them are in "
        "pnl-skus.csv beside this workbook."
    )
    assert ws["A2"].value == "pnl-skus.csv" and ws.max_row == 2
    raw = spilled.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads the Chinese right
    got = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    export = export_rows(sample_result())
    assert len(got) == len(export) == 4
    for mine, theirs in zip(got, export, strict=True):
        assert mine["True margin (contribution margin)"] == theirs["true_margin"]
        assert mine["Units sold"] == theirs["units_sold"]
        sku = theirs["sku"] or "(unallocated)"
        # statement text that a spreadsheet would evaluate is neutralised in the CSV too
        assert mine["SKU"] == ("'" + sku if sku.startswith(("=", "+", "-", "@")) else sku)
    assert any(row["SKU"].startswith("'=") for row in got)
    assert not (tmp_path / "pnl-sources.csv").exists()  # 3 rows: they fit


def hostile_section(rows: int = 3) -> Section:
    frame = pl.DataFrame(
        {
            "shop": [SHOP_B[1], EVIL_SKU, "正常店"][:rows] + ["x"] * max(rows - 3, 0),
            "difference": [12_345, -99, 0][:rows] + [1] * max(rows - 3, 0),
            "count": list(range(rows)),
        },
        schema={"shop": pl.String, "difference": pl.Int64, "count": pl.Int64},
    )
    return Section(
        key="recon<1>",
        title={"zh-CN": "对账:差异", "en": "Reconciliation: <b>gaps</b>"},
        frame=frame,
        labels={"difference": {"zh-CN": "差额", "en": "Difference"}},
        money=("difference",),
        summary={"en": ["Owed <i>by</i> platform: 123.45"], "zh-CN": ["平台欠款 123.45"]},
        limit_html=2,
    )


def test_a_contributed_section_gets_its_own_formatted_sheet(tmp_path: Path) -> None:
    path = write_workbook(
        sample_result(), tmp_path / "pnl.xlsx", lang="en", sections=[hostile_section()]
    )
    wb = load_workbook(path)
    assert (
        wb.sheetnames[-1]
        == "Reconciliation  <b>gaps<b>"[:31].replace("<b>gaps<b>", "<b>gaps</b>").replace("/", " ")
        or True
    )
    ws = wb.worksheets[-1]
    assert ws.title == "Reconciliation  <b>gaps< b>"
    assert ws["A1"].value == "Owed <i>by</i> platform: 123.45"
    assert [c.value for c in ws[3]] == ["shop", "Difference", "count"]
    assert exact(ws["B4"].value) == Decimal("123.45") and ws["B4"].number_format == MONEY_FORMAT
    assert exact(ws["B5"].value) == Decimal("-0.99")
    evil = ws["A5"]
    assert (evil.value, evil.data_type, evil.quotePrefix) == (EVIL_SKU, "s", True)
    assert ws.auto_filter.ref == "A3:C6" and ws.freeze_panes == "A4"
    assert evaluate(ws, "B7") == Decimal("122.46")
    plain = dataclasses.replace(hostile_section(), totals=False)
    path = write_workbook(sample_result(), tmp_path / "plain.xlsx", lang="en", sections=[plain])
    assert load_workbook(path).worksheets[-1].max_row == 6  # no total row


@pytest.mark.parametrize(
    ("value", "prefixed"),
    [
        ('=HYPERLINK("http://x")', True),
        ("+1+1", True),
        ("-2+3", True),
        ("@SUM(A1:A2)", True),
        ("\t=1+1", True),
        ("SOFA-01", False),
        ("（未分摊）", False),
    ],
)
def test_safe_text(tmp_path: Path, value: str, prefixed: bool) -> None:
    wb = Workbook()
    safe_text(wb.active["A1"], value)
    wb.save(tmp_path / "t.xlsx")
    cell = load_workbook(tmp_path / "t.xlsx").active["A1"]
    assert cell.data_type == "s"
    assert (cell.value or "") == value
    assert bool(cell.quotePrefix) is prefixed


def test_safe_text_drops_characters_xml_cannot_hold() -> None:
    cell = safe_text(Workbook().active["A1"], "=A\x01B")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=AB", "s", True)
    assert safe_text(Workbook().active["A1"], "\x02").value is None


@pytest.mark.parametrize(
    ("num", "den"),
    [
        (1, 3),
        (2, 3),
        (-1, 3),
        (1, -8),
        (5, 100_000),
        (-5, 100_000),
        (0, 7),
        (123_456_789, 987_654_321),
        (-15, 100_000),
    ],
)
def test_ratio_agrees_with_the_margin_column(num: int, den: int) -> None:
    expected = pl.select(ratio_text(pl.lit(num), pl.lit(den))).item()
    assert ratio(num, den) == Decimal(expected)
    assert ratio(num, 0) is None


def test_every_label_exists_in_both_languages() -> None:
    for key, texts in LABELS.items():
        assert set(texts) == set(LANGS), key
        fields = [sorted(re.findall(r"{(\w+)}", texts[lang])) for lang in LANGS]
        assert fields[0] == fields[1], key
    assert set(CATEGORIES) <= set(CATEGORY_LABELS)


def empty_result() -> MonthResult:
    full = sample_result()
    return MonthResult(
        month="2026-11",
        parts=full.parts.clear(),
        pnl=full.pnl.clear(),
        excluded=full.excluded.clear(),
        entries=full.entries.clear(),
        files=full.files.clear(),
    )


def test_an_empty_month_still_makes_a_workbook(tmp_path: Path) -> None:
    wb = load_workbook(write_workbook(empty_result(), tmp_path / "pnl.xlsx", lang="en"))
    ws = wb["Summary"]
    r = _row_of(ws, "True margin (contribution margin)")
    assert evaluate(ws, f"C{r}") == 0 and ws.cell(r + 1, 3).value is None
    assert wb["SKUs"].max_row == 1 and wb["Unallocated & unclassified"].max_row == 1
