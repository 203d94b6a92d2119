#!/usr/bin/env python3
"""Write sample_statements/pdd/: one October 2026 month of the Pinduoduo shop 云栖家居拼多多店.

Deterministic (fixed seed, Decimal money). The order export, the shop ledger and the 多多推广
report describe the same orders and listings; the facts table at the end of the folder's
README.md is computed here, from the generated data, not by the tool.

    python scripts/samples/pdd.py
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

from common import SAMPLES, cents, money, receivable_fact, thousands, write_lines, write_readme

SEED = 20261032
SHOP = "云栖家居拼多多店"
FOLDER = SAMPLES / "pdd"
NOV1 = datetime(2026, 11, 1)
# listing id, title, price, variants (spec, 商家编码)
CATALOG = [
    (
        "412000000101",
        "新疆长绒棉毛巾3条装 加厚吸水",
        "29.90",
        [("白色", "YQ-TWL-FACE-WH"), ("灰色", "YQ-TWL-FACE-GR"), ("蓝色", "YQ-TWL-FACE-BL")],
    ),
    (
        "412000000102",
        "秋冬加厚棉拖鞋 居家防滑",
        "19.90",
        [("38-39", "YQ-SLP-CTN-3839"), ("40-41", "YQ-SLP-CTN-4041")],
    ),
    ("412000000103", "折叠收纳箱 大号56L", "39.90", [("浅灰", "YQ-BOX-FOLD-GR")]),
]
AD_LISTINGS = [
    ("毛巾-全站推广", "412000000101"),
    ("收纳箱-搜索推广", "412000000103"),
    ("香薰-新品测款", "412000000199"),
]
NO_ORDERS_LISTING = "412000000199"

ORDERS_HEADER = (
    "商品,订单号,订单状态,商品总价(元),邮费(元),店铺优惠折扣(元),平台优惠折扣(元),"
    "多多支付立减金额(元),用户实付金额(元),商家实收金额(元),商品数量(件),发货时间,确认收货时间,"
    "商品id,商品规格,样式ID,商家编码-规格维度,商家编码-商品维度,商家备注,售后状态,快递单号,快递公司,"
    "订单成交时间,是否分期,分期期数,手续费承担方,分期方式"
)


def fmt(t: datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S") if t else ""


def main() -> None:
    rng = random.Random(SEED)
    orders = []
    for _ in range(96):
        created = datetime(2026, 9, 27) + timedelta(minutes=rng.randrange(0, 35 * 24 * 60))
        listing, title, price, variants = rng.choices(CATALOG, weights=[5, 3, 2])[0]
        spec, code = rng.choice(variants)
        qty = 2 if rng.random() < 0.2 else 1
        total = Decimal(price) * qty
        shop_off = Decimal("2.00") if rng.random() < 0.25 else Decimal("0.00")
        platform_off = Decimal("3.00") if rng.random() < 0.3 else Decimal("0.00")
        paid = total - shop_off - platform_off
        order_id = f"{created:%y%m%d}-{rng.randrange(10**14, 10**15)}"
        if rng.random() < 0.05:
            status, shipped, confirmed = "已取消", None, None
        elif created >= datetime(2026, 10, 29):
            status, shipped, confirmed = "待发货", None, None
        elif created >= datetime(2026, 10, 25):
            status, shipped, confirmed = "已发货，待收货", created + timedelta(hours=20), None
        else:
            shipped = created + timedelta(hours=rng.randrange(6, 30))
            confirmed = shipped + timedelta(days=rng.randrange(3, 6), hours=rng.randrange(0, 12))
            status = "已收货"
        orders.append(
            dict(
                id=order_id,
                created=created,
                listing=listing,
                title=title,
                spec=spec,
                code=code,
                qty=qty,
                total=total,
                shop_off=shop_off,
                platform_off=platform_off,
                paid=paid,
                status=status,
                shipped=shipped,
                confirmed=confirmed,
                after_sale="无售后或售后取消",
                waybill=f"YT75{rng.randrange(10**10, 10**11)}" if shipped else "",
            )
        )

    ledger = []  # (time, order, income, expense, type, memo, description)

    def post(t, order, amount, kind, memo, desc):  # type: ignore[no-untyped-def]
        income, expense = (amount, Decimal("0")) if amount > 0 else (Decimal("0"), amount)
        ledger.append((t, order, income, expense, kind, memo, desc))

    settled = [o for o in orders if o["confirmed"] and o["confirmed"] < NOV1]
    for o in settled:
        t = o["confirmed"]
        post(t, o["id"], o["paid"], "交易收入", "订单收入", "0010002|交易收入-订单收入")
        if o["platform_off"]:
            post(
                t,
                o["id"],
                o["platform_off"],
                "优惠券结算",
                "平台优惠券",
                "0010005|优惠券结算-平台优惠券",
            )
        fee = cents(o["paid"] * Decimal("0.006"))
        post(
            t + timedelta(seconds=1),
            o["id"],
            -fee,
            "技术服务费",
            "技术服务费",
            "0020001|技术服务费-技术服务费",
        )
        if rng.random() < 0.25:
            post(
                t + timedelta(seconds=2),
                o["id"],
                -cents(o["paid"] * Decimal("0.10")),
                "多多进宝佣金",
                "多多进宝推广佣金",
                "0020003|多多进宝佣金-推广佣金",
            )
        if rng.random() < 0.1:
            back = t + timedelta(days=rng.randrange(1, 4))
            if back < NOV1:
                post(back, o["id"], -o["paid"], "退款", "售后退款", "0030001|退款-售后退款")
                o["after_sale"] = "退款成功"
    # two identical late-shipment fines on one day: no row id tells them apart
    fine_at = datetime(2026, 10, 14, 9, 0, 0)
    for _ in range(2):
        post(fine_at, "", Decimal("-5.00"), "扣款", "延迟发货违约金", "0040002|扣款-违约金")
    # a small payment to a buyer (小额打款: a cost of the after-sales case, return_cost)
    post(
        datetime(2026, 10, 18, 15, 20, 0),
        settled[3]["id"],
        Decimal("-3.00"),
        "小额打款",
        "小额打款给买家",
        "0050012|小额打款-商家打款",
    )
    ledger.sort(key=lambda r: (r[0], r[1], r[4]))
    balance = sum(r[2] + r[3] for r in ledger)
    withdraw = cents(balance * Decimal("0.8"))
    post(
        datetime(2026, 10, 31, 18, 0, 0), "", -withdraw, "提现", "提现到银行卡", "0060001|提现-提现"
    )

    lines = [
        "拼多多店铺账务明细查询",
        "",
        "起始时间：2026-10-01 00:00:00   终止时间：2026-10-31 23:59:59",
        "----------交易记录明细列表---------",
        "商户订单号,发生时间,收入金额（+元）,支出金额（-元）,账务类型,备注,业务描述",
    ]
    for t, order, income, expense, kind, memo, desc in ledger:
        cell = f"{order}\t" if order else ""
        lines.append(f"{cell},{fmt(t)},{money(income)},{money(expense)},{kind},{memo},{desc}")
    total_in = sum(r[2] for r in ledger)
    total_out = sum(r[3] for r in ledger)
    lines += [
        f"#支出合计：{sum(1 for r in ledger if r[3])}笔，共{money(total_out)}元",
        f"#收入合计：{sum(1 for r in ledger if r[2])}笔，共{money(total_in)}元",
        f"#总计：{money(total_in + total_out)}元",
        "#导出时间：2026-11-01 09:12:45",
    ]
    write_lines(FOLDER / "拼多多账务明细_202610.csv", lines, encoding="gb18030")

    rows = [ORDERS_HEADER]
    for o in sorted(orders, key=lambda o: o["created"], reverse=True):
        rows.append(
            f"{o['title']},{o['id']}\t,{o['status']},{money(o['total'])},0.00,"
            f"{money(o['shop_off'])},{money(o['platform_off'])},0.00,{money(o['paid'])},"
            f" {money(o['paid'] + o['platform_off'])} ,{o['qty']},{fmt(o['shipped'])},"
            f"{fmt(o['confirmed'])},{o['listing']}\t,{o['spec']},{o['listing'][-5:]},"
            f"{o['code']}\t,{o['code'].rsplit('-', 1)[0]},,{o['after_sale']},"
            f"{o['waybill'] + chr(9) if o['waybill'] else ''},{'圆通快递' if o['waybill'] else ''},"
            f"{fmt(o['created'])},否,,,"
        )
    write_lines(FOLDER / "拼多多订单导出_20261101.csv", rows, encoding="gbk")

    ads = ["日期,推广计划,商品ID,曝光量,点击量,花费(元),交易额(元)"]
    spend: Counter[str] = Counter()
    day = datetime(2026, 10, 1)
    while day < NOV1:
        for plan, listing in AD_LISTINGS:
            if listing == NO_ORDERS_LISTING and day.day > 10:
                continue
            cost = Decimal(rng.randrange(100, 1200)) / 100
            spend[listing] += cost
            shows = rng.randrange(1000, 20000)
            ads.append(
                f'{day:%Y-%m-%d},{plan},{listing},"{shows:,}",{shows // 40},"{thousands(cost)}",'
                f'"{thousands(cost * 4)}"'
            )
        day += timedelta(days=1)
    write_lines(FOLDER / "多多推广_商品报表_202610.csv", ads, encoding="gbk")

    def total(kind: str) -> tuple[int, Decimal]:
        hit = [r for r in ledger if r[4] == kind]
        return len(hit), sum((r[2] + r[3] for r in hit), Decimal("0"))

    facts = []
    for category, kind in [
        ("sales", "交易收入"),
        ("platform_subsidy", "优惠券结算"),
        ("refund", "退款"),
        ("commission", "技术服务费"),
        ("affiliate", "多多进宝佣金"),
        ("other_fee", "扣款"),
        ("return_cost", "小额打款"),
        ("transfer", "提现"),
    ]:
        n, amount = total(kind)
        facts.append((f"{category} ({kind})", f"{n} rows, {money(amount)}"))
    facts += [
        ("advertising (多多推广 花费)", f"{len(ads) - 1} rows, {money(-sum(spend.values()))}"),
        (
            "advertising on a listing in no order export (unallocated)",
            f"{money(spend[NO_ORDERS_LISTING])} ({NO_ORDERS_LISTING})",
        ),
        ("orders in the export", str(len(orders))),
        ("orders settled in October", str(len(settled))),
        ("units sold on October-settled orders", str(sum(o["qty"] for o in settled))),
        ("ledger rows", str(len(ledger))),
        receivable_fact(
            [
                (o["shipped"], o["paid"])
                for o in orders
                if o["shipped"] and o["shipped"] < NOV1 and o not in settled
            ]
        ),
        ("reconcile: other exceptions", "none"),
    ]
    write_readme(FOLDER / "README.md", facts)


if __name__ == "__main__":
    main()
