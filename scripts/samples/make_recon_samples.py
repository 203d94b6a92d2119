"""Write the courier bills and the bank statement of the sample month (deterministic).

Reads the Tmall month in ``sample_statements/`` (the order exports' waybills and shipping times,
the unit-cost table's weights, the Alipay ledger's 提现) and ``rules/contracts.toml`` (the rate
cards), and writes:

- ``sample_statements/courier/中通_对账单_202610.csv`` (courier-bill-zto): every 中通 parcel
  shipped in October, billed by the rate card, except one parcel overcharged by 0.50;
- ``sample_statements/courier/圆通_网点账单_202610.csv`` (courier-bill-depot): every 圆通 parcel,
  one of them billed twice;
- ``sample_statements/bank/招商银行_交易明细_202610.csv`` (bank-statement-cmb): the account the
  提现 goes to, with the withdrawal's receipt and the seller's other payments.

It also writes the golden-fixture inputs of those formats under ``tests/fixtures/`` (a few
hand-checkable rows each, in the small world of ``tests/fixtures/README.md``).

Run: ``python scripts/samples/make_recon_samples.py``. The same input gives the same files.
"""

from __future__ import annotations

import csv
import io
import random
import tomllib
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_statements"
SEED = 20261101
PACKAGING_G = 150
PROVINCES = ["浙江省", "江苏省", "上海市", "广东省", "北京市", "山东省", "四川省", "湖北省",
             "河南省", "福建省", "辽宁省", "陕西省", "新疆维吾尔自治区"]  # fmt: skip
OVERCHARGE = Decimal("0.50")


def read_gbk(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("gb18030")
    rows = list(csv.reader(io.StringIO(text)))
    header = [h.strip() for h in rows[0]]
    clean = [[c.strip().removeprefix('="').removesuffix('"').strip() for c in r] for r in rows[1:]]
    return [dict(zip(header, r, strict=False)) for r in clean if r]


def parcels() -> list[dict]:
    """October parcels: waybill, order, ship time, and billed weight in grams."""
    grams = {r["商家编码"]: int(r["重量(g)"]) for r in read_gbk(SAMPLES / "商品成本.csv")}
    by_waybill: dict[str, dict] = {}
    weight: dict[str, int] = defaultdict(int)
    seen_lines: set[str] = set()
    for path in sorted(SAMPLES.glob("ExportOrderList_sub_*.csv")):
        for r in read_gbk(path):
            waybill, shipped = r["物流单号"], r["发货时间"]
            if not waybill or not shipped.startswith("2026-10") or r["子订单编号"] in seen_lines:
                continue
            seen_lines.add(r["子订单编号"])
            by_waybill.setdefault(waybill, {"waybill": waybill, "shipped": shipped})
            weight[waybill] += grams.get(r["商家编码"], 500) * int(r["购买数量"])
    out = []
    for waybill in sorted(by_waybill):
        p = by_waybill[waybill]
        billed = -(-(weight[waybill] + PACKAGING_G) // 100) * 100  # up to the next 100 g
        out.append({**p, "grams": billed})
    return out


def price(card: dict, province: str, grams: int) -> Decimal:
    name = province.removesuffix("省").removesuffix("市").removesuffix("维吾尔自治区")
    for zone in card["zones"]:
        if name in zone["provinces"]:
            steps = max(0, -(-(grams - card["first_weight_g"]) // card["step_g"]))
            return Decimal(zone["first"]) + steps * Decimal(zone["additional"])
    raise ValueError(province)


def write_gbk(path: Path, lines: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(lines)
    path.write_bytes(buffer.getvalue().encode("gb18030"))


def kg(grams: int) -> str:
    return f"{Decimal(grams) / 1000:.2f}"


def main() -> None:
    rng = random.Random(SEED)
    contracts = tomllib.loads((ROOT / "rules" / "contracts.toml").read_text(encoding="utf-8"))
    cards = {c["formats"][0]: c for c in contracts["rate_card"]}
    all_parcels = parcels()
    for p in all_parcels:
        p["province"] = rng.choice(PROVINCES)

    zto = [p for p in all_parcels if p["waybill"].startswith("7731")]
    rows, total_w, total_fee = [], 0, Decimal(0)
    overcharged = zto[len(zto) // 2]["waybill"]
    for p in sorted(zto, key=lambda p: (p["shipped"], p["waybill"])):
        fee = price(cards["courier-bill-zto"], p["province"], p["grams"])
        fee += OVERCHARGE if p["waybill"] == overcharged else 0
        total_w, total_fee = total_w + p["grams"], total_fee + fee
        day = datetime.strptime(p["shipped"], "%Y-%m-%d %H:%M:%S").strftime("%Y/%m/%d")
        rows.append([day, p["waybill"], "云栖家居旗舰店", p["province"], kg(p["grams"]), f"{fee}"])
    write_gbk(
        SAMPLES / "courier" / "中通_对账单_202610.csv",
        [["中通快递 杭州余杭网点 客户对账单 2026年10月"],
         ["寄件日期", "运单号", "寄件客户", "省", "结算重量", "运费"], *rows,
         ["合计", "", "", "", kg(total_w), f"{total_fee}"]],
    )  # fmt: skip

    yto = [p for p in all_parcels if p["waybill"].startswith("YT")]
    rows, total_w, total_fee = [], 0, Decimal(0)
    twice = yto[len(yto) // 3]["waybill"]
    for p in sorted(yto, key=lambda p: (p["shipped"], p["waybill"])):
        fee = price(cards["courier-bill-depot"], p["province"], p["grams"])
        actual = p["grams"] - rng.randint(0, 99)
        row = [p["shipped"], p["waybill"], p["province"], p["province"][:2] + "转运中心",
               kg(actual), kg(p["grams"]), kg(p["grams"]), f"{fee}", "0.00"]  # fmt: skip
        for _ in range(2 if p["waybill"] == twice else 1):
            rows.append(row)
            total_w, total_fee = total_w + p["grams"], total_fee + fee
    write_gbk(
        SAMPLES / "courier" / "圆通_网点账单_202610.csv",
        [["圆通速递 杭州仓前网点 客户月结账单 2026年10月"],
         ["发件日期", "运单编号", "目的省份", "目的网点", "实际重量", "体积重量", "结算重量",
          "合计运费", "到付款"], *rows,
         ["合计", "", "", "", "", "", kg(total_w), f"{total_fee}", "0.00"]],
    )  # fmt: skip

    ledger = (SAMPLES / "20885021234567890156_20261001_20261031_账务明细.csv").read_bytes()
    withdrawals = [
        line.split(",") for line in ledger.decode("gb18030").splitlines() if ",提现," in line
    ]
    balance = Decimal("26210.33")
    bank = []
    events = [
        ("20261008", "10:12:05", "Dr", Decimal("6800.00"), "货款", "义乌市宏达日用品有限公司"),
        (
            "20261015",
            "09:30:44",
            "Dr",
            Decimal("3120.50"),
            "快递费",
            "杭州中通快递有限公司余杭分部",
        ),
        ("20261020", "14:02:19", "Dr", Decimal("2600.00"), "工资", "代发工资"),
    ]
    for w in withdrawals:
        at = datetime.strptime(w[4].strip(), "%Y-%m-%d %H:%M:%S")
        amount = -Decimal(w[7])
        events.append((at.strftime("%Y%m%d"), f"{at:%H:%M}:40", "Cr", amount, "支付宝提现",
                       "支付宝（中国）网络技术有限公司"))  # fmt: skip
    events.append(
        ("20261031", "16:45:00", "Dr", Decimal("1200.00"), "房租", "杭州仓前物业管理有限公司")
    )
    for n, (day, clock, side, amount, memo, party) in enumerate(sorted(events), start=1):
        balance += amount if side == "Cr" else -amount
        debit, credit = (f"{amount:.2f}", "") if side == "Dr" else ("", f"{amount:.2f}")
        bank.append([day, clock, day, "转账汇入" if side == "Cr" else "转账汇出", debit, credit,
                     f"{balance:.2f}", memo, f"K30210{n:08d}", party, ""])  # fmt: skip
    write_gbk(
        SAMPLES / "bank" / "招商银行_交易明细_202610.csv",
        [["招商银行交易明细"], ["账号：571912345610621"], ["币种：人民币"],
         ["查询区间：20261001-20261031"],
         ["交易日", "交易时间", "起息日", "交易类型", "借方金额", "贷方金额", "余额", "摘要",
          "流水号", "收(付)方名称", "收(付)方帐号"], *bank],
    )  # fmt: skip
    print(f"zto parcels {len(zto)} (overcharged {overcharged}), yto parcels {len(yto)} "
          f"(billed twice {twice}), bank lines {len(bank)}")  # fmt: skip


FIXTURES = ROOT / "tests" / "fixtures"


def write_fixtures() -> None:
    """Small inputs for the golden tests: title rows, totals rows, id quirks, kg weights."""
    write_gbk(
        FIXTURES / "courier-bill-sto" / "bill.csv",
        [["申通快递杭州余杭网点 2026年10月 对账单"],
         ["业务时间", "运单号", "省", "结算重量", "运费"],
         ["2026-10-04", "773112345678901", "浙江省", "0.45", "3.00"],
         ["2026-10-06", "773112345678902", "广东省", "2.30", "8.00"],
         ["2026-10-09", "773112345678903", "新疆维吾尔自治区", "1", "10.00"],
         ["合计", "", "", "3.75", "21.00"]],
    )  # fmt: skip
    write_gbk(
        FIXTURES / "courier-bill-zto" / "bill.csv",
        [["中通快递 客户对账单 2026-10"], [],
         ["寄件日期", "运单号", "寄件客户", "省", "结算重量", "运费"],
         ["2026/10/04", '="773198765432101"', "云栖家居旗舰店", "江苏", "1.30", "4.20"],
         ["2026/10/05", "773198765432102\t", "云栖家居旗舰店", "四川省", "0.80", "5.20"],
         ["2026/10/05", "773198765432103", "云栖家居旗舰店", "上海市", "3.05", "6.70"],
         ["合计", "", "", "", "5.15", "16.10"]],
    )  # fmt: skip
    write_gbk(
        FIXTURES / "courier-bill-depot" / "bill.csv",
        [["圆通速递 杭州仓前网点 客户月结账单 2026年10月"],
         ["发件日期", "运单编号", "目的省份", "目的网点", "实际重量", "体积重量", "结算重量",
          "合计运费", "到付款"],
         ["2026-10-04 09:00:00", "YT7512345678901", "广东省", "广州白云三部", "0.82", "1.10",
          "1.10", "6.00", "0.00"],
         ["2026-10-05 10:30:00", "YT7511122233344", "浙江省", "杭州转运中心", "1.40", "0.90",
          "1.40", "4.00", "-"],
         ["2026-10-05 10:30:00", "YT7511122233344", "浙江省", "杭州转运中心", "1.40", "0.90",
          "1.40", "4.00", "-"],
         ["合计", "", "", "", "3.62", "2.90", "3.90", "14.00", "0.00"]],
    )  # fmt: skip
    write_gbk(
        FIXTURES / "bank-statement-cmb" / "statement.csv",
        [["招商银行交易明细"], ["账号：571912345610621"], ["币种：人民币"],
         ["查询区间：20261001-20261031"],
         ["交易日", "交易时间", "起息日", "交易类型", "借方金额", "贷方金额", "余额", "摘要",
          "流水号", "收(付)方名称", "收(付)方帐号"],
         ["20261008", "10:12:05", "20261008", "转账汇出", "1,200.00", "", "8,800.00", "货款",
          "K3021000000101", "义乌市宏达日用品有限公司", "33050161000000000123"],
         ["20261030", "17:05:40", "20261030", "转账汇入", "", "300.00", "9,100.00",
          "支付宝提现", "K3021000000102", "支付宝（中国）网络技术有限公司", "215500690"],
         ["20261031", "09:00:00", "20261031", "利息", "", "1.23", "9,101.23", "结息",
          "K3021000000103", "", ""]],
    )  # fmt: skip
    (FIXTURES / "bank-statement-generic").mkdir(parents=True, exist_ok=True)
    (FIXTURES / "bank-statement-generic" / "statement.csv").write_text(
        "Date,Amount,Counterparty,Description,Account,Currency\n"
        "2026-10-30,300.00,Alipay (China) Network Technology,Alipay withdrawal,"
        "6214830000006621,CNY\n"
        "2026-10-31,-45.50,Hangzhou Courier Co.,courier fees,6214830000006621,CNY\n"
        "2026-10-31,-45.50,Hangzhou Courier Co.,courier fees,6214830000006621,\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
    write_fixtures()
