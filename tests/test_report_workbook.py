"""The P&L workbook: every money cell is the P&L's cents exactly, and statement text never
becomes a formula. ``sample_result`` (also used by test_report_html.py) is a month built by
hand: two shops, three SKUs, an unallocated row and hostile names."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook, load_workbook

from finance.allocate import PART_SCHEMA
from finance.margin import PNL_COLUMNS, MonthResult
from finance.money import ratio_text
from finance.report import figures, ratio, safe_text, write_workbook
from finance.report.labels import CATEGORY_LABELS, LABELS, LANGS
from finance.report.workbook import MONEY_FORMAT, build
from finance.schema import CATEGORIES, COST_CATEGORIES, STORED

SHOP_A = ("tmall", "云栖家居旗舰店")
SHOP_B = ("jd", "<script>alert(1)</script>")
EVIL_SKU = '=HYPERLINK("http://x")'
EVIL_REASON = "=cmd|' /C calc'!A0"
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
    row = {name: None for name in schema} | {
        "id": 1,
        "file_id": 1,
        "source_row": 2,
        "month": "2026-10",
        "currency": "CNY",
    }
    return pl.DataFrame([row], schema=schema)


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
        files=pl.DataFrame({"id": [1], "name": ["a.csv"]}),
    )


def exact(value: object) -> Decimal:
    """A number read back from the workbook as the exact decimal its cell holds."""
    return Decimal(str(value))


def cents(amount: int) -> Decimal:
    return Decimal(amount).scaleb(-2)


@pytest.fixture
def book(tmp_path: Path):
    path = write_workbook(sample_result(), tmp_path / "pnl.xlsx", lang="en")
    return load_workbook(path)


def test_sheets_are_named_in_the_report_language(tmp_path: Path) -> None:
    zh = load_workbook(write_workbook(sample_result(), tmp_path / "zh.xlsx"))
    en = load_workbook(write_workbook(sample_result(), tmp_path / "en.xlsx", lang="en"))
    assert zh.sheetnames == ["汇总", "SKU明细", "未分摊", "分摊口径"]
    assert en.sheetnames == ["Summary", "SKUs", "Unallocated", "Allocation"]
    assert zh["SKU明细"]["C1"].value == "SKU" and zh["SKU明细"]["D1"].value == "销量"


def test_sku_sheet_money_is_the_pnl_cents_exactly(book) -> None:
    ws = book["SKUs"]
    pnl = sample_result().pnl
    headers = [c.value for c in ws[1]]
    assert len(headers) == 5 + len(PNL_COLUMNS) + 3
    for n, row in enumerate(pnl.iter_rows(named=True), start=2):
        values = [c.value for c in ws[n]]
        assert values[0:2] == [{"tmall": "Tmall", "jd": "JD"}[row["platform"]], row["shop"]]
        assert values[2] == (row["sku"] if row["sku"] is not None else "(unallocated)")
        assert values[3:5] == [row["units_sold"], row["units_returned"]]
        money = values[5 : 5 + len(PNL_COLUMNS) + 1]
        assert [exact(v) for v in money] == [cents(row[c]) for c in [*PNL_COLUMNS, "true_margin"]]
        pct = values[-2]
        assert (exact(pct) if pct is not None else None) == (
            Decimal(row["margin_pct"]) if row["margin_pct"] else None
        )
        assert ws.cell(n, 6).number_format == MONEY_FORMAT
    assert ws.max_row == pnl.height + 1
    assert ws["U2"].value == "No unit cost: margin incomplete"
    assert ws["U3"].value == "Returned units inferred"


def test_money_is_written_as_decimal_never_float() -> None:
    wb = build(figures(sample_result()), lang="en")
    numbers = [
        c.value
        for ws in wb
        for row in ws.iter_rows()
        for c in row
        if c.number_format == MONEY_FORMAT and c.value is not None
    ]
    assert numbers and all(isinstance(v, Decimal) for v in numbers)
    assert Decimal("2500.50") in numbers and Decimal("-2.50") in numbers


def _summary_rows(ws) -> dict[str, list]:
    return {r[0].value: [c.value for c in r[2:]] for r in ws.iter_rows(min_row=6) if r[0].value}


def test_summary_is_the_pnl_by_shop_with_a_total(book) -> None:
    ws = book["Summary"]
    assert [c.value for c in ws[4]][2:] == ["JD", "Tmall", "Total"]
    assert [c.value for c in ws[5]][1:4] == [None, SHOP_B[1], SHOP_A[1]]
    rows = _summary_rows(ws)
    pnl = sample_result().pnl
    labels = {"true_margin": "True margin"} | {c: CATEGORY_LABELS[c]["en"] for c in PNL_COLUMNS}
    order = [r for r in rows if r in labels.values()]
    assert order == [labels[c] for c in [*PNL_COLUMNS, "true_margin"]]
    for column, label in labels.items():
        per_shop = [pnl.filter(pl.col("shop") == s[1])[column].sum() for s in (SHOP_B, SHOP_A)]
        assert [exact(v) for v in rows[label]] == [cents(v) for v in [*per_shop, sum(per_shop)]]
    margin, net = pnl["true_margin"].sum(), pnl["sales"].sum() - pnl["refund"].sum()
    assert exact(rows["Margin %"][2]) == ratio(margin, net)
    assert ws["A1"].value == "Monthly P&L 2026-10" and ws.freeze_panes == "C6"


def test_summary_shows_excluded_and_unallocated_separately(book) -> None:
    rows = _summary_rows(book["Summary"])
    # columns: JD (shop B), Tmall (shop A), total
    assert [exact(v) for v in rows["Transfers"]] == [0, cents(-500_000), cents(-500_000)]
    assert [exact(v) for v in rows["Deposits"]] == [cents(-100_000), 0, cents(-100_000)]
    assert [exact(v) for v in rows["Tax"]] == [0, 0, 0]
    unallocated = rows["Of which not allocated to a SKU (included in true margin)"]
    assert [exact(v) for v in unallocated] == [
        0,
        cents(-12_345 - 678 + 99),
        cents(-12_345 - 678 + 99),
    ]


def test_unallocated_sheet_groups_parts_by_shop_category_and_reason(book) -> None:
    ws = book["Unallocated"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert rows == [
        ["Tmall", SHOP_A[1], "Advertising", "campaign 双11 maps to no SKU", 1, -123.45],
        ["Tmall", SHOP_A[1], "Other fees", EVIL_REASON, 1, -6.78],
        [
            "Tmall",
            SHOP_A[1],
            "Unclassified (no rule)",
            "order 42 is in no order export (export an earlier order window)",
            2,
            0.99,
        ],
    ]
    total = sum(exact(r[-1]) for r in rows)
    pnl = sample_result().pnl
    assert total == cents(pnl.filter(pl.col("sku").is_null())["true_margin"].sum())
    assert ws.auto_filter.ref == "A1:F4" and ws.freeze_panes == "A2"


def test_tables_have_a_filter_a_frozen_header_and_widths(book) -> None:
    ws = book["SKUs"]
    assert ws.auto_filter.ref == f"A1:U{sample_result().pnl.height + 1}"
    assert ws.freeze_panes == "D2"
    assert all(8 <= ws.column_dimensions[c].width <= 48 for c in "ABCDEFU")


def test_statement_text_never_becomes_a_formula(tmp_path: Path) -> None:
    path = write_workbook(sample_result(), tmp_path / "pnl.xlsx", lang="en")
    with zipfile.ZipFile(path) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(re.search(r"<(\w+:)?f[ >]", s) for s in sheets)
    wb = load_workbook(path)
    sku = wb["SKUs"]["C5"]
    assert (sku.value, sku.data_type, sku.quotePrefix) == (EVIL_SKU, "s", True)
    reason = wb["Unallocated"]["D3"]
    assert (reason.value, reason.data_type, reason.quotePrefix) == (EVIL_REASON, "s", True)
    shop = wb["Summary"]["C5"]
    assert (shop.value, shop.data_type) == (SHOP_B[1], "s")


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
    rows = _summary_rows(wb["Summary"])
    assert rows["True margin"] == [0] and rows["Margin %"] == [None]
    assert wb["SKUs"].max_row == 1 and wb["Unallocated"].max_row == 1
