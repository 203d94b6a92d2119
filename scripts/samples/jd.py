#!/usr/bin/env python3
"""Write sample_statements/jd/: one October 2026 month of the JD shop 云栖家居京东旗舰店.

Deterministic (fixed seed, Decimal money). The order export, the settlement workbook and the
京准通 report describe the same orders and SKUs; the facts table at the end of the folder's
README.md is computed here, from the generated data, not by the tool.

    python scripts/samples/jd.py
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

from common import (
    SAMPLES,
    cents,
    money,
    receivable_fact,
    save_stable,
    thousands,
    write_lines,
    write_readme,
)
from openpyxl import Workbook

SEED = 20261033
SHOP = "云栖家居京东旗舰店"
FOLDER = SAMPLES / "jd"
NOV1 = datetime(2026, 11, 1)
EXCEL_EPOCH = datetime(1899, 12, 30)
# JD SKU id (商品ID / 商品编号), title, price, the seller's code (商家SKUID / 货号)
CATALOG = [
    ("100088000101", "云栖 法兰绒毛毯 加厚 灰色 150x200cm", "159.00", "YQ-BLK-FLN-GR"),
    ("100088000102", "云栖 法兰绒毛毯 加厚 米色 150x200cm", "159.00", "YQ-BLK-FLN-BE"),
    ("100088000103", "云栖 泰国天然乳胶枕 白色", "169.00", "YQ-PIL-LTX-WH"),
    ("100088000104", "云栖 316不锈钢保温杯 500ml 曜黑", "99.00", "YQ-CUP-THM-BK"),
]
AD_SKUS = [
    ("毛毯-快车", "100088000101"),
    ("乳胶枕-海投", "100088000103"),
    ("香薰机-新品", "100088000199"),
]
NO_ORDERS_SKU = "100088000199"
COMMISSION = Decimal("0.08")

SETTLEMENT_HEADER = (
    "订单编号,单据编号,单据类型,商品编号,商户订单号,商品名称,结算状态,费用发生时间,费用计费时间,"
    "费用结算时间,费用项,金额,币种,商家应收/应付,钱包结算备注,店铺号,收支方向,商品数量,账单日期"
).split(",")
ORDERS_HEADER = (
    "订单号,商品ID,商品名称,订购数量,支付方式,下单时间,京东价,订单金额,结算金额,余额支付,应付金额,"
    "订单状态,订单类型,下单帐号,客户姓名,客户地址,联系电话,订单备注,发票类型,发票抬头,发票内容,"
    "商家备注,商家备注等级（等级1-5为由高到低）,运费金额,付款确认时间,增值税发票,货号,订单完成时间,"
    "订单来源,订单渠道,商家SKUID"
)


def serial(t: datetime) -> float:
    """An Excel serial date, as JD's workbook stores times."""
    return (t - EXCEL_EPOCH).total_seconds() / 86400


def fmt(t: datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S") if t else ""


def main() -> None:
    rng = random.Random(SEED)
    orders = []
    for n in range(84):
        created = datetime(2026, 9, 27) + timedelta(minutes=rng.randrange(0, 35 * 24 * 60))
        picks = rng.sample(CATALOG, 2 if rng.random() < 0.2 else 1)
        lines = [
            dict(sku_id=s, title=t, price=Decimal(p), code=c, qty=2 if rng.random() < 0.1 else 1)
            for s, t, p, c in picks
        ]
        if rng.random() < 0.05:
            status, settled_at = "已取消", None
        elif created >= datetime(2026, 10, 27):
            status, settled_at = "等待出库", None
        else:
            status = "完成"
            settled_at = created + timedelta(days=rng.randrange(3, 6), hours=rng.randrange(0, 8))
        orders.append(
            dict(
                id=str(281000000000 + 1000 + n * 7),
                created=created,
                lines=lines,
                status=status,
                settled_at=settled_at,
            )
        )

    rows = []  # order, document, type, sku id, title, fee, amount, time, qty

    doc = iter(range(9001000100, 9001009999))
    settled = [o for o in orders if o["settled_at"] and o["settled_at"] < NOV1]
    for o in settled:
        t, d = o["settled_at"], str(next(doc))
        for i, line in enumerate(o["lines"]):
            amount = line["price"] * line["qty"]
            base = (o["id"], d, "订单", line["sku_id"], line["title"])
            rows.append((*base, "货款", amount, t, line["qty"]))
            rows.append((*base, "佣金", -cents(amount * COMMISSION), t, line["qty"]))
            if i == 0:
                rows.append((*base, "京东物流配送费", Decimal("-8.00"), t, line["qty"]))
                if rng.random() < 0.25:
                    rows.append((*base, "京豆", Decimal("-1.00"), t, line["qty"]))
                if rng.random() < 0.3:
                    rows.append((*base, "运费险", Decimal("-0.50"), t, line["qty"]))
        if rng.random() < 0.1:
            back = t + timedelta(days=rng.randrange(1, 5))
            if back < NOV1:
                d2 = str(next(doc))
                line = o["lines"][0]
                amount = line["price"] * line["qty"]
                base = (o["id"], d2, "退款单", line["sku_id"], line["title"])
                rows.append((*base, "货款", -amount, back, line["qty"]))
                rows.append((*base, "佣金", cents(amount * COMMISSION), back, line["qty"]))
    # a fee name no rule knows, billed to the shop
    rows.append(
        (
            "",
            str(next(doc)),
            "其他",
            "",
            "",
            "新品推广服务费",
            Decimal("-30.00"),
            datetime(2026, 10, 20, 2, 0, 0),
            0,
        )
    )
    rows.sort(key=lambda r: (r[7], r[1]))

    wb = Workbook()
    summary = wb.active
    summary.title = "汇总"
    summary.append(["账单周期", "2026-10-01 至 2026-10-31"])
    summary.append(["店铺", SHOP])
    ws = wb.create_sheet("结算单明细")
    ws.append([f"{SHOP} 结算单明细 2026-10"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SETTLEMENT_HEADER))
    ws.append(SETTLEMENT_HEADER)
    for order, d, kind, sku_id, title, fee, amount, t, qty in rows:
        happened = t - timedelta(days=3)
        ws.append(
            [
                order,
                d,
                kind,
                sku_id,
                "",
                title,
                "已结算",
                serial(happened),
                serial(happened),
                serial(t),
                fee,
                float(amount),
                "CNY",
                "应收" if amount >= 0 else "应付",
                "",
                "10088001",
                "收入" if amount >= 0 else "支出",
                qty,
                int(serial(t)),
            ]
        )
    ws.append(["合计", "", "", "", "", "", "", "", "", "", "", float(sum(r[6] for r in rows))])
    FOLDER.mkdir(parents=True, exist_ok=True)
    save_stable(wb, FOLDER / "京东结算单明细_202610.xlsx")

    out = [ORDERS_HEADER]
    for o in sorted(orders, key=lambda o: o["created"], reverse=True):
        total = sum(line["price"] * line["qty"] for line in o["lines"])
        for line in o["lines"]:
            out.append(
                f"{o['id']},{line['sku_id']},{line['title']},{line['qty']},在线支付,"
                f"{fmt(o['created'])},{money(line['price'])},{money(total)},{money(total)},0.00,"
                f"{money(total)},{o['status']},一般订单,jd_{o['id'][-6:]},王**,***,***,,电子发票,"
                f"个人,商品明细,,,0.00,{fmt(o['created'] + timedelta(seconds=20))},否,"
                f"{line['code']},{fmt(o['settled_at'])},移动端,京东APP,{line['code']}"
            )
    write_lines(FOLDER / "京东订单导出_20261101.csv", out, encoding="gbk")

    ads = ["日期,计划名称,商品SKU,展现数,点击数,总费用,总订单金额"]
    spend: Counter[str] = Counter()
    day = datetime(2026, 10, 1)
    while day < NOV1:
        for plan, sku_id in AD_SKUS:
            if sku_id == NO_ORDERS_SKU and day.day % 3:
                continue
            cost = Decimal(rng.randrange(500, 4000)) / 100
            spend[sku_id] += cost
            shows = rng.randrange(800, 12000)
            ads.append(
                f'{day:%Y-%m-%d},{plan},{sku_id},"{shows:,}",{shows // 35},"{thousands(cost)}",'
                f'"{thousands(cost * 5)}"'
            )
        day += timedelta(days=1)
    write_lines(FOLDER / "京准通_推广报表_202610.csv", ads, encoding="gbk")

    def total(pred) -> tuple[int, Decimal]:  # type: ignore[no-untyped-def]
        hit = [r for r in rows if pred(r)]
        return len(hit), sum((r[6] for r in hit), Decimal("0"))

    facts = []
    for category, label, pred in [
        ("sales", "货款 on 订单", lambda r: r[5] == "货款" and r[2] == "订单"),
        ("refund", "货款 on 退款单", lambda r: r[5] == "货款" and r[2] == "退款单"),
        ("commission", "佣金, refunds included", lambda r: r[5] == "佣金"),
        ("logistics", "京东物流配送费", lambda r: r[5] == "京东物流配送费"),
        ("promotion", "京豆", lambda r: r[5] == "京豆"),
        ("return_cost", "运费险", lambda r: r[5] == "运费险"),
        ("unclassified", "新品推广服务费", lambda r: r[5] == "新品推广服务费"),
    ]:
        n, amount = total(pred)
        facts.append((f"{category} ({label})", f"{n} rows, {money(amount)}"))
    facts += [
        ("advertising (京准通 总费用)", f"{len(ads) - 1} rows, {money(-sum(spend.values()))}"),
        (
            "advertising on a listing in no order export (unallocated)",
            f"{money(spend[NO_ORDERS_SKU])} ({NO_ORDERS_SKU})",
        ),
        ("orders in the export", str(len(orders))),
        ("orders settled in October", str(len(settled))),
        (
            "units sold on October-settled orders",
            str(sum(line["qty"] for o in settled for line in o["lines"])),
        ),
        ("settlement rows", str(len(rows))),
        # 订单完成时间 (the settled time here) starts JD's clock: the export has no ship time
        receivable_fact(
            [
                (o["settled_at"], sum(line["price"] * line["qty"] for line in o["lines"]))
                for o in orders
                if o["settled_at"] and o["settled_at"] < NOV1 and o not in settled
            ]
        ),
        ("reconcile: other exceptions", "none"),
    ]
    write_readme(FOLDER / "README.md", facts)


if __name__ == "__main__":
    main()
