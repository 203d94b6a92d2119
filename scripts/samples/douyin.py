#!/usr/bin/env python3
"""Write sample_statements/douyin/: one October 2026 month of the Douyin shop 云栖家居抖音小店.

Deterministic (fixed seed, Decimal money). The order export, the wide settlement bill, the
account movements (动账明细) and the 千川 bill describe the same orders and listings; the facts
table at the end of the folder's README.md is computed here, from the generated data.

    python scripts/samples/douyin.py
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
    thousands,
    write_lines,
    write_readme,
)

SEED = 20261034
SHOP = "云栖家居抖音小店"
FOLDER = SAMPLES / "douyin"
NOV1 = datetime(2026, 11, 1)
ZERO = Decimal("0.00")
# listing id (商品ID), title, price, variants (spec, 商家编码)
CATALOG = [
    (
        "3612000000000000101",
        "云栖 泰国天然乳胶枕 成人护颈",
        "139.00",
        [("浅蓝", "YQ-PIL-LTX-BL"), ("白色", "YQ-PIL-LTX-WH")],
    ),
    (
        "3612000000000000102",
        "云栖 纯棉A类浴巾 70x140",
        "59.00",
        [("白色", "YQ-TWL-BATH-WH"), ("粉色", "YQ-TWL-BATH-PK")],
    ),
    ("3612000000000000103", "云栖 陶瓷马克杯 350ml", "29.90", [("樱粉", "YQ-CUP350-PK")]),
]
AD_PLANS = [
    ("乳胶枕-直播推广", "3612000000000000101"),
    ("浴巾-短视频", "3612000000000000102"),
    ("香薰-测款", "3612000000000000199"),
]
NO_ORDERS_LISTING = "3612000000000000199"
# the wide bill's amount columns, in file order; 平台活动补贴 is one no rule lists
INCOME = ["结算前退款金额", "平台补贴", "达人补贴", "抖音支付补贴", "抖音月付营销补贴", "用户实付"]
EXPENSE = ["平台服务费", "佣金", "渠道分成", "招商服务费", "站外推广费", "其他分成"]
SETTLEMENT_HEADER = (
    "结算时间,订单号,子订单号,结算金额,结算账户,结算单类型,有结算前退款,下单时间,商品ID,商品数量,"
    "业务类型,订单类型,订单总价,商品总价,运费,店铺券,结算前退款金额,平台补贴,达人补贴,抖音支付补贴,"
    "抖音月付营销补贴,用户实付,收入合计,平台服务费,佣金,渠道分成,招商服务费,站外推广费,其他分成,"
    "支出合计,备注,服务商佣金,平台活动补贴"
)
ORDERS_HEADER = (
    "主订单编号,子订单编号,选购商品,商品规格,商品数量,商品ID,商家编码,商品单价,订单应付金额,运费,"
    "优惠总金额,平台优惠,商家优惠,达人优惠,收件人,收件人手机号,详细地址,订单提交时间,订单完成时间,"
    "支付完成时间,订单状态,达人ID,达人昵称,售后状态,发货时间,APP渠道,流量来源"
)
FUNDS_HEADER = (
    "动账时间,动帐流水号,动账方向,动账金额,动账账户,动账场景,计费类型,子订单号,订单号,售后编号,"
    "下单时间,商品ID,商品名称,达人ID,达人名称,订单类型,订单实付应结,运费实付,实际平台补贴,订单退款,"
    "平台服务费,佣金,服务商佣金,渠道分成,招商服务费,站外推广费,其他分成,备注"
)


def fmt(t: datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S") if t else "-"


def main() -> None:
    rng = random.Random(SEED)
    orders = []
    sub = iter(range(6928000000000100000, 6928000000000199999, 3))
    for n in range(92):
        created = datetime(2026, 9, 24) + timedelta(minutes=rng.randrange(0, 38 * 24 * 60))
        picks = rng.sample(CATALOG, 2 if rng.random() < 0.2 else 1)
        creator = rng.random() < 0.4
        lines = []
        for listing, title, price, variants in picks:
            spec, code = rng.choice(variants)
            qty = 2 if rng.random() < 0.15 else 1
            lines.append(
                dict(
                    id=str(next(sub)),
                    listing=listing,
                    title=title,
                    spec=spec,
                    code=code,
                    price=Decimal(price),
                    qty=qty,
                    amount=Decimal(price) * qty,
                )
            )
        if rng.random() < 0.05:
            status, settled_at = "已关闭", None
        elif created >= datetime(2026, 10, 26):
            status, settled_at = "已发货", None
        else:
            status = "已完成"
            settled_at = created + timedelta(days=7, hours=rng.randrange(1, 20))
        orders.append(
            dict(
                id=str(6928000000000000000 + 1000 + n * 11),
                created=created,
                lines=lines,
                status=status,
                settled_at=settled_at,
                creator=creator,
            )
        )

    bill = []  # dicts: one per settled sub-order
    settled = [o for o in orders if o["settled_at"] and o["settled_at"] < NOV1]
    for o in settled:
        for line in o["lines"]:
            amount = line["amount"]
            c = dict.fromkeys([*INCOME, *EXPENSE, "服务商佣金", "平台活动补贴"], ZERO)
            c["平台补贴"] = Decimal("5.00") if rng.random() < 0.3 else ZERO
            c["用户实付"] = amount - c["平台补贴"]
            if rng.random() < 0.06:
                c["结算前退款金额"] = -Decimal("10.00")
            c["平台服务费"] = -cents(amount * Decimal("0.05"))
            if o["creator"]:
                c["佣金"] = -cents(amount * Decimal("0.15"))
            if rng.random() < 0.05:
                c["站外推广费"] = -Decimal("2.00")
            if rng.random() < 0.1:
                c["平台活动补贴"] = Decimal("1.00")
            income = sum(c[k] for k in INCOME) + c["平台活动补贴"]
            expense = sum(c[k] for k in EXPENSE) + c["服务商佣金"]
            bill.append(
                dict(
                    order=o, line=line, c=c, income=income, expense=expense, total=income + expense
                )
            )
    bill.sort(key=lambda b: (b["order"]["settled_at"], b["line"]["id"]))

    rows = [SETTLEMENT_HEADER]
    for b in bill:
        o, line, c = b["order"], b["line"], b["c"]
        cells = [
            fmt(o["settled_at"]),
            o["id"],
            line["id"],
            money(b["total"]),
            "聚合账户",
            "已结算",
            "是" if c["结算前退款金额"] else "否",
            fmt(o["created"]),
            line["listing"],
            str(line["qty"]),
            "电商",
            "普通订单",
            money(line["amount"]),
            money(line["amount"]),
            "0.00",
            "0.00",
            *[money(c[k]) for k in INCOME],
            money(b["income"]),
            *[money(c[k]) for k in EXPENSE],
            money(b["expense"]),
            "",
            money(c["服务商佣金"]),
            money(c["平台活动补贴"]),
        ]
        rows.append(",".join(cells))
    sums = {
        k: sum((b["c"][k] for b in bill), ZERO)
        for k in [*INCOME, *EXPENSE, "服务商佣金", "平台活动补贴"]
    }
    rows.append(
        ",".join(
            [
                "合计",
                "",
                "",
                money(sum(b["total"] for b in bill)),
                "",
                "",
                "",
                "",
                "",
                str(sum(b["line"]["qty"] for b in bill)),
                "",
                "",
                "",
                "",
                "",
                "",
                *[money(sums[k]) for k in INCOME],
                money(sum(b["income"] for b in bill)),
                *[money(sums[k]) for k in EXPENSE],
                money(sum(b["expense"] for b in bill)),
                "",
                money(sums["服务商佣金"]),
                money(sums["平台活动补贴"]),
            ]
        )
    )
    write_lines(FOLDER / "抖店结算账单_202610.csv", rows, encoding="utf-8-sig")

    out = [ORDERS_HEADER]
    for o in sorted(orders, key=lambda o: o["created"], reverse=True):
        for line in o["lines"]:
            out.append(
                ",".join(
                    [
                        f"\t{o['id']}",
                        f"\t{line['id']}",
                        line["title"],
                        line["spec"],
                        str(line["qty"]),
                        f"\t{line['listing']}",
                        line["code"],
                        money(line["price"]),
                        money(line["amount"]),
                        "0.00",
                        "-",
                        "-",
                        "-",
                        "-",
                        "***",
                        "1**********",
                        "***",
                        fmt(o["created"]),
                        fmt(o["settled_at"] - timedelta(days=1)) if o["settled_at"] else "-",
                        fmt(o["created"] + timedelta(seconds=30)),
                        o["status"],
                        "70123456" if o["creator"] else "-",
                        "家居好物分享" if o["creator"] else "-",
                        "-",
                        fmt(o["created"] + timedelta(hours=18)) if o["status"] != "已关闭" else "-",
                        "抖音",
                        "直播" if o["creator"] else "商品卡",
                    ]
                )
            )
    write_lines(FOLDER / "抖店订单导出_20261101.csv", out, encoding="utf-8-sig", newline="\n")

    funds = [FUNDS_HEADER]
    flow = iter(range(7301000000000000100, 7301000000000099999, 7))
    moves = []  # time, direction, amount, scene, fee type, sub-order, order, memo
    for b in bill:
        moves.append(
            (
                b["order"]["settled_at"] + timedelta(seconds=1),
                "入账",
                b["total"],
                "订单结算",
                "货款",
                b["line"]["id"],
                b["order"]["id"],
                "",
            )
        )
    moves.append(
        (
            datetime(2026, 10, 16, 10, 0, 0),
            "出账",
            Decimal("50.00"),
            "违规扣款",
            "虚假发货",
            "",
            "",
            "虚假发货违约金",
        )
    )
    moves.append(
        (datetime(2026, 10, 20, 9, 0, 0), "出账", Decimal("2000.00"), "提现", "提现", "", "", "")
    )
    moves.sort(key=lambda m: m[0])
    for t, way, amount, scene, fee, sub_id, order_id, memo in moves:
        ids = f"'{sub_id},'{order_id}" if order_id else "-,-"
        funds.append(
            f"{fmt(t)},'{next(flow)},{way},{money(amount)},聚合账户,{scene},{fee},{ids},-,-,-,-,"
            f"-,-,-,-,-,-,-,-,-,-,-,-,-,-,{memo}"
        )
    write_lines(FOLDER / "抖店动账明细_202610.csv", funds, encoding="utf-8-sig")

    ads = ["日期,计划名称,商品ID,消耗(元),成交金额(元)"]
    spend: Counter[str] = Counter()
    day = datetime(2026, 10, 1)
    while day < NOV1:
        for plan, listing in AD_PLANS:
            if listing == NO_ORDERS_LISTING and day.day < 25:
                continue
            cost = Decimal(rng.randrange(300, 3000)) / 100
            spend[listing] += cost
            ads.append(
                f'{day:%Y-%m-%d},{plan},{listing},"{thousands(cost)}","{thousands(cost * 3)}"'
            )
        day += timedelta(days=1)
    write_lines(FOLDER / "巨量千川_广告账单_202610.csv", ads, encoding="utf-8-sig", newline="\n")

    def column(*names: str) -> tuple[int, Decimal]:
        values = [b["c"][k] for b in bill for k in names if b["c"][k]]
        return len(values), sum(values, ZERO)

    facts = []
    for category, names in [
        ("sales", ("用户实付",)),
        ("refund", ("结算前退款金额",)),
        ("platform_subsidy", ("平台补贴",)),
        ("commission", ("平台服务费",)),
        ("affiliate", ("佣金",)),
        ("advertising", ("站外推广费",)),
        ("unclassified", ("平台活动补贴",)),
    ]:
        n, amount = column(*names)
        facts.append((f"{category} ({' + '.join(names)})", f"{n} rows, {money(amount)}"))
    transfers = [m for m in moves if m[3] in ("订单结算", "提现")]
    signed = sum((m[2] if m[1] == "入账" else -m[2] for m in transfers), ZERO)
    facts += [
        ("other_fee (动账明细 违规扣款)", "1 rows, -50.00"),
        ("transfer (动账明细 订单结算 + 提现)", f"{len(transfers)} rows, {money(signed)}"),
        ("advertising (千川 消耗)", f"{len(ads) - 1} rows, {money(-sum(spend.values()))}"),
        (
            "advertising on a listing in no order export (unallocated)",
            f"{money(spend[NO_ORDERS_LISTING])} ({NO_ORDERS_LISTING})",
        ),
        ("orders in the export", str(len(orders))),
        ("orders settled in October", str(len(settled))),
        (
            "units sold on October-settled orders",
            str(sum(line["qty"] for o in settled for line in o["lines"])),
        ),
        ("settlement bill rows (sub-orders)", str(len(bill))),
        receivable_fact(
            [
                (o["created"] + timedelta(hours=18), sum(line["amount"] for line in o["lines"]))
                for o in orders
                if o["status"] != "已关闭"
                and o not in settled
                and o["created"] + timedelta(hours=18) < NOV1
            ]
        ),
        ("reconcile: other exceptions", "none"),
    ]
    write_readme(FOLDER / "README.md", facts)


if __name__ == "__main__":
    main()
