"""Write the golden-fixture inputs of the JD, Pinduoduo and Douyin formats (tests/fixtures/).

Small synthetic files in the real shapes and quirks of ../shared/formats/README.md, each few
enough rows to check by hand. Run from the repository root:

    python scripts/samples/fixtures_cn.py

The .xls fixture is a real BIFF8 file made from the .xlsx one by LibreOffice
(``soffice --headless --convert-to xls``, Debian package libreoffice-calc-nogui); when soffice is
not installed the committed .xls is left as it is.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from common import save_stable
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def write_text(path: Path, lines: list[str], *, encoding: str, newline: str = "\r\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = newline.join(lines) + newline
    if encoding == "utf-8-sig":
        path.write_bytes(b"\xef\xbb\xbf" + data.encode("utf-8"))
    else:
        path.write_bytes(data.encode(encoding))


# --- JD ---------------------------------------------------------------------------------------

JD_SETTLEMENT_HEADER = (
    "订单编号,单据编号,单据类型,商品编号,商户订单号,商品名称,结算状态,费用发生时间,费用计费时间,"
    "费用结算时间,费用项,金额,币种,商家应收/应付,钱包结算备注,店铺号,收支方向,商品数量,账单日期"
).split(",")

# order, document, type, JD sku id, name, fee, amount, settled (Excel serial), quantity
JD_SETTLEMENT_ROWS = [
    (
        "281000000101",
        "9001000101",
        "订单",
        "100012345601",
        "加厚珊瑚绒毯",
        "货款",
        199.00,
        46300.125,
        1,
    ),
    (
        "281000000101",
        "9001000101",
        "订单",
        "100012345601",
        "加厚珊瑚绒毯",
        "佣金",
        -15.92,
        46300.125,
        1,
    ),
    (
        "281000000101",
        "9001000101",
        "订单",
        "100012345601",
        "加厚珊瑚绒毯",
        "交易服务费",
        -1.99,
        46300.125,
        1,
    ),
    (
        "281000000101",
        "9001000101",
        "订单",
        "100012345601",
        "加厚珊瑚绒毯",
        "京豆",
        -2.00,
        46300.125,
        1,
    ),
    (
        "281000000101",
        "9001000101",
        "订单",
        "100012345601",
        "加厚珊瑚绒毯",
        "京东物流配送费",
        -8.50,
        46300.125,
        1,
    ),
    ("281000000102", "9001000102", "订单", "100012345602", "竹纤维枕巾", "货款", 59.80, 46301.5, 2),
    ("281000000102", "9001000102", "订单", "100012345602", "竹纤维枕巾", "佣金", -4.78, 46301.5, 2),
    (
        "281000000102",
        "9001000102",
        "订单",
        "100012345602",
        "竹纤维枕巾",
        "运费险",
        -0.80,
        46301.5,
        2,
    ),
    (
        "281000000102",
        "9001000102",
        "订单",
        "100012345602",
        "竹纤维枕巾",
        "广告联合活动降扣佣金",
        1.20,
        46301.5,
        2,
    ),
    (
        "281000000102",
        "9001000177",
        "退款单",
        "100012345602",
        "竹纤维枕巾",
        "货款",
        -29.90,
        46305.75,
        1,
    ),
    (
        "281000000102",
        "9001000177",
        "退款单",
        "100012345602",
        "竹纤维枕巾",
        "售后卖家赔付费",
        -5.00,
        46305.75,
        1,
    ),
    (
        "281000000102",
        "9001000177",
        "退款单",
        "100012345602",
        "竹纤维枕巾",
        "新品推广服务费",
        -3.30,
        46305.75,
        1,
    ),
]


def jd_settlement_workbook(path: Path) -> None:
    """Two sheets (a note first), a merged title row, serial dates, a 合计 row, ="…" ids."""
    wb = Workbook()
    note = wb.active
    note.title = "说明"
    note.append(["本表由京东商家后台导出，金额单位：元"])
    ws = wb.create_sheet("结算单明细")
    ws.append(["京东结算单明细  账单周期：2026-10-01 至 2026-10-31"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(JD_SETTLEMENT_HEADER))
    ws.append(JD_SETTLEMENT_HEADER)
    for order, doc, kind, sku, name, fee, amount, settled, qty in JD_SETTLEMENT_ROWS:
        income = amount >= 0
        ws.append(
            [
                order,
                doc,
                kind,
                sku,
                "",
                name,
                "已结算",
                settled - 3,
                settled - 3,
                settled,
                fee,
                amount,
                "CNY",
                "应收" if income else "应付",
                "",
                "10012345",
                "收入" if income else "支出",
                qty,
                int(settled),
            ]
        )
    # one settlement time as a real date cell, as Excel writes when the column is formatted
    ws.cell(row=3, column=10).value = datetime(2026, 10, 3, 3, 0, 0)
    total = round(sum(r[6] for r in JD_SETTLEMENT_ROWS), 2)
    ws.append(["合计", "", "", "", "", "", "", "", "", "", "", total])
    path.parent.mkdir(parents=True, exist_ok=True)
    save_stable(wb, path)


def jd_settlement_csv(path: Path) -> None:
    lines = [",".join(JD_SETTLEMENT_HEADER)]
    for order, doc, kind, sku, _name, fee, amount, _settled, qty in JD_SETTLEMENT_ROWS[:5]:
        lines.append(
            f'{order},="{doc}",{kind},{sku},,加厚珊瑚绒毯,已结算,2026-10-02 03:00:00,'
            f"2026-10-02 03:00:00,2026/10/5 3:00,{fee},{amount:.2f},CNY,应收,,10012345,"
            f"收入,{qty},2026-10-05"
        )
    write_text(path, lines, encoding="gbk")


def xls_from(xlsx: Path, target: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        print(f"soffice not found: {target.name} left as committed")
        return
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [soffice, "--headless", "--convert-to", "xls", "--outdir", tmp, str(xlsx)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        shutil.move(str(Path(tmp) / (xlsx.stem + ".xls")), target)


JD_ORDERS_HEADER = (
    "订单号,商品ID,商品名称,订购数量,支付方式,下单时间,京东价,订单金额,结算金额,余额支付,应付金额,"
    "订单状态,订单类型,下单帐号,客户姓名,客户地址,联系电话,订单备注,发票类型,发票抬头,发票内容,"
    "商家备注,商家备注等级（等级1-5为由高到低）,运费金额,付款确认时间,增值税发票,货号,订单完成时间,"
    "订单来源,订单渠道"
)


def jd_orders() -> None:
    rows = [
        (
            "281000000101",
            "100012345601",
            "加厚珊瑚绒毯 1.5m",
            1,
            "199.00",
            "199.00",
            "完成",
            "2026-10-01 10:11:12",
            "NF-BLK-150",
            "NF-BLK-150",
        ),
        (
            "281000000102",
            "100012345602",
            "竹纤维枕巾 2条装",
            2,
            "29.90",
            "59.80",
            "完成",
            "2026-10-02 21:05:00",
            "NF-PTW-2",
            "NF-PTW-2",
        ),
        (
            "281000000103",
            "100012345601",
            "加厚珊瑚绒毯 1.5m",
            1,
            "199.00",
            "199.00",
            "等待出库",
            "2026-10-30 08:00:00",
            "NF-BLK-150",
            "",
        ),
    ]
    new = [JD_ORDERS_HEADER + ",商家SKUID"]
    old = [JD_ORDERS_HEADER]
    for order, sku_id, name, qty, price, amount, status, created, code, sku in rows:
        line = (
            f"{order},{sku_id},{name},{qty},在线支付,{created},{price},{amount},{amount},0.00,"
            f"{amount},{status},一般订单,jd_user{order[-3:]},张**,***,***,,电子发票,个人,明细,,,"
            f"0.00,{created},否,{code},,移动端,京东APP"
        )
        new.append(f"{line},{sku}")
        old.append(line)
    write_text(FIXTURES / "jd-orders" / "orders.csv", new, encoding="gbk")
    write_text(FIXTURES / "jd-orders" / "orders-without-skuid.csv", old, encoding="gbk")
    # the back office's "Excel" download that is really GBK text with a .xls name
    write_text(FIXTURES / "jd-orders" / "orders-text-named.xls", new, encoding="gbk")


def jd_ads() -> None:
    lines = [
        "日期,计划名称,商品SKU,展现数,点击数,总费用,总订单金额",
        '2026-10-01,毛毯-快车,100012345601,"3,210",85,126.40,"1,990.00"',
        "2026-10-01,枕巾-海投,100012345602,980,12,18.75,59.80",
        '2026-10-02,毛毯-快车,100012345601,"2,876",70,"1,004.12",0.00',
        "2026-10-02,枕巾-海投,100012345602,0,0,-,-",
    ]
    write_text(FIXTURES / "jd-ads" / "report.csv", lines, encoding="gbk")


# --- Pinduoduo --------------------------------------------------------------------------------

PDD_LEDGER_ROWS = [
    (
        "261003-100000000000101",
        "2026-10-05 10:00:00",
        "59.90",
        "0.00",
        "交易收入",
        "订单收入",
        "0010002|交易收入-订单收入",
    ),
    (
        "261003-100000000000101",
        "2026-10-05 10:00:00",
        "3.00",
        "0.00",
        "优惠券结算",
        "平台券",
        "0010005|优惠券结算-平台优惠券",
    ),
    (
        "261003-100000000000101",
        "2026-10-05 10:00:01",
        "0.00",
        "-0.36",
        "技术服务费",
        "技术服务费",
        "0020001|技术服务费-技术服务费",
    ),
    (
        "261003-100000000000101",
        "2026-10-05 10:00:01",
        "0.00",
        "-5.99",
        "多多进宝佣金",
        "多多进宝",
        "0020003|多多进宝佣金-推广佣金",
    ),
    (
        "261004-100000000000102",
        "2026-10-07 12:30:00",
        "89.00",
        "0.00",
        "交易收入",
        "订单收入",
        "0010002|交易收入-订单收入",
    ),
    (
        "261004-100000000000102",
        "2026-10-09 08:00:00",
        "0.00",
        "-89.00",
        "退款",
        "售后退款",
        "0030001|退款-售后退款",
    ),
    ("", "2026-10-10 09:00:00", "0.00", "-2.00", "扣款", "延迟发货违约金", "0040002|扣款-违约金"),
    ("", "2026-10-10 09:00:00", "0.00", "-2.00", "扣款", "延迟发货违约金", "0040002|扣款-违约金"),
    (
        "",
        "2026-10-12 16:00:00",
        "0.00",
        "-1.50",
        "其他服务费",
        "电子面单服务",
        "0050009|其他服务费-电子面单",
    ),
    ("", "2026-10-15 10:00:00", "0.00", "-50.00", "提现", "提现到银行卡", "0060001|提现-提现"),
]


def pdd_ledger(path: Path, *, order_column: str) -> None:
    income = sum(float(r[2]) for r in PDD_LEDGER_ROWS)
    outflow = sum(float(r[3]) for r in PDD_LEDGER_ROWS)
    lines = [
        "拼多多店铺账务明细查询",
        "",
        "起始时间：2026-10-01 00:00:00   终止时间：2026-10-31 23:59:59",
        "----------交易记录明细列表---------",
        f"{order_column},发生时间,收入金额（+元）,支出金额（-元）,账务类型,备注,业务描述",
    ]
    for row in PDD_LEDGER_ROWS:
        order = f"{row[0]}\t" if row[0] else ""
        lines.append(",".join([order, *row[1:]]))
    lines += [
        f"#支出合计：-{abs(outflow):.2f}",
        f"#收入合计：{income:.2f}",
        f"#总计：{income + outflow:.2f}",
        "#导出时间：2026-11-01 09:30:00",
    ]
    write_text(path, lines, encoding="gb18030")


PDD_ORDERS_HEADER = (
    "商品,订单号,订单状态,商品总价(元),邮费(元),店铺优惠折扣(元),平台优惠折扣(元),"
    "多多支付立减金额(元),用户实付金额(元),商家实收金额(元),商品数量(件),发货时间,确认收货时间,"
    "商品id,商品规格,样式ID,商家编码-规格维度,商家编码-商品维度,商家备注,售后状态,快递单号,快递公司,"
    "订单成交时间,是否分期,分期期数,手续费承担方,分期方式"
)


def pdd_orders() -> None:
    rows = [
        (
            "竹纤维毛巾3条装",
            "261003-100000000000101",
            "已收货",
            "62.90",
            "59.90",
            1,
            "412345678901",
            "蓝色",
            "NF-TWL-3-BL",
            "YT7512345600101",
            "2026-10-03 09:30:12",
        ),
        (
            "乳胶枕 成人款",
            "261004-100000000000102",
            "已收货",
            "89.00",
            "89.00",
            1,
            "412345678902",
            "白色",
            "NF-PIL-LTX",
            "ZT7800000000102",
            "",
        ),
        (
            "竹纤维毛巾3条装",
            "261030-100000000000103",
            "待发货",
            "125.80",
            "119.80",
            2,
            "412345678901",
            "灰色",
            "NF-TWL-3-GR",
            "",
            "2026-10-30 22:10:00",
        ),
    ]
    lines = [PDD_ORDERS_HEADER]
    for title, order, status, total, paid, qty, item, spec, code, waybill, made in rows:
        lines.append(
            f"{title},{order}\t,{status},{total},0.00,0.00,{float(total) - float(paid):.2f},"
            f"0.00,{paid}, {paid} ,{qty},,,{item}\t,{spec},98765,{code} ,{code[:-3]},,"
            f"无售后或售后取消,{waybill}\t,圆通快递,{made},否,,,"
        )
    write_text(FIXTURES / "pdd-orders" / "orders.csv", lines, encoding="gbk")
    old_header = (
        "订单号,商品,商品id,商家编码-SKU维度,商品数量(件),用户实付金额(元),订单状态,快递单号,"
        "订单成交时间"
    )
    old = [old_header]
    for title, order, status, _total, paid, qty, item, _spec, code, waybill, made in rows:
        old.append(f" {order} ,{title},{item},{code},{qty},{paid},{status},{waybill},{made}")
    write_text(FIXTURES / "pdd-orders" / "orders-old-layout.csv", old, encoding="gbk")


def pdd_ads() -> None:
    """An XLSX with a summary sheet first, a merged title, a two-row merged header, dates merged
    down a block of rows, Excel serial dates and a 合计 row."""
    wb = Workbook()
    summary = wb.active
    summary.title = "汇总"
    summary.append(["推广总花费", 131.3])
    ws = wb.create_sheet("推广明细")
    ws.append(["多多推广 商品报表 2026-10"])
    ws.merge_cells("A1:G1")
    ws.append(["日期", "推广计划", "商品ID", "效果数据", None, None, None])
    ws.append([None, None, None, "曝光量", "点击量", "花费(元)", "交易额(元)"])
    for col in "ABC":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("D2:G2")
    rows = [
        (46296, "毛巾-全站推广", "412345678901", 5432, 120, 36.5, 418.2),
        (None, "乳胶枕-搜索", "412345678902", 2100, 45, 52.3, 89.0),
        (46297, "毛巾-全站推广", "412345678901", 4980, 101, 42.5, 0),
    ]
    for row in rows:
        ws.append(list(row))
    ws.merge_cells("A4:A5")  # 2026-10-01 covers both plans of that day
    ws.append(["合计", None, None, 12512, 266, 131.3, 507.2])
    path = FIXTURES / "pdd-ads" / "report.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    save_stable(wb, path)
    xls_from(path, path.with_suffix(".xls"))  # the merged header in the legacy format too
    lines = [
        "日期,推广计划,商品ID,曝光量,点击量,花费(元),交易额(元)",
        '2026-10-01,毛巾-全站推广,412345678901,"5,432",120,36.50,418.20',
        '2026-10-01,乳胶枕-搜索,412345678902,"2,100",45,52.30,89.00',
    ]
    write_text(FIXTURES / "pdd-ads" / "report.csv", lines, encoding="gbk")


# --- Douyin -----------------------------------------------------------------------------------

DOUYIN_ORDERS_HEADER = (
    "主订单编号,子订单编号,选购商品,商品规格,商品数量,商品ID,商家编码,商品单价,订单应付金额,运费,"
    "优惠总金额,平台优惠,商家优惠,达人优惠,收件人,收件人手机号,订单提交时间,订单完成时间,"
    "支付完成时间,订单状态,达人ID,达人昵称,售后状态,发货时间"
)


def douyin_orders() -> None:
    rows = [
        (
            "6928000000000000101",
            "6928000000000000102",
            "乳胶枕 成人款",
            "白色",
            1,
            "3612345678900000001",
            "NF-PIL-LTX",
            "129.00",
            "119.00",
            "0.00",
            "10.00",
            "5.00",
            "5.00",
            "-",
            "2026-10-02 20:01:02",
            "2026-10-08 12:00:00",
            "2026-10-02 20:01:30",
            "已完成",
            "7012345678",
            "家居小达人",
            "-",
            "2026-10-03 09:00:00",
        ),
        (
            "6928000000000000201",
            "6928000000000000202",
            "乳胶枕 成人款",
            "灰色",
            1,
            "3612345678900000001",
            "NF-PIL-LTX-GR",
            "129.00",
            "129.00",
            "0.00",
            "-",
            "-",
            "-",
            "-",
            "2026-10-04 11:00:00",
            "-",
            "2026-10-04 11:00:10",
            "已发货",
            "-",
            "-",
            "售后中",
            "2026-10-05 09:00:00",
        ),
        (
            "6928000000000000201",
            "6928000000000000203",
            "珊瑚绒毯",
            "1.5m",
            2,
            "3612345678900000002",
            "NF-BLK-150",
            "99.00",
            "198.00",
            "0.00",
            "-",
            "-",
            "-",
            "-",
            "2026-10-04 11:00:00",
            "-",
            "2026-10-04 11:00:10",
            "已发货",
            "-",
            "-",
            "-",
            "2026-10-05 09:00:00",
        ),
    ]
    lines = [DOUYIN_ORDERS_HEADER]
    for r in rows:
        cells = [f"\t{r[0]}", f"\t{r[1]}", *map(str, r[2:5]), f"\t{r[5]}", *map(str, r[6:14])]
        cells += ["*****", "1**********", *r[14:]]
        lines.append(",".join(cells))
    write_text(FIXTURES / "douyin-orders" / "orders.csv", lines, encoding="utf-8-sig", newline="\n")


DOUYIN_SETTLEMENT_HEADER = (
    "结算时间,订单号,子订单号,结算金额,结算账户,结算单类型,有结算前退款,下单时间,商品ID,商品数量,"
    "业务类型,订单类型,订单总价,商品总价,运费,店铺券,结算前退款金额,平台补贴,达人补贴,抖音支付补贴,"
    "抖音月付营销补贴,用户实付,收入合计,平台服务费,佣金,渠道分成,招商服务费,站外推广费,其他分成,"
    "支出合计,备注"
)


def douyin_settlement() -> None:
    # 用户实付 114.00 + 平台补贴 5.00 = 119.00; fees -5.95 平台服务费, -9.52 佣金 -> 103.53
    lines = [
        DOUYIN_SETTLEMENT_HEADER + ",服务商佣金,政府补贴,新增补贴",
        "2026-10-09 03:00:00,6928000000000000101,6928000000000000102,103.53,聚合账户,已结算,否,"
        "2026-10-02 20:01:02,3612345678900000001,1,电商,普通订单,119.00,119.00,0.00,0.00,0.00,"
        "5.00,0.00,0.00,0.00,114.00,119.00,-5.95,-9.52,0.00,0.00,0.00,0.00,-15.47,,0.00,0.00,0.00",
        # partial refund before settlement; a subsidy column Douyin added and the rule does not
        # list (新增补贴 2.00): it shows as 结算金额差额 (unclassified)
        "2026-10-12 03:00:00,6928000000000000201,6928000000000000203,172.65,聚合账户,已结算,是,"
        "2026-10-04 11:00:00,3612345678900000002,2,电商,普通订单,198.00,198.00,0.00,0.00,-20.00,"
        "0.00,0.00,1.00,0.00,198.00,179.00,-8.90,-0.00,0.00,-1.00,-2.00,-0.95,-12.85,,-0.50,"
        "5.00,2.00",
        # the summary row: both order ids empty
        "合计,,,276.18,,,,,,3,,,317.00,317.00,0.00,0.00,-20.00,5.00,0.00,1.00,0.00,312.00,298.00,"
        "-14.85,-9.52,0.00,-1.00,-2.00,-0.95,-28.32,,-0.50,5.00,2.00",
    ]
    write_text(FIXTURES / "douyin-settlement" / "settlement.csv", lines, encoding="utf-8-sig")
    # a fee cell that is not an amount: the error names the wide column, not the unpivoted one
    bad = [lines[0], lines[1].replace(",-9.52,", ",九元五角二,")]
    write_text(FIXTURES / "douyin-settlement" / "bad-amount.csv", bad, encoding="utf-8-sig")


DOUYIN_FUNDS_HEADER = (
    "动账时间,{id},动账方向,动账金额,动账账户,动账场景,计费类型,子订单号,订单号,售后编号,下单时间,"
    "商品ID,商品名称,达人ID,达人名称,订单类型,订单实付应结,运费实付,实际平台补贴,订单退款,平台服务费,"
    "佣金,服务商佣金,渠道分成,招商服务费,站外推广费,其他分成,备注"
)


def douyin_funds() -> None:
    tail = ",-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,"

    def row(
        when: str,
        rid: str,
        way: str,
        amount: str,
        scene: str,
        fee: str,
        sub: str = "",
        order: str = "",
        memo: str = "",
    ) -> str:
        ids = f"'{sub},'{order}" if order else "-,-"
        return (
            f"{when},'{rid},{way},{amount},聚合账户,{scene},{fee},{ids},-,-,-,-{tail[:-1]},{memo}"
        )

    v1 = [
        DOUYIN_FUNDS_HEADER.format(id="动帐流水号"),
        row(
            "2026-10-09 03:00:01",
            "7301000000000000001",
            "入账",
            "103.53",
            "订单结算",
            "货款",
            "6928000000000000102",
            "6928000000000000101",
        ),
        row(
            "2026-10-10 10:00:00",
            "7301000000000000002",
            "出账",
            "20.00",
            "违规扣款",
            "延迟发货",
            memo="延迟发货违约金",
        ),
        row("2026-10-11 09:00:00", "7301000000000000003", "出账", "100.00", "提现", "提现"),
    ]
    write_text(FIXTURES / "douyin-funds" / "funds.csv", v1, encoding="utf-8-sig")
    v2 = [
        DOUYIN_FUNDS_HEADER.format(id="动账流水号"),
        row(
            "2026-10-12 03:00:01",
            "7301000000000000004",
            "入账",
            "172.65",
            "订单结算",
            "货款",
            "6928000000000000203",
            "6928000000000000201",
        ),
        row(
            "2026-10-15 12:00:00", "7301000000000000005", "出账", "1000.00", "保证金充值", "保证金"
        ),
        row(
            "2026-10-20 12:00:00", "7301000000000000006", "入账", "8.80", "平台活动返还", "活动返还"
        ),
    ]
    write_text(FIXTURES / "douyin-funds" / "funds-动账流水号.csv", v2, encoding="utf-8-sig")
    bad = [
        DOUYIN_FUNDS_HEADER.format(id="动帐流水号"),
        row(
            "2026-10-09 03:00:01",
            "7301000000000000001",
            "入账",
            "103.53",
            "订单结算",
            "货款",
            "6928000000000000102",
            "6928000000000000101",
        ),
        row("2026-10-10 10:00:00", "7301000000000000002", "冲正", "20.00", "违规扣款", "延迟发货"),
    ]
    write_text(FIXTURES / "douyin-funds" / "bad-direction.csv", bad, encoding="utf-8-sig")


def qianchuan() -> None:
    lines = [
        "日期,计划名称,商品ID,消耗(元),成交金额(元)",
        '2026-10-01,乳胶枕-直播推广,3612345678900000001,"1,024.30","5,120.00"',
        "2026-10-01,毛毯-短视频,3612345678900000002,88.00,198.00",
        "2026-10-02,乳胶枕-直播推广,3612345678900000001,512.15,-",
    ]
    write_text(FIXTURES / "qianchuan" / "report.csv", lines, encoding="utf-8-sig", newline="\n")


def main() -> None:
    xlsx = FIXTURES / "jd-settlement" / "settlement.xlsx"
    jd_settlement_workbook(xlsx)
    xls_from(xlsx, FIXTURES / "jd-settlement" / "settlement.xls")
    jd_settlement_csv(FIXTURES / "jd-settlement" / "settlement-gbk.csv")
    jd_orders()
    jd_ads()
    pdd_ledger(FIXTURES / "pdd-ledger" / "ledger.csv", order_column="商户订单号")
    pdd_ledger(FIXTURES / "pdd-ledger" / "ledger-商品订单号.csv", order_column="商品订单号")
    pdd_orders()
    pdd_ads()
    douyin_orders()
    douyin_settlement()
    douyin_funds()
    qianchuan()


if __name__ == "__main__":
    main()
