#!/usr/bin/env python3
"""Write sample_statements/tmall-outlet/: a second Tmall shop (云栖家居奥莱店), October 2026.

The same formats as the flagship (支付宝账务明细, 16 columns; 千牛 sub-order sheet), GBK with
CRLF, `#` preamble and footer, TAB-suffixed ids. Neither file names its shop: the demo tells it
by the folder (finance.toml ``[[shop_by_path]] pattern = "(^|/)tmall-outlet/"``). Deterministic:
a fixed seed, Decimal money, the standard library only.

    python scripts/samples/tmall_outlet.py
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
FOLDER = ROOT / "sample_statements" / "tmall-outlet"
SEED, ACCOUNT, SHOP = 20261020, "20885029876543210077", "云栖家居奥莱店"
LEDGER = f"{ACCOUNT}_20261001_20261031_账务明细.csv"
ORDERS = "ExportOrderList_sub_20261101101500.csv"
CENT = Decimal("0.01")
CATALOG = [  # SKU, listing, outlet price, title
    ("YQ-CUP350-GR", "713402558716", Decimal("25.00"), "云栖 陶瓷马克杯350ml 奥莱款"),
    ("YQ-TWL-FACE-WH", "728814403372", Decimal("12.90"), "云栖 纯棉毛巾 奥莱款"),
    ("YQ-PIL-CSN-GR", "746100385249", Decimal("26.00"), "云栖 棉麻抱枕 奥莱款"),
]
LEDGER_HEADER = (
    "账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,"
    "账户余额（元）,交易渠道,业务类型,备注,业务描述,业务账单来源,业务基础订单号,业务订单号"
)
ORDER_HEADER = (
    "子订单编号,主订单编号,商品标题,商品价格,购买数量,外部系统编号,商品属性,套餐信息,联系方式备注,"
    "订单状态,商家编码,支付单号,买家应付货款,买家实付金额,退款状态,退款金额,订单创建时间,订单付款时间,"
    "发货时间,商品ID ,商家备注,物流单号 ,物流公司"
)


def money(x: Decimal) -> Decimal:
    return x.quantize(CENT, ROUND_HALF_UP)


def main() -> None:
    rng = random.Random(SEED)
    entries: list[tuple[datetime, str, str, str, Decimal, str, str]] = []
    order_rows = []
    totals: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    units: dict[str, int] = defaultdict(int)
    for n in range(14):
        order = f"40215566{n:03d}{rng.randrange(10**7, 10**8)}"
        paid = datetime(2026, 9, 28, 9) + timedelta(minutes=rng.randrange(0, 24 * 24 * 60))
        sku, listing, price, title = rng.choice(CATALOG)
        qty = rng.choice([1, 2, 2, 3])
        amount = price * qty
        trade = f"{paid:%Y%m%d}22001156780599{n:06d}"
        order_rows.append(
            f'="{order}",="{order}",{title},{price},{qty},,,,,交易成功,{sku},="{trade}",'
            f"{amount},{amount},没有申请退款,无退款申请,"
            f"{paid - timedelta(minutes=1):%Y-%m-%d %H:%M:%S},{paid:%Y-%m-%d %H:%M:%S},"
            f"{paid + timedelta(hours=20):%Y-%m-%d %H:%M:%S},{listing},,"
            f"YT{rng.randrange(10**12, 10**13)},圆通速递"
        )
        settled = paid + timedelta(days=rng.randrange(3, 8), hours=2)
        if settled >= datetime(2026, 11, 1):
            continue  # confirmed in November: not in this ledger
        units[sku] += qty
        commission = money(amount * Decimal("0.05"))
        entries.append((settled, f"T200P{order}", title, "交易付款", amount, "交易付款", order))
        entries.append((settled + timedelta(seconds=2), "", "", "服务费", -commission,
                        f"基础软件服务费（天猫佣金）扣款[{order}]", order))  # fmt: skip
        totals["sales"] += amount
        totals["commission"] -= commission
        if rng.random() < 0.4:
            fee = money(amount * Decimal("0.008"))
            entries.append((settled + timedelta(seconds=1), "", "", "服务费", -fee,
                            f"花呗支付服务费[{order}]", order))  # fmt: skip
            totals["payment_fee"] -= fee
    entries.append(
        (datetime(2026, 10, 30, 16, 0), "", "", "提现", Decimal("-300.00"), "提现到银行卡", "")
    )
    totals["transfer"] -= Decimal("300.00")
    entries.sort(key=lambda e: e[0])
    balance = Decimal("500.00")
    lines = []
    for i, (when, merchant_order, title, kind, amount, memo, order) in enumerate(entries):
        balance += amount
        income = amount if amount > 0 else Decimal("0.00")
        outflow = amount if amount < 0 else Decimal("0.00")
        lines.append(
            f"{when:%Y%m%d}2000400111005600{i:08d}\t,{when:%Y%m%d}3000000000{i:08d}\t,"
            f"{merchant_order}\t,{title}\t,{when:%Y-%m-%d %H:%M:%S},tb***{i:02d}\t,{income},"
            f"{outflow},{balance},支付宝,{kind},{memo},{kind},天猫,{order}\t,\t"
        )
    lines.reverse()  # newest first, as the download is
    out_sum = sum((e[4] for e in entries if e[4] < 0), Decimal("0.00"))
    in_sum = sum((e[4] for e in entries if e[4] > 0), Decimal("0.00"))
    n_out = sum(1 for e in entries if e[4] < 0)
    text = [
        "#支付宝账务明细查询",
        f"#账号：[{ACCOUNT}]",
        "#起始日期：[2026年10月01日 00:00:00]   终止日期：[2026年11月01日 00:00:00]",
        "#-----------------------------------------账务明细列表----------------------------------------",
        LEDGER_HEADER,
        *lines,
        "#----------------------------------------账务明细列表结束-------------------------------------",
        f"#支出合计：{n_out}笔，共{out_sum}元",
        f"#收入合计：{len(entries) - n_out}笔，共{in_sum}元",
        "#导出时间：[2026年11月01日 10:12:40]",
    ]  # fmt: skip
    FOLDER.mkdir(parents=True, exist_ok=True)
    (FOLDER / LEDGER).write_bytes(("\r\n".join(text) + "\r\n").encode("gbk"))
    (FOLDER / ORDERS).write_bytes(("\r\n".join([ORDER_HEADER, *order_rows]) + "\r\n").encode("gbk"))
    ledger_row = (
        f"| `{LEDGER}` | 支付宝账务明细 of the outlet shop | GBK, CRLF, `#` preamble and footer,"
        " ids end in a TAB; newest first |"
    )
    unit_text = " · ".join(f"{s} {u}" for s, u in sorted(units.items()))
    (FOLDER / "README.md").write_text(
        f"""# Sample statements: a second Tmall shop, {SHOP}, October 2026

Synthetic; written by `scripts/samples/tmall_outlet.py` from a fixed seed with Decimal money.
Alipay account {ACCOUNT}. Neither file names the shop: the demo workspace tells it by this
folder, with `[[shop_by_path]] pattern = "(^|/)tmall-outlet/"` in `finance.toml`. Without that
entry the files would belong to `[shops] tmall`, the flagship.

| file | what it is | shape and quirks |
|---|---|---|
{ledger_row}
| `{ORDERS}` | 千牛 sub-order sheet of the outlet | GBK, CRLF, ids written `="…"` |

## Known facts (computed by scripts/samples/tmall_outlet.py)

| fact | value |
|---|---|
| sales (交易付款) | {totals["sales"]} CNY |
| commission (天猫佣金) | {totals["commission"]} CNY |
| payment_fee (花呗支付服务费) | {totals["payment_fee"]} CNY |
| transfer (提现) | {totals["transfer"]} CNY |
| units sold by SKU (October-settled orders) | {unit_text} |
| reconcile: commission | 5 % of every order (the outlet's own contract) |
| reconcile: payout_unmatched | {-totals["transfer"]} (no receipt in the flagship's `../bank/`) |
""",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
