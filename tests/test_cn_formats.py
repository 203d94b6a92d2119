"""JD, Pinduoduo and Douyin formats and spreadsheet input (issue #3 part A).

The golden fixtures (tests/test_golden.py) hold the rows; these tests hold the promises around
them: unknown fee names land in ``unclassified``, a wide row's amounts add up to its total, a
workbook reads the same whatever its file format, and sheet rows keep their Excel numbers.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from finance.errors import ImportRejected
from finance.golden import normalise_file
from finance.normalise import Context, normalise
from finance.read import open_source, read_table
from finance.read.identify import identify
from finance.resources import shipped
from finance.rulebook import load_rules

from .conftest import FIXTURES

RULES = load_rules(shipped("rules"))
RULE = {r.name: r for r in RULES}


@pytest.mark.parametrize(
    ("case", "fee_name"),
    [
        ("jd-settlement/settlement.xlsx", "新品推广服务费"),
        ("pdd-ledger/ledger.csv", "其他服务费 / 其他服务费-电子面单"),
        ("douyin-settlement/settlement.csv", "结算金额差额"),
        ("douyin-funds/funds-动账流水号.csv", "平台活动返还 / 活动返还"),
    ],
)
def test_unknown_fee_name_lands_in_unclassified(case: str, fee_name: str) -> None:
    _, rows = normalise_file(FIXTURES / case, RULES)
    unclassified = rows.filter(pl.col("category") == "unclassified")
    assert unclassified["fee_name"].to_list() == [fee_name]


def test_a_fee_column_douyin_adds_later_is_kept_as_the_unexplained_difference() -> None:
    """新增补贴 (2.00) is in no rule: the row's 结算金额 still arrives whole."""
    _, rows = normalise_file(FIXTURES / "douyin-settlement" / "settlement.csv", RULES)
    per_order = dict(
        rows.group_by("order_id")
        .agg(pl.col("amount").str.replace(r"\.", "").cast(pl.Int64).sum())
        .rows()
    )
    assert per_order == {"6928000000000000101": 10353, "6928000000000000201": 17265}


def test_the_summary_row_of_a_wide_statement_is_dropped() -> None:
    _, rows = normalise_file(FIXTURES / "douyin-settlement" / "settlement.csv", RULES)
    assert rows["order_id"].null_count() == 0
    assert set(rows["source_row"].to_list()) == {"2", "3"}


def test_xls_and_xlsx_of_one_workbook_give_the_same_rows() -> None:
    folder = FIXTURES / "jd-settlement"
    _, xlsx = normalise_file(folder / "settlement.xlsx", RULES)
    _, xls = normalise_file(folder / "settlement.xls", RULES)
    assert xls.equals(xlsx)
    assert xlsx["source_row"][0] == "3"  # title row 1, header row 2: Excel row numbers


def _wide_frame(rows: list[tuple[int, ...]], columns: list[str]) -> pl.DataFrame:
    def text(cents: int) -> str:
        sign = "-" if cents < 0 else ""
        return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"

    data = {
        "结算时间": ["2026-10-09 03:00:00"] * len(rows),
        "订单号": [f"69280000000000{i:05d}" for i in range(len(rows))],
        "子订单号": [f"69280000000001{i:05d}" for i in range(len(rows))],
    }
    for j, name in enumerate([*columns, "结算金额"]):
        data[name] = [text(r[j]) for r in rows]
    return pl.DataFrame(data).with_columns(__row=pl.int_range(2, 2 + len(rows)))


MONEY = st.integers(min_value=-10_000_000, max_value=10_000_000)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_unpivot_conserves_each_rows_total(data: st.DataObject) -> None:
    """Whatever the cells, the canonical rows of a wide row add up to its 结算金额."""
    rule = RULE["douyin-settlement"]
    columns = ["用户实付", "平台补贴", "平台服务费", "佣金", "站外推广费"]
    n = data.draw(st.integers(min_value=1, max_value=6))
    rows = [tuple(data.draw(MONEY) for _ in range(len(columns) + 1)) for _ in range(n)]
    out = normalise(_wide_frame(rows, columns), rule, Context(file="wide.csv", default_shop="店"))
    sums = dict(out.group_by("order_id").agg(pl.col("amount").sum()).rows())
    for i, row in enumerate(rows):
        assert sums.get(f"69280000000000{i:05d}", 0) == row[-1]
    assert (out["amount"] != 0).all()


def test_a_sheet_that_starts_below_and_right_of_a1_keeps_excel_row_numbers(
    tmp_path: Path,
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "报表"
    ws["C3"] = "千川消耗"
    header = ["日期", "计划名称", "商品ID", "消耗(元)", "成交金额(元)"]
    for j, name in enumerate(header):
        ws.cell(row=5, column=2 + j, value=name)
    ws.cell(row=6, column=2, value="2026-10-01")
    ws.cell(row=6, column=3, value="计划A")
    ws.cell(row=6, column=4, value="3612345678900000001")
    ws.cell(row=6, column=5, value="abc")
    path = tmp_path / "千川.xlsx"
    wb.save(path)
    source = open_source(path)
    match = identify(source, RULES)
    raw = read_table(source, match.rule, match.header)
    with pytest.raises(ImportRejected) as info:
        normalise(raw, match.rule, Context(file=path.name, default_shop="店"))
    assert info.value.fields["row"] == 6
    assert info.value.fields["column"] == "消耗(元)"


def test_merged_cells_fill_the_cells_they_cover() -> None:
    source = open_source(FIXTURES / "pdd-ads" / "report.xlsx")
    sheet = source.sheets["推广明细"]
    assert sheet.row(0) == ("多多推广 商品报表 2026-10",) * 7  # title merged across
    assert sheet.row(2)[:3] == ("日期", "推广计划", "商品ID")  # merged down into the 2nd header row
    assert sheet["c0"][4] == sheet["c0"][3] == "46296"  # a date merged down two rows


def test_a_header_with_an_absent_column_is_not_that_format(tmp_path: Path) -> None:
    """An Alipay ledger whose 业务类型 was renamed 账务类型 has every pdd-ledger column, but also
    账务流水号, which pdd-ledger lists as absent: no rule claims it."""
    header = (
        "账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,"
        "支出金额（-元）,账户余额（元）,交易渠道,账务类型,备注"
    )
    path = tmp_path / "renamed.csv"
    path.write_text(header + "\n1,2,3,4,2026-10-01 10:00:00,6,1.00,0.00,9,10,11,12\n", "utf-8")
    with pytest.raises(ImportRejected) as info:
        identify(open_source(path), RULES)
    assert info.value.key == "no_rule_matched"
    assert RULE["pdd-ledger"].absent == ("账务流水号", "业务流水号")


def test_an_empty_total_adds_no_difference_row() -> None:
    frame = _wide_frame([(11900, -595, 0)], ["用户实付", "平台服务费"]).with_columns(
        pl.lit("-").alias("结算金额")
    )
    out = normalise(frame, RULE["douyin-settlement"], Context(file="w.csv", default_shop="店"))
    assert out["fee_name"].to_list() == ["用户实付", "平台服务费"]
    assert out["amount"].to_list() == [11900, -595]


def test_one_movement_has_one_key_whichever_spelling_of_its_id_column(tmp_path: Path) -> None:
    original = FIXTURES / "douyin-funds" / "funds.csv"
    respelled = tmp_path / "动账明细.csv"
    respelled.write_bytes(
        original.read_bytes().replace("动帐流水号".encode(), "动账流水号".encode())
    )
    _, before = normalise_file(original, RULES)
    _, after = normalise_file(respelled, RULES)
    assert after["natural_key"].to_list() == before["natural_key"].to_list()
    assert after["entry_id"].to_list() == before["entry_id"].to_list()
