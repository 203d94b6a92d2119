"""Write the depot courier bill workbook of the golden fixtures (two sheets).

    python scripts/samples/courier_workbook.py

``tests/fixtures/courier-bill-depot/bill-with-intercepts.xlsx``: a 圆通 depot's monthly bill as
its depot system saves it. Sheet ``运费明细``: a title row merged across the columns, the header,
one row per parcel (dates are date cells, weights and fees numbers), a ``合计`` row. Sheet
``拦截退回`` (intercepted returns, billed apart): a title row, the header ``日期, 快递单号, 金额``,
the date written once and merged down over the parcels of that day, and a ``合计`` row. Every
figure is computed here from the rows, so the file adds up as a real bill does.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fixtures" / "courier-bill-depot" / "bill-with-intercepts.xlsx"

# 发件日期, 运单编号, 目的省份, 目的网点, 实际重量, 体积重量, 结算重量, 合计运费, 到付款
PARCELS = [
    (
        datetime(2026, 10, 4, 9, 0),
        "YT7512345678901",
        "广东省",
        "广州白云三部",
        0.82,
        1.10,
        1.10,
        "6.00",
        0,
    ),
    (
        datetime(2026, 10, 5, 10, 30),
        "YT7511122233344",
        "浙江省",
        "杭州转运中心",
        1.40,
        0.90,
        1.40,
        "4.00",
        0,
    ),
    (
        datetime(2026, 10, 6, 16, 5),
        "YT7519876501234",
        "江苏省",
        "南京江宁一部",
        0.50,
        0.30,
        0.50,
        "3.20",
        0,
    ),
    (
        datetime(2026, 10, 9, 11, 45),
        "YT7514455667788",
        "四川省",
        "成都双流二部",
        2.05,
        2.40,
        2.40,
        "12.50",
        0,
    ),
]
INTERCEPTS = [  # 日期 (merged down over its day's rows), 快递单号, 金额
    (datetime(2026, 10, 7), "YT7519876501234", "3.00"),
    (datetime(2026, 10, 7), "YT7510001112223", "3.00"),
    (datetime(2026, 10, 7), "YT7510001112224", "4.50"),
    (datetime(2026, 10, 12), "YT7514455667788", "6.00"),
]


def _main_sheet(book: Workbook) -> None:
    sheet = book.active
    sheet.title = "运费明细"
    header = [
        "发件日期",
        "运单编号",
        "目的省份",
        "目的网点",
        "实际重量",
        "体积重量",
        "结算重量",
        "合计运费",
        "到付款",
    ]
    sheet["A1"] = "圆通速递 杭州仓前网点 客户月结账单 2026年10月"
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for when, waybill, province, depot, actual, volume, billed, fee, cod in PARCELS:
        sheet.append([when, waybill, province, depot, actual, volume, billed, float(fee), cod])
        sheet.cell(row=sheet.max_row, column=1).number_format = "yyyy-mm-dd hh:mm:ss"
    total = sum(Decimal(p[7]) for p in PARCELS)
    weight = sum(Decimal(str(p[6])) for p in PARCELS)
    sheet.append(["合计", None, None, None, None, None, float(weight), float(total), 0])


def _intercept_sheet(book: Workbook) -> None:
    sheet = book.create_sheet("拦截退回")
    sheet["A1"] = "拦截退回费用明细 2026年10月"
    sheet.merge_cells("A1:C1")
    sheet.append(["日期", "快递单号", "金额"])
    first = {}
    for when, waybill, fee in INTERCEPTS:
        row = sheet.max_row + 1
        if when not in first:
            first[when] = row
            sheet.cell(row=row, column=1, value=when).number_format = "yyyy-mm-dd"
        sheet.cell(row=row, column=2, value=waybill)
        sheet.cell(row=row, column=3, value=float(fee))
    for when, start in first.items():
        end = start + sum(1 for w, _, _ in INTERCEPTS if w == when) - 1
        if end > start:
            sheet.merge_cells(start_row=start, start_column=1, end_row=end, end_column=1)
    total = sum(Decimal(fee) for _, _, fee in INTERCEPTS)
    sheet.append(["合计", None, float(total)])


def main() -> None:
    book = Workbook()
    _main_sheet(book)
    _intercept_sheet(book)
    book.save(OUT)
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
