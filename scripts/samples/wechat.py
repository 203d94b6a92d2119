#!/usr/bin/env python3
"""Write sample_statements/wechat/: a WeChat mini-program shop's October 2026 trade bill (CNY).

The 微信支付 交易账单 in the shape the merchant platform gives it: UTF-8, every data cell
prefixed with a backtick, 5-decimal fees (0.6 %), refunds on rows of their own (退款金额 positive,
手续费 negative: the fee given back), and the summary header and row at the end. Deterministic:
a fixed seed, Decimal money, the standard library only.

    python scripts/samples/wechat.py
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
FOLDER = ROOT / "sample_statements" / "wechat"
FILE = "微信支付交易账单_1609876543_20261001-20261031.csv"
SEED, MCH, APPID = 20261031, "1609876543", "wx5f0a1b2c3d4e5f60"
RATE = Decimal("0.006")
ITEMS = [("记忆棉枕头", Decimal("119.00")), ("陶瓷马克杯350ml", Decimal("39.00")),
         ("纯棉浴巾", Decimal("75.00")), ("LED护眼台灯", Decimal("119.00"))]  # fmt: skip
HEADER = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,"
    "付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,"
    "退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
)


def row(*cells: str) -> str:
    return ",".join("`" + c for c in cells)


def main() -> None:
    rng = random.Random(SEED)
    lines, paid = [HEADER], []
    sales = refunds = fees = Decimal("0.00")
    fee_exact = Decimal("0.00000")
    for n in range(36):
        when = datetime(2026, 10, 1, 8) + timedelta(minutes=rng.randrange(0, 30 * 24 * 60 - 600))
        title, price = rng.choice(ITEMS)
        qty = rng.choice([1, 1, 2])
        amount = price * qty
        fee = (amount * RATE).quantize(Decimal("0.00001"))
        tx = f"42000021{n:02d}2026{when:%m%d}{rng.randrange(10**11, 10**12)}"
        order = f"YQ{when:%Y%m%d%H%M%S}{n:04d}"
        lines.append(row(f"{when:%Y-%m-%d %H:%M:%S}", APPID, MCH, "0", "", tx, order,
                         f"oAbC_{rng.randrange(10**6):06d}", "JSAPI", "SUCCESS", "CMB_DEBIT",
                         "CNY", str(amount), "0.00", "0", "0", "0.00", "0.00", "", "",
                         f"{title} x{qty}", "", str(fee), "0.60%", str(amount), "0.00",
                         ""))  # fmt: skip
        paid.append((when, tx, order, title, qty, amount, fee))
        sales += amount
        fees += fee.quantize(Decimal("0.01"), ROUND_HALF_UP)
        fee_exact += fee
    for i, (when, tx, order, title, qty, amount, _fee) in enumerate(rng.sample(paid, 4)):
        back = min(when + timedelta(days=rng.randrange(1, 5)), datetime(2026, 10, 31, 20))
        part = amount if i < 3 else (amount / 2).quantize(Decimal("0.01"))
        fee_back = -(part * RATE).quantize(Decimal("0.00001"))
        lines.append(row(f"{back:%Y-%m-%d %H:%M:%S}", APPID, MCH, "0", "", tx, order,
                         "oAbC_000000", "JSAPI", "REFUND", "CMB_DEBIT", "CNY", "0.00", "0.00",
                         f"5030000101{back:%Y%m%d}{i:08d}", f"RF{back:%Y%m%d}{i:03d}", str(part),
                         "0.00", "ORIGINAL", "SUCCESS", f"{title} x{qty}", "", str(fee_back),
                         "0.60%", str(amount), str(part), ""))  # fmt: skip
        refunds += part
        fees += fee_back.quantize(Decimal("0.01"), ROUND_HALF_UP)
        fee_exact += fee_back
    lines.append(
        "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
    )
    lines.append(row(str(len(lines) - 2), str(sales), str(refunds), "0.00", str(fee_exact),
                     str(sales), str(refunds)))  # fmt: skip
    quirks = (
        "UTF-8, CRLF; every data cell starts with a backtick; fees with 5 decimals (0.6 %), given"
        " back (negative) on refunds; the summary header and row at the end"
    )
    FOLDER.mkdir(parents=True, exist_ok=True)
    (FOLDER / FILE).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    (FOLDER / "README.md").write_text(
        f"""# Sample statements: a WeChat mini-program shop, October 2026 (CNY)

Synthetic, in the real shape; written by `scripts/samples/wechat.py` from a fixed seed with
Decimal money. 商户号 {MCH}; the shop is the demo's `[shops] wechat`.

| file | what it is | shape and quirks |
|---|---|---|
| `{FILE}` | 微信支付 交易账单: 36 payments and 4 refunds (one partial) | {quirks} |

Each row's 应结订单金额 (sale), 退款金额 (refund) and 手续费 (fee) become entries of their own, the
fee rounded half up to the fen per row. The shop's order export is not among the formats yet, so
its money stays unallocated with the reason "order … is in no order export": visible, not lost.

## Known facts (computed by scripts/samples/wechat.py)

| fact | value |
|---|---|
| sales (应结订单金额) | 36 rows, {sales} CNY |
| refund (退款金额) | 4 rows, -{refunds} CNY |
| payment_fee (手续费, per row to the fen) | {-fees} CNY |
| 手续费总金额 in the summary row (5 decimals) | {fee_exact} |
| reconcile: exceptions | none (no order export: the 交易账单 is the only record) |
""",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
