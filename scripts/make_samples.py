#!/usr/bin/env python3
"""Write the synthetic sample month (sample_statements/) and the fixture inputs (tests/fixtures/).

Deterministic: one fixed seed, Decimal for every amount, the standard library only (openpyxl for
the one XLSX fixture). The data is invented, but in the shapes and with the quirks of real
downloads: GBK, CRLF, ``#`` preamble and footer, TAB-suffixed and ``="…"`` ids, 转化周期 repeats.

    python scripts/make_samples.py
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES, FIXTURES = ROOT / "sample_statements", ROOT / "tests" / "fixtures"
REAL_SAMPLE = Path("/work/shared/real-samples/alipay-merchant-ledger-excerpt.csv")
SEED, ACCOUNT, SHOP = 20261031, "20885021234567890156", "云栖家居旗舰店"
PILLOW, NO_COST = "YQ-PIL-MEM-GR", "YQ-TBL-MAT-BE"
COST_CHANGES = {"YQ-PIL-MEM-GR": "40.50", "YQ-CUP350-WH": "12.90"}  # from 2026-10-16
OCT1, NOV1 = datetime(2026, 10, 1), datetime(2026, 11, 1)
CUTOFF = datetime(2026, 11, 1, 9, 30)  # when the order exports were downloaded
CENT, ZERO = Decimal("0.01"), Decimal("0.00")
SUCCESS, SHIPPED = "交易成功", "卖家已发货，等待买家确认"
PAID, CLOSED = "买家已付款,等待卖家发货", "交易关闭"

# fmt: off
# key, listing id, commission rate, price, unit cost, grams, popularity, attribute template,
# title, variants (code:value)
CATALOG = [
    ("CUP350", "713402558716", "0.03", "39.00", "13.80", 420, 6, "颜色分类:{};容量:350ml",
     "陶瓷马克杯350ml 带盖勺 办公室家用喝水杯", "WH:白色 GR:雾灰 BL:雾蓝 PK:樱粉"),
    ("CUP-GLS", "713415902283", "0.03", "49.00", "16.50", 380, 3, "颜色分类:{};容量:300ml",
     "双层玻璃杯300ml 隔热防烫咖啡杯", "CL:透明 AM:琥珀"),
    ("CUP-THM", "716620184455", "0.03", "89.00", "34.00", 360, 3, "颜色分类:{};容量:500ml",
     "316不锈钢保温杯500ml 大容量便携水杯", "WH:奶白 BK:曜黑 GN:松绿"),
    ("TWL-FACE", "708833164027", "0.04", "39.90", "15.20", 330, 5, "颜色分类:{}",
     "新疆长绒棉毛巾 3条装 加厚吸水洗脸巾", "WH:白色 GR:灰色 BL:蓝色 BE:米色"),
    ("TWL-BATH", "708851907312", "0.04", "79.00", "31.00", 650, 3, "颜色分类:{};尺寸:70x140cm",
     "纯棉A类浴巾 70x140cm 吸水速干", "WH:白色 GR:灰色 PK:粉色"),
    ("BOX-FOLD", "721904436518", "0.02", "59.00", "21.00", 1600, 4, "颜色分类:{};规格:56L",
     "折叠收纳箱 大号56L 衣物整理箱", "GR:浅灰 BE:奶咖"),
    ("BOX-DRW", "721966021874", "0.02", "129.00", "52.00", 4200, 2, "颜色分类:{};层数:三层",
     "抽屉式收纳柜 三层 塑料储物柜", "WH:白色 CL:透明"),
    ("BOX-CLR", "722017554630", "0.02", "45.00", "15.00", 900, 2, "颜色分类:{}",
     "透明桌面收纳盒 6件套 化妆品整理盒", "CL:透明"),
    ("PIL-MEM", "745812306691", "0.05", "129.00", "38.00", 1300, 22, "颜色分类:{};规格:60x35cm",
     "记忆棉枕头 慢回弹护颈枕 单人枕芯", "GR:灰色"),
    ("PIL-LTX", "745839017725", "0.05", "159.00", "62.00", 1500, 3, "颜色分类:{}",
     "泰国天然乳胶枕 成人护颈枕芯", "WH:白色 BL:浅蓝"),
    ("PIL-CSN", "746100385249", "0.04", "35.00", "11.00", 600, 4, "颜色分类:{};尺寸:45x45cm",
     "棉麻抱枕 沙发靠垫 含芯45x45cm", "GR:灰色 YL:姜黄 GN:墨绿 BL:雾蓝 PK:豆沙粉"),
    ("LMP-DSK", "730256617803", "0.03", "119.00", "46.00", 1100, 2, "颜色分类:{}",
     "LED护眼台灯 学生书桌阅读灯", "WH:白色 BK:黑色"),
    ("LMP-NGT", "730271148560", "0.03", "29.90", "9.50", 150, 3, "颜色分类:{}",
     "人体感应小夜灯 充电式床头灯", "WH:冷白光 WM:暖黄光"),
    ("SLP-CTN", "735520941176", "0.04", "29.90", "9.80", 400, 3, "尺码:{}",
     "居家棉拖鞋 秋冬保暖室内拖鞋", "3637:36-37 3839:38-39 4041:40-41 4243:42-43"),
    ("MAT-BTH", "738844502697", "0.03", "49.00", "17.00", 1400, 2, "颜色分类:{};尺寸:40x60cm",
     "硅藻泥浴室地垫 吸水速干防滑垫", "GR:灰色 BE:米色 BL:蓝色"),
    ("HGR-NS", "739015773824", "0.02", "36.90", "12.00", 1000, 2, "颜色分类:{}",
     "无痕防滑衣架 20只装", "WH:白色 GR:灰色"),
    ("BLK-FLN", "741267380515", "0.04", "99.00", "38.00", 1200, 3, "颜色分类:{};尺寸:150x200cm",
     "法兰绒毛毯 150x200cm 午睡毯", "GR:灰色 BE:米色 PK:粉色"),
    ("TBL-MAT", "742730068941", "0.02", "25.90", "7.50", 300, 2, "颜色分类:{}",
     "硅胶隔热餐垫 4片装", "GR:灰色 BE:米色"),
]
AROMA = ("749903125568", "云栖 超声波香薰机 静音加湿器")  # promoted, never sold this month

# listing key, scene id, scene, plan id, plan, daily spend range in fen
AD_PLANS = [
    ("PIL-MEM", "1101", "关键词推广", "30218877", "记忆棉枕-关键词-日常", 13000, 17000),
    ("PIL-MEM", "1105", "货品全站推广", "30219012", "记忆棉枕-全站推广", 4000, 7000),
    ("CUP350", "1101", "关键词推广", "30220145", "马克杯-关键词", 1000, 2000),
    ("TWL-FACE", "1102", "人群推广", "30220388", "毛巾-人群拉新", 800, 1600),
    ("BOX-FOLD", "1101", "关键词推广", "30220561", "收纳箱-关键词", 700, 1500),
    ("PIL-LTX", "1105", "货品全站推广", "30220790", "乳胶枕-全站推广", 2000, 4000),
    ("LMP-DSK", "1101", "关键词推广", "30221036", "台灯-关键词", 600, 1200),
    ("CUP-THM", "1102", "人群推广", "30221254", "保温杯-人群", 800, 1600),
    ("BLK-FLN", "1105", "货品全站推广", "30221473", "毛毯-全站推广", 700, 1400),
    ("MAT-BTH", "1101", "关键词推广", "30221688", "地垫-关键词", 400, 900),
    ("ARO-DIF", "1101", "关键词推广", "30221907", "香薰机-新品测款", 4500, 6500),
]
SCENE2 = {"1101": ("-", "-"), "1102": ("2201", "拉新快"), "1105": ("NULL", "NULL")}

# ledger bucket: (业务类型, 业务描述, 对方账号 when it is not the buyer, 商户订单号 prefix)
BUCKETS = {
    "sales": ("交易付款", "交易付款", "", ""),
    "refund": ("交易退款", "交易退款", "", ""),
    "commission": ("服务费", "天猫佣金", "天猫 (tmallfee@service.taobao.com)", ""),
    "huabei": ("服务费", "花呗服务费", "蚂蚁花呗 (huabeifee@alipay.com)", ""),
    "credit_card": ("服务费", "信用卡服务费", "支付宝 (cardfee@alipay.com)", ""),
    "affiliate": ("服务费", "淘宝客佣金", "阿里妈妈 (tbk@alimama.com)", "TK"),
    "insurance": ("服务费", "运费险", "运费险 (yfx@insurance.taobao.com)", "BX"),
    "unknown": ("服务费", "品牌新享", "天猫 (tmallfee@service.taobao.com)", ""),
    "cashback": ("转账", "转账", "", ""),
    "topup": ("转账", "转账", "阿里妈妈 (alimama@alimama.com)", ""),
    "withdrawal": ("提现", "提现", "招商银行(尾号6621)", ""),
}

LEDGER_HEAD = (
    "账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,"
    "账户余额（元）,交易渠道,业务类型,备注,业务描述,业务账单来源,业务基础订单号,业务订单号"
).split(",")
ORDER_HEAD = (
    "子订单编号,主订单编号,商品标题,商品价格,购买数量,外部系统编号,商品属性,套餐信息,联系方式备注,"
    "订单状态,商家编码,支付单号,买家应付货款,买家实付金额,退款状态,退款金额,订单创建时间,"
    "订单付款时间,发货时间,商品ID ,商家备注,物流单号 ,物流公司"
).split(",")
REFUND_HEAD = (
    "订单编号,退款编号,支付宝交易号,订单付款时间,商品id,商品编码,退款完结时间,买家会员名称,"
    "买家实际支付金额,宝贝标题,买家退款金额,手工退款/系统退款,是否需要退货,退款的申请时间,超时时间,"
    "退款状态,货物状态,退货物流信息,发货物流信息,客服介入状态,卖家真实姓名,卖家真实姓名(新),"
    "卖家退货地址,卖家邮编,卖家电话,卖家手机,退货物流单号,退货物流公司,买家退款原因,买家退款说明,"
    "买家退货时间,责任方,售中或售后,商家备注,完结时间,部分退款/全部退款"
).split(",")
AD_HEAD = (
    "日期,场景ID,场景名字,原二级场景ID,原二级场景名字,计划ID,计划名字,主体ID,主体类型,主体名称,"
    "转化周期,展现量,点击量,花费,点击率,平均点击花费,千次展现花费,总成交金额,总成交笔数,总成交件数"
).split(",")
ORDER_LIST_HEAD = (
    "订单编号,买家会员名,买家支付宝账号,买家应付货款,买家应付邮费,买家支付积分,总金额,返点积分,"
    "买家实际支付金额,买家实际支付积分,订单状态,买家留言,收货人姓名,收货地址 ,运送方式,联系电话 ,"
    "联系手机,订单创建时间,订单付款时间 ,宝贝标题 ,宝贝种类 ,物流单号 ,物流公司,订单备注,"
    "宝贝总数量,店铺Id,店铺名称,订单关闭原因,卖家服务费,买家服务费,发票抬头,是否手机订单,分阶段订单信息,"
    "特权订金订单id,是否上传合同照片,是否上传小票,是否代付,定金排名,修改后的sku,修改后的收货地址,"
    "异常信息,天猫卡券抵扣,集分宝抵扣,是否是O2O交易,退款金额,确认收货时间,打款商家金额,主订单编号"
).split(",")
DETAIL_HEAD = "订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码"
COST_HEAD = ["商家编码", "成本价", "生效日期", "币种", "重量(g)"]
CARRIERS = {"YT": "圆通速递", "ZT": "中通快递", "SF": "顺丰速运"}
SELLER = ["杭州云栖家居用品有限公司", "杭州云栖家居用品有限公司",
          "浙江省杭州市余杭区仓前街道良睦路1288号 云栖家居售后组", "311121", "0571-8600****",
          "138****6621"]
FULL_REASONS = [("七天无理由退换货", "不喜欢/不想要"), ("质量问题", "有异味，申请退货"),
                ("尺寸/规格与描述不符", "尺寸不合适")]
PART_REASONS = [("价保补差", "双11价格保护，补差价"), ("商品破损", "收到有磕碰，协商补偿不退货"),
                ("少件/漏发", "少发配件，补偿")]
PILLOW_NOTES = ["枕头太高，睡不习惯", "太硬了，脖子疼", "回弹太慢，不喜欢"]
# fmt: on


@dataclass(frozen=True)
class Sku:
    code: str
    listing: str
    title: str
    attrs: str
    price: Decimal
    cost: Decimal
    grams: int
    rate: Decimal


@dataclass
class Line:
    sub_id: str
    sku: Sku
    qty: int
    paid: Decimal
    refund: Decimal = ZERO


@dataclass
class Order:
    id: str
    created: datetime
    lines: list[Line]
    buyer: str
    status: str = CLOSED
    paid: datetime | None = None
    shipped: datetime | None = None
    confirmed: datetime | None = None
    trade_no: str = ""
    waybill: str = ""
    carrier: str = ""

    @property
    def total(self) -> Decimal:
        return sum((x.paid for x in self.lines), ZERO)


@dataclass
class Refund:
    order: Order
    line: Line
    id: str
    amount: Decimal
    returned: bool
    applied: datetime
    done: datetime
    reason: tuple[str, str]
    back_waybill: str = ""


@dataclass
class Entry:
    """One Alipay ledger row; ``amount`` is signed, income positive."""

    at: datetime
    bucket: str
    amount: Decimal
    memo: str = ""
    order: Order | None = None
    goods: str = ""
    biz_no: str = ""


# ---------------------------------------------------------------- small helpers
def q(x: Decimal) -> Decimal:
    return x.quantize(CENT, ROUND_HALF_UP)


def digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(10 ** (n - 1), 10**n - 1))


def ts(t: datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S") if t else ""


def tab(s: str) -> str:
    return s + "\t"


def formula(s: str) -> str:
    return f'="{s}"' if s else ""


def masked(buyer: str) -> str:
    return f"{buyer[:4]}***{buyer[-2:]}"


def split(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Largest-remainder split of ``total`` over ``weights``, to the fen."""
    cents, whole = int(total * 100), sum(weights)
    raw = [cents * w / whole for w in weights]
    parts = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in by_remainder[: cents - sum(parts)]:
        parts[i] += 1
    return [Decimal(p) / 100 for p in parts]


def cell(v: object) -> str:
    s = f"{v:.2f}" if isinstance(v, Decimal) else str(v)
    return f'"{s.replace(chr(34), chr(34) * 2)}"' if "," in s or "\n" in s else s


def write_csv(path: Path, header, rows, *, enc: str = "gbk", pre=(), post=()) -> None:
    """CRLF lines; only cells holding a comma are quoted, so ="…" and TAB-suffixed ids stay raw."""
    header = header.split(",") if isinstance(header, str) else header
    lines = [*pre, ",".join(header), *(",".join(map(cell, r)) for r in rows), *post]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(enc))


def catalog() -> dict[str, list[Sku]]:
    listings = {}
    for key, lid, rate, price, cost, grams, _, attr, title, variants in CATALOG:
        money = Decimal(price), Decimal(cost)
        listings[key] = []
        for code, value in (v.split(":") for v in variants.split()):
            name, text = f"YQ-{key}-{code}", "云栖 " + title
            sku = Sku(name, lid, text, attr.format(value), *money, grams, Decimal(rate))
            listings[key].append(sku)
    return listings


# ---------------------------------------------------------------- orders and refunds
def pick_lines(rng: random.Random, listings: dict[str, list[Sku]], oid: str) -> list[Line]:
    """1 line (75 %) or 2–4 distinct SKUs; a shop coupon split over the lines."""
    keys, popularity = [c[0] for c in CATALOG], [c[6] for c in CATALOG]
    n = 1 if rng.random() < 0.75 else rng.choice([2, 2, 2, 3, 3, 4])
    skus: list[Sku] = []
    while len(skus) < n:
        sku = rng.choice(listings[rng.choices(keys, popularity)[0]])
        skus += [] if sku in skus else [sku]
    qtys = [rng.choices([1, 2, 3], [85, 12, 3])[0] for _ in skus]
    gross = [s.price * k for s, k in zip(skus, qtys, strict=True)]
    total = sum(gross)
    coupon = 20 if total >= 199 else 10 if total >= 99 else 5 if rng.random() < 0.3 else 0
    shares = split(Decimal(coupon), gross)
    subs = [oid] if n == 1 else [str(int(oid) + 1_000_000 * (i + 1)) for i in range(n)]
    return [
        Line(sub, s, k, g - share)
        for sub, s, k, g, share in zip(subs, skus, qtys, gross, shares, strict=True)
    ]


def advance(rng: random.Random, o: Order) -> None:
    """Pay, ship and confirm the order as far as the download time allows."""
    if rng.random() < 0.03:  # never paid: closed by timeout, nothing paid
        for x in o.lines:
            x.paid = ZERO
        return
    o.paid = o.created + timedelta(seconds=rng.randint(8, 900))
    o.trade_no, o.status = f"{o.paid:%Y%m%d}22001{digits(rng, 15)}", PAID
    shipped = o.paid + timedelta(minutes=rng.randint(180, 2400))
    if shipped >= CUTOFF:
        return
    pillow = any(x.sku.code == PILLOW for x in o.lines)
    prefix = "ZT" if pillow else rng.choice(["YT", "YT", "ZT", "SF"])
    numbers = {"YT": "YT75" + digits(rng, 11), "ZT": "7731" + digits(rng, 11)}
    o.waybill = numbers.get(prefix) or "SF" + digits(rng, 13)
    o.shipped, o.carrier, o.status = shipped, CARRIERS[prefix], SHIPPED
    confirmed = shipped + timedelta(days=rng.randint(2, 9), seconds=rng.randint(0, 86399))
    if confirmed < OCT1:  # September orders were all auto-confirmed in early October
        confirmed = OCT1 + timedelta(seconds=rng.randint(300, 2 * 86400))
    if confirmed < NOV1:
        o.confirmed, o.status = confirmed, SUCCESS


def make_orders(rng: random.Random, listings: dict[str, list[Sku]]) -> list[Order]:
    """7–11 orders a day, created 2026-09-20..10-31."""
    orders, day = [], datetime(2026, 9, 20)
    while day < NOV1:
        for _ in range(rng.randint(7, 11)):
            created = day + timedelta(hours=rng.randint(8, 23), seconds=rng.randint(0, 3599))
            oid = "40" + digits(rng, 17)
            order = Order(oid, created, pick_lines(rng, listings, oid), "tb" + digits(rng, 10))
            advance(rng, order)
            orders.append(order)
        day += timedelta(days=1)
    sub_ids = [x.sub_id for o in orders for x in o.lines]
    assert len(set(sub_ids)) == len(sub_ids) and len({o.id for o in orders}) == len(orders)
    return sorted(orders, key=lambda o: o.created)


def refund_picks(rng: random.Random, o: Order) -> list[tuple[Line, bool]]:
    """Which lines of a settled order come back (True) or get a partial refund (False)."""
    pillow = [x for x in o.lines if x.sku.code == PILLOW]
    r = rng.random()
    if pillow and r < 0.31:  # a quarter of its orders come back; a few get price protection
        return [(pillow[0], r < 0.25)]
    if rng.random() < 0.045:
        n = 2 if len(o.lines) > 1 and rng.random() < 0.4 else 1
        return [(x, rng.random() < 0.35) for x in rng.sample(o.lines, n)]
    return []


def make_refunds(rng: random.Random, orders: list[Order]) -> list[Refund]:
    """After-sale refunds of orders settled in October, completed in October."""
    refunds = []
    for o in orders:
        if not o.confirmed or o.confirmed > datetime(2026, 10, 27):
            continue
        picks = refund_picks(rng, o)
        applied = o.confirmed + timedelta(minutes=rng.randint(120, 4000))
        done = applied + timedelta(minutes=rng.randint(1200, 5000))
        done = min(done, datetime(2026, 10, 31, 21, rng.randint(0, 59), rng.randint(0, 59)))
        for x, full in picks:
            reason = rng.choice(FULL_REASONS if full else PART_REASONS)
            if full and x.sku.code == PILLOW:
                reason = ("尺寸/规格与描述不符", rng.choice(PILLOW_NOTES))
            share = q(x.paid * Decimal(rng.choice(["0.10", "0.15", "0.20"])))
            amount = x.paid if full else min(share, Decimal(rng.choice([5, 10, 15])))
            x.refund += amount
            back = "YT75" + digits(rng, 11) if full else ""
            rid = "2" + digits(rng, 17)
            refunds.append(Refund(o, x, rid, amount, full, applied, done, reason, back))
    return refunds


def late_orders(rng: random.Random, listings: dict[str, list[Sku]]) -> list[Order]:
    """Two August orders confirmed in October, present in no order export."""
    late = []
    for key, created, confirmed in [
        ("BLK-FLN", datetime(2026, 8, 24, 21, 3, 17), datetime(2026, 10, 6, 8, 15, 27)),
        ("BOX-DRW", datetime(2026, 8, 29, 10, 41, 52), datetime(2026, 10, 19, 13, 2, 40)),
    ]:
        oid, sku = "40" + digits(rng, 17), listings[key][0]
        o = Order(oid, created, [Line(oid, sku, 1, sku.price - 10)], "tb" + digits(rng, 10))
        o.status, o.paid, o.confirmed = SUCCESS, created, confirmed
        o.trade_no = f"{created:%Y%m%d}22001{digits(rng, 15)}"
        late.append(o)
    return late


# ---------------------------------------------------------------- the Alipay ledger
def order_entries(rng: random.Random, o: Order, all_fees: bool) -> list[Entry]:
    """The goods payment of a confirmed order and the fees Tmall takes from it."""
    total, t = o.total, o.confirmed
    out = [Entry(t, "sales", total, rng.choice(["", "交易付款"]), o)]

    def fee(bucket: str, memo: str, amount: Decimal) -> None:
        at = t + timedelta(seconds=len(out))
        out.append(Entry(at, bucket, -max(amount, CENT), f"{memo}[{o.id}]", o))

    commission = sum((x.paid * x.sku.rate for x in o.lines), ZERO)
    fee("commission", "基础软件服务费（天猫佣金）扣款", q(commission))
    if not all_fees:
        return out
    r = rng.random()
    if r < 0.30:
        fee("huabei", "花呗支付服务费", q(total * Decimal("0.008")))
    elif r < 0.45:
        fee("credit_card", "信用卡支付服务费", q(total * Decimal("0.006")))
    if rng.random() < 0.15:
        rate = Decimal(rng.choice(["0.05", "0.08", "0.10", "0.15", "0.20"]))
        fee("affiliate", "淘宝客佣金代扣款", q(total * rate))
    if rng.random() < 0.25:
        premium = rng.choice(["0.30", "0.45", "0.60", "0.80", "0.90", "1.10", "1.20", "1.50"])
        fee("insurance", "运费险保费", Decimal(premium))
    return out


def refund_entries(refunds: list[Refund]) -> list[Entry]:
    """One 交易退款 per order: the sum of that order's refund rows."""
    by_order: dict[str, list[Refund]] = defaultdict(list)
    for r in refunds:
        by_order[r.order.id].append(r)
    entries = []
    for first, *rest in by_order.values():
        amount = -first.amount - sum(r.amount for r in rest)
        title = first.line.sku.title
        entries.append(Entry(first.done, "refund", amount, "", first.order, title, first.id))
    return entries


def other_entries(rng: random.Random, orders: list[Order], refunded: set[str]) -> list[Entry]:
    """The 品牌新享 fee (affiliate), 8 好评返现 cashbacks and the two ad-account top-ups."""
    kept = [o for o in orders if o.confirmed and o.id not in refunded]
    o = rng.choice(kept)
    memo = f"品牌新享-首单拉新服务费扣款[{o.id}]"
    out = [Entry(o.confirmed + timedelta(seconds=9), "unknown", -q(o.total / 20), memo, o)]
    for o in rng.sample([o for o in kept if o.confirmed < datetime(2026, 10, 28)], 8):
        at = o.confirmed + timedelta(days=rng.randint(1, 3), seconds=rng.randint(0, 20000))
        amount = -Decimal(rng.choice([2, 3, 5, 5, 6, 8, 10]))
        out.append(Entry(at, "cashback", amount, f"好评返现[{o.id}]", o))
    out.append(Entry(datetime(2026, 10, 8, 10, 15, 33), "topup", Decimal(-5000), "万相台充值"))
    out.append(Entry(datetime(2026, 10, 18, 16, 40, 12), "topup", Decimal(-8000), "直通车充值"))
    return out


def withdrawal(entries: list[Entry], opening: Decimal) -> Entry:
    """Withdraw all but about 5,000 yuan, in thousands, near month end."""
    at = datetime(2026, 10, 30, 17, 5, 12)
    balance = opening + sum(e.amount for e in entries if e.at < at)
    return Entry(at, "withdrawal", -Decimal(int((balance - 5000) / 1000) * 1000), "提现到银行卡")


def ledger_row(e: Entry, n: int, balance: Decimal, negative: bool) -> list:
    """The 16 cells of a ledger row (ids TAB-suffixed, as in the real export)."""
    kind, desc, party, prefix = BUCKETS[e.bucket]
    o, day = e.order, f"{e.at:%Y%m%d}"
    by_order = kind in ("交易付款", "交易退款")
    serial = o.trade_no if by_order else f"{day}3000{n:016d}"
    merchant = f"T200P{o.id}" if by_order else f"{prefix}{day}{n:010d}" if prefix else ""
    goods = e.goods or (o.lines[0].sku.title if kind == "交易付款" else "")
    goods = goods or (e.memo.split("[")[0] if kind in ("转账", "提现") else "")
    party = party or masked(o.buyer)
    base = o.id if o and kind != "转账" else ""
    biz = e.biz_no or (o.trade_no if kind == "交易付款" else f"FEE{day}{n:08d}" if base else "")
    out = e.amount if negative else -e.amount
    return [
        *map(tab, [f"{day}20004001110056{n:010d}", serial, merchant, goods]), ts(e.at),
        tab(party), max(e.amount, ZERO), out if e.amount < 0 else ZERO, balance, "支付宝", kind,
        e.memo, desc, "天猫" if base else "支付宝", tab(base), tab(biz),
    ]  # fmt: skip


def write_ledger(
    path: Path, entries: list[Entry], opening: Decimal, *, wide: bool = True, negative: bool = True
) -> None:
    """支付宝账务明细: preamble, header, rows newest first, footer with the totals."""
    balance, rows = opening, []
    for n, e in enumerate(sorted(entries, key=lambda e: e.at), start=38620417):
        balance += e.amount
        assert balance >= 0, f"balance below zero at {e.at}"
        rows.append(ledger_row(e, n, balance, negative)[: 16 if wide else 12])
    income = [e.amount for e in entries if e.amount > 0]
    outflow = [e.amount if negative else -e.amount for e in entries if e.amount < 0]
    line = "-" * 40
    pre = [
        "#支付宝账务明细查询",
        f"#账号：[{ACCOUNT}]",
        "#起始日期：[2026年10月01日 00:00:00]   终止日期：[2026年11月01日 00:00:00]",
        f"#-{line}账务明细列表{line}",
    ]
    post = [
        f"#{line}账务明细列表结束{line[3:]}",
        f"#支出合计：{len(outflow)}笔，共{sum(outflow, ZERO):.2f}元",
        f"#收入合计：{len(income)}笔，共{sum(income, ZERO):.2f}元",
        "#导出时间：[2026年11月02日 09:13:27]",
    ]
    write_csv(path, LEDGER_HEAD[: 16 if wide else 12], rows[::-1], pre=pre, post=post)


# ---------------------------------------------------------------- the other files
def order_rows(orders: list[Order], ids=tab) -> list[list]:
    """千牛 sub-order sheet rows, newest order first; ``ids`` dresses the id cells."""
    rows = []
    for o in sorted(orders, key=lambda o: o.created, reverse=True):
        for x in o.lines:
            state, amount = ("退款成功", x.refund) if x.refund else ("没有申请退款", "无退款申请")
            rows.append([
                ids(x.sub_id), ids(o.id), x.sku.title, x.sku.price, x.qty, "", x.sku.attrs, "",
                "", o.status, x.sku.code, ids(o.trade_no) if o.trade_no else "",
                x.sku.price * x.qty, x.paid, state, amount, ts(o.created), ts(o.paid),
                ts(o.shipped), x.sku.listing, "", o.waybill, o.carrier,
            ])  # fmt: skip
    return rows


def refund_rows(refunds: list[Refund]) -> list[list]:
    rows = []
    for r in sorted(refunds, key=lambda r: r.done, reverse=True):
        o, x, back = r.order, r.line, r.back_waybill
        goods = (
            ("买家已退货", "系统退款", "是") if r.returned else ("买家已收到货", "手工退款", "否")
        )
        rows.append([
            tab(o.id), tab(r.id), tab(o.trade_no), ts(o.paid), x.sku.listing, x.sku.code,
            ts(r.done), o.buyer, x.paid, x.sku.title, r.amount, goods[1], goods[2],
            ts(r.applied), ts(r.applied + timedelta(days=10)), "退款成功", goods[0],
            f"圆通速递,{back}" if back else "", f"{o.carrier},{o.waybill}", "未介入", *SELLER,
            back, "圆通速递" if back else "", *r.reason,
            ts(r.applied + timedelta(hours=5)) if back else "", "买家" if back else "卖家",
            "售后", "", ts(r.done), "全部退款" if r.returned else "部分退款",
        ])  # fmt: skip
    return rows


def ad_rows(day: str, plan: tuple, item: tuple, spend: Decimal, views: int, clicks: int, deals):
    """Three rows (1/7/15-day attribution) of one day, plan and item, the same spend each."""
    _, scene_id, scene, plan_id, plan_name, *_ = plan
    rate, cpc = f"{Decimal(clicks * 100) / views:.2f}%", q(spend / clicks)
    cpm = q(spend * 1000 / views)
    return [
        [day, scene_id, scene, *SCENE2[scene_id], plan_id, plan_name, item[0], "商品", item[1],
         window, f"{views:,}", clicks, f"{spend:,.2f}", rate, cpc, cpm,
         f"{gmv:,.2f}" if gmv else "-", n or "NULL", units or "NULL"]
        for window, (gmv, n, units) in zip(["1天转化", "7天转化", "15天转化"], deals, strict=True)
    ]  # fmt: skip


def make_ads(rng: random.Random, listings: dict[str, list[Sku]]) -> tuple[list, dict]:
    rows, spent = [], defaultdict(lambda: ZERO)
    for day in range(1, 32):
        for plan in AD_PLANS:
            key, lo, hi = plan[0], plan[5], plan[6]
            if day == 24 and plan[3] == "30219012":
                lo, hi = 100000, 120000  # 双11 pre-sale kick-off
            sku = listings[key][0] if key in listings else None
            spend = Decimal(rng.randint(lo, hi)) / 100
            clicks = max(1, int(spend * 100 / rng.randint(80, 260)))
            views = clicks * rng.randint(25, 60)
            n = sum(rng.random() < 0.03 for _ in range(clicks)) if sku else 0
            deals = []
            for extra in (0, rng.randint(0, 2), rng.randint(0, 3)):
                n += extra if sku else 0
                deals.append((sku.price * n if sku else None, n, n + (n > 2)))
            item = (sku.listing, sku.title) if sku else AROMA
            rows += ad_rows(f"2026-10-{day:02d}", plan, item, spend, views, clicks, deals)
            spent[key] += spend
    return rows, dict(spent)


def cost_rows(listings: dict[str, list[Sku]]) -> list[list]:
    skus = {s.code: s for group in listings.values() for s in group}
    rows = [[s.code, s.cost, "2026-01-01", "CNY", s.grams] for s in skus.values()]
    changes = [[c, Decimal(v), "2026-10-16", "CNY", skus[c].grams] for c, v in COST_CHANGES.items()]
    return [r for r in rows if r[0] != NO_COST] + changes


# ---------------------------------------------------------------- facts for the README
def sums(entries: list[Entry]) -> dict[str, tuple[int, Decimal]]:
    out: dict[str, tuple[int, Decimal]] = defaultdict(lambda: (0, ZERO))
    for e in entries:
        n, total = out[e.bucket]
        out[e.bucket] = (n + 1, total + e.amount)
    return out


def sample_facts(orders, refunds, late, entries, opening, spent, ad_rows_count) -> list[tuple]:
    by = sums(entries)

    def money(bucket: str) -> str:
        n, total = by[bucket]
        return f"{n} row{'s' * (n != 1)}, {total:.2f}"

    lines, settled = [x for o in orders for x in o.lines], [o for o in orders if o.confirmed]
    units: dict[str, int] = defaultdict(int)
    for x in (x for o in settled for x in o.lines):
        units[x.sku.code] += x.qty
    top = max(units, key=units.get)
    pillow = [o for o in settled if any(x.sku.code == PILLOW for x in o.lines)]
    back = {r.order.id for r in refunds if r.returned and r.line.sku.code == PILLOW}
    status: dict[str, int] = defaultdict(int)
    for o in orders:
        status[o.status] += 1
    both = [o for o in orders if datetime(2026, 10, 10) <= o.created < datetime(2026, 10, 16)]
    inflow = [e.amount for e in entries if e.amount > 0]
    outflow = [e.amount for e in entries if e.amount < 0]
    late_ids = {o.id for o in late}
    late_fee = sum(
        -e.amount for e in entries if e.bucket == "commission" and e.order.id in late_ids
    )
    ads = sum(spent.values(), ZERO)
    return [
        ("orders in the two order exports (distinct 主订单编号)", len(orders)),
        ("order lines (distinct 子订单编号)", len(lines)),
        ("orders with 2–4 lines", sum(len(o.lines) > 1 for o in orders)),
        ("orders in both exports (created 2026-10-10..10-15)", len(both)),
        ("listings (商品ID) in the order exports", len({x.sku.listing for x in lines})),
        ("SKUs (商家编码) in the order exports", len({x.sku.code for x in lines})),
        ("orders by 订单状态", " · ".join(f"{k} {v}" for k, v in sorted(status.items()))),
        ("goods payments 交易付款 (sales)", money("sales")),
        (
            "… of which 2 August orders in no export (unallocated)",
            f"{sum((o.total for o in late), ZERO):.2f} ({', '.join(sorted(late_ids))})",
        ),
        ("refunds 交易退款 (one row per order)", money("refund")),
        (
            "refund export rows: full with return / partial without",
            f"{sum(r.returned for r in refunds)} / {sum(not r.returned for r in refunds)}",
        ),
        ("天猫佣金 (commission)", f"{money('commission')}, of which {late_fee:.2f} unallocated"),
        ("花呗支付服务费 (payment_fee)", money("huabei")),
        ("信用卡支付服务费 (payment_fee)", money("credit_card")),
        ("淘宝客佣金代扣款 (affiliate)", money("affiliate")),
        ("运费险保费 (return_cost)", money("insurance")),
        ("品牌新享-首单拉新服务费 (affiliate)", money("unknown")),
        ("好评返现 (promotion)", money("cashback")),
        ("万相台充值 + 直通车充值 (transfer)", money("topup")),
        ("提现 (transfer)", money("withdrawal")),
        ("ledger rows", len(entries)),
        ("ledger income (收入合计)", f"{len(inflow)} rows, {sum(inflow, ZERO):.2f}"),
        ("ledger outflow (支出合计)", f"{len(outflow)} rows, {sum(outflow, ZERO):.2f}"),
        ("opening / closing 账户余额", f"{opening:.2f} / {opening + by_total(entries):.2f}"),
        ("万相台 rows (3 转化周期 per day, plan and listing)", ad_rows_count),
        ("ad spend counted once (advertising)", f"{ads:.2f}"),
        ("ad spend if the 转化周期 repeats were summed (wrong)", f"{3 * ads:.2f}"),
        ("ad spend on the pillow listing 745812306691", f"{spent['PIL-MEM']:.2f}"),
        (f"ad spend on listing {AROMA[0]}, in no order export", f"{spent['ARO-DIF']:.2f}"),
        ("best seller by units on October-settled orders", f"{top}: {units[top]} units"),
        (f"{PILLOW} settled orders / fully returned", f"{len(pillow)} / {len(back)}"),
        ("sold SKU without a cost row", NO_COST),
        ("cost changes from 2026-10-16", ", ".join(f"{k} → {v}" for k, v in COST_CHANGES.items())),
    ]


def by_total(entries: list[Entry]) -> Decimal:
    return sum((e.amount for e in entries), ZERO)


FACTS_HEADING = "## Known facts"


def write_facts(readme: Path, facts: list[tuple]) -> None:
    """Replace the facts table at the end of the hand-written README (or start one)."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Sample statements\n\n"
    head = text.split(FACTS_HEADING)[0].rstrip() + "\n\n"
    table = "\n".join(f"| {k} | {v} |" for k, v in facts)
    title = " (computed by scripts/make_samples.py; CNY as posted, outflow negative)"
    body = f"{FACTS_HEADING}{title}\n\n| fact | value |\n|---|---|\n{table}\n"
    readme.write_text(head + body, encoding="utf-8")


# ---------------------------------------------------------------- fixtures (hand-checkable)
# fmt: off
# key, order id, buyer, status, Alipay trade no, waybill; created, paid, shipped, confirmed
FIX_ORDERS = [
    ("A", "4012889100134567281", "tb5520137788", SUCCESS, "2026092822001156780500112233",
     "YT7512345678901",
     "2026-09-28 20:41:09|2026-09-28 20:41:37|2026-09-29 16:02:11|2026-10-03 14:22:05"),
    ("B", "4012889100298765431", "tb7301946612", SUCCESS, "2026100122001156780500223344",
     "773112345678901",
     "2026-10-01 09:12:44|2026-10-01 09:13:02|2026-10-01 18:30:00|2026-10-05 11:02:37"),
    ("E", "4012889100377712346", "tb9182736450", SUCCESS, "2026100222001156780500334455",
     "773112345678902",
     "2026-10-02 21:05:55|2026-10-02 21:06:10|2026-10-03 15:20:00|2026-10-08 09:40:12"),
    ("C", "4012889100455512347", "tb3344556677", SHIPPED, "2026102922001156780500445566",
     "SF1234567890123",
     "2026-10-29 10:20:31|2026-10-29 10:20:49|2026-10-30 17:45:02|"),
    ("D", "4012889100533312348", "tb1122334455", PAID, "2026103122001156780500556677",
     "",
     "2026-10-31 22:10:08|2026-10-31 22:10:30||"),
    ("F", "4012889100611112349", "tb6677889900", CLOSED, "", "", "2026-10-30 08:00:17|||"),
    # an August order confirmed in October, in no order export
    ("L", "4003961840027735192", "tb2468013579", SUCCESS, "2026082722001156780500667788",
     "YT7511122233344",
     "2026-08-27 19:30:00|2026-08-27 19:31:12|2026-08-28 10:00:00|2026-10-06 08:15:27"),
]
FIX_LINES = [  # order, sub-order id, SKU, quantity, 买家实付金额
    ("A", "4012889100134567282", "YQ-CUP350-WH", 2, "73.00"),
    ("A", "4012889100134567283", "YQ-TWL-BATH-GR", 1, "75.00"),
    ("B", "4012889100298765431", PILLOW, 1, "119.00"),
    ("E", "4012889100377712346", PILLOW, 1, "119.00"),
    ("C", "4012889100455512347", "YQ-LMP-DSK-WH", 1, "119.00"),
    ("D", "4012889100533312348", "YQ-PIL-CSN-GR", 2, "70.00"),
    ("F", "4012889100611112349", "YQ-LMP-NGT-WH", 1, "0.00"),
    ("L", "4003961840027735192", "YQ-BOX-CLR-CL", 1, "45.00"),
]
# order, line, refund id, amount, goods returned, applied, completed, reason, note, return waybill
FIX_REFUNDS = [
    ("A", 0, "214587700012345601", "73.00", True, "2026-10-08 10:02:16", "2026-10-12 15:30:41",
     "七天无理由退换货", "不喜欢/不想要", "YT7598765432101"),
    ("A", 1, "214587700012345602", "10.00", False, "2026-10-08 10:02:16", "2026-10-12 15:30:41",
     "商品破损", "浴巾脱线，协商补偿不退货", ""),
    ("B", 0, "214587700012345603", "8.00", False, "2026-10-14 20:11:03", "2026-10-15 10:05:19",
     "价保补差", "双11价格保护，补差价", ""),
    ("E", 0, "214587700012345604", "119.00", True, "2026-10-11 19:45:50", "2026-10-20 16:12:09",
     "尺寸/规格与描述不符", "枕头太高，睡不习惯", "YT7598765432102"),
]
# time, bucket, amount, 备注 ({} is the order id), order; the 交易退款 rows come from FIX_REFUNDS
FIX_LEDGER_16 = [
    ("2026-10-03 14:22:05", "sales", "148.00", "交易付款", "A"),
    ("2026-10-03 14:22:06", "commission", "-5.19", "基础软件服务费（天猫佣金）扣款[{}]", "A"),
    ("2026-10-03 14:22:07", "huabei", "-1.18", "花呗支付服务费[{}]", "A"),
    ("2026-10-03 14:22:08", "insurance", "-0.90", "运费险保费[{}]", "A"),
    ("2026-10-05 11:02:37", "sales", "119.00", "", "B"),
    ("2026-10-05 11:02:38", "commission", "-5.95", "基础软件服务费（天猫佣金）扣款[{}]", "B"),
    ("2026-10-05 11:02:39", "credit_card", "-0.71", "信用卡支付服务费[{}]", "B"),
    ("2026-10-05 11:02:40", "affiliate", "-11.90", "淘宝客佣金代扣款[{}]", "B"),
    ("2026-10-05 11:02:41", "unknown", "-3.57", "品牌新享-首单拉新服务费扣款[{}]", "B"),
    ("2026-10-06 08:15:27", "sales", "45.00", "", "L"),
    ("2026-10-07 20:11:45", "cashback", "-5.00", "好评返现[{}]", "B"),
    ("2026-10-10 10:00:03", "topup", "-500.00", "直通车充值", ""),
    ("2026-10-30 17:05:12", "withdrawal", "-300.00", "提现到银行卡", ""),
]
FIX_LEDGER_12 = [
    ("2026-10-08 09:40:12", "sales", "119.00", "", "E"),
    ("2026-10-08 09:40:13", "commission", "-5.95", "基础软件服务费（天猫佣金）扣款[{}]", "E"),
    ("2026-10-08 09:40:14", "huabei", "-0.95", "花呗支付服务费[{}]", "E"),
    ("2026-10-08 09:40:15", "affiliate", "-17.85", "淘宝客佣金代扣款[{}]", "E"),
    ("2026-10-08 09:40:16", "insurance", "-0.60", "运费险保费[{}]", "E"),
    ("2026-10-21 09:00:00", "topup", "-1000.00", "万相台充值", ""),
]
FIX_ADS = [  # day, plan (AD_PLANS index), 花费, 展现量, 点击量, (总成交金额:笔数:件数) × 3
    ("2026-10-01", 0, "123.45", 4200, 98, "129.00:1:1 258.00:2:2 387.00:3:3"),
    ("2026-10-01", 2, "20.00", 860, 17, "0:0:0 0:0:0 0:0:0"),
    ("2026-10-02", 0, "1234.56", 38950, 702, "1161.00:9:10 1419.00:11:12 1548.00:12:13"),
    ("2026-10-02", 2, "15.50", 640, 11, "0:0:0 39.00:1:1 78.00:2:2"),
]
FIX_COSTS = [
    ("YQ-CUP350-WH", "13.80", "2026-01-01", 420), ("YQ-CUP350-WH", "12.90", "2026-10-16", 420),
    ("YQ-TWL-BATH-GR", "31.00", "2026-01-01", 650), (PILLOW, "38.00", "2026-01-01", 1300),
    ("YQ-LMP-DSK-WH", "46.00", "2026-01-01", 1100),
]
# fmt: on


def carrier_of(waybill: str) -> str:
    prefix = {"YT": "YT", "77": "ZT", "SF": "SF"}.get(waybill[:2])
    return CARRIERS[prefix] if prefix else ""


def fixture_orders(skus: dict[str, Sku]) -> dict[str, Order]:
    orders = {}
    for key, oid, buyer, status, trade_no, waybill, times in FIX_ORDERS:
        created, paid, shipped, confirmed = (
            datetime.fromisoformat(t) if t else None for t in times.split("|")
        )
        orders[key] = Order(oid, created, [], buyer, status, paid, shipped, confirmed, trade_no,
                            waybill, carrier_of(waybill))  # fmt: skip
    for key, sub_id, code, qty, paid in FIX_LINES:
        orders[key].lines.append(Line(sub_id, skus[code], qty, Decimal(paid)))
    return orders


def fixture_refunds(orders: dict[str, Order]) -> list[Refund]:
    refunds = []
    for key, i, rid, amount, back, applied, done, reason, note, waybill in FIX_REFUNDS:
        o, when = orders[key], datetime.fromisoformat
        o.lines[i].refund += Decimal(amount)
        refunds.append(Refund(o, o.lines[i], rid, Decimal(amount), back, when(applied), when(done),
                              (reason, note), waybill))  # fmt: skip
    return refunds


def fixture_entries(table: list[tuple], orders: dict[str, Order]) -> list[Entry]:
    entries = []
    for at, bucket, amount, memo, key in table:
        o = orders.get(key)
        e = Entry(datetime.fromisoformat(at), bucket, Decimal(amount), memo.format(o and o.id), o)
        assert bucket != "sales" or e.amount == o.total, f"payment of {key} differs from its lines"
        entries.append(e)
    return entries


def old_pair_rows(orders: list[Order]) -> tuple[list[list], list[list]]:
    """The old back office's 订单报表 (one row per order) and 宝贝报表 (one row per line)."""
    report, details = [], []
    for o in orders:
        gross = sum((x.sku.price * x.qty for x in o.lines), ZERO)
        refund = sum((x.refund for x in o.lines), ZERO)
        phone = "138****" + o.buyer[-4:]
        # fmt: off
        v = {"订单编号": formula(o.id), "买家会员名": o.buyer, "买家支付宝账号": phone,
             "买家应付货款": gross, "买家应付邮费": ZERO, "买家支付积分": 0, "总金额": o.total,
             "返点积分": 0, "买家实际支付金额": o.total, "买家实际支付积分": 0,
             "订单状态": o.status, "收货人姓名": "王**", "运送方式": "快递",
             "收货地址": "浙江省 杭州市 西湖区 文三路***号", "联系手机": phone,
             "订单创建时间": ts(o.created), "订单付款时间": ts(o.paid),
             "宝贝标题": "，".join(x.sku.title for x in o.lines), "宝贝种类": len(o.lines),
             "物流单号": o.waybill, "物流公司": o.carrier,
             "宝贝总数量": sum(x.qty for x in o.lines), "店铺Id": "106228573", "店铺名称": SHOP,
             "卖家服务费": ZERO, "买家服务费": ZERO,
             "是否手机订单": "手机订单", "是否上传合同照片": "否", "是否上传小票": "否",
             "是否代付": "否", "天猫卡券抵扣": ZERO, "集分宝抵扣": ZERO, "是否是O2O交易": "否",
             "退款金额": refund, "确认收货时间": ts(o.confirmed), "主订单编号": formula(o.id),
             "打款商家金额": o.total if o.confirmed else ""}
        # fmt: on
        report.append([v.get(h.strip(), "") for h in ORDER_LIST_HEAD])
        for x in o.lines:
            s = x.sku
            details.append([o.id, s.title, s.price, x.qty, "", s.attrs, "", "", o.status, s.code])
    return report, details


def write_xlsx(path: Path, header: list[str], rows: list[list]) -> None:
    """The sub-order sheet as 千牛 saves it: ids and times as text, amounts as numbers.

    The zip is rewritten with fixed timestamps so that the file is byte-for-byte reproducible.
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "订单数据"
    for row in [header, *rows]:
        ws.append(row)
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.number_format = "0.00" if isinstance(c.value, Decimal) else "@"
    wb.properties.creator, wb.properties.created = "千牛", datetime(2026, 11, 1, 9, 30)
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-01T09:30:00Z</dcterms:modified>'
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", stamp.encode(), data
                )
            out.writestr(zipfile.ZipInfo(name, (2026, 11, 1, 9, 30, 0)), data)


def fixture_ads(skus: dict[str, Sku]) -> list[list]:
    rows = []
    for day, plan, spend, views, clicks, deals in FIX_ADS:
        sku = skus[PILLOW if plan == 0 else "YQ-CUP350-WH"]
        parsed = [
            (Decimal(g) or None, int(n), int(u))
            for g, n, u in (d.split(":") for d in deals.split())
        ]
        rows += ad_rows(
            day, AD_PLANS[plan], (sku.listing, sku.title), Decimal(spend), views, clicks, parsed
        )
    return rows


def write_fixtures(listings: dict[str, list[Sku]]) -> None:
    skus = {s.code: s for group in listings.values() for s in group}
    orders = fixture_orders(skus)
    refunds = fixture_refunds(orders)
    on_16 = [r for r in refunds if r.order.id != orders["E"].id]
    wide = fixture_entries(FIX_LEDGER_16, orders) + refund_entries(on_16)
    narrow = fixture_entries(FIX_LEDGER_12, orders) + refund_entries([refunds[-1]])
    folder = FIXTURES / "alipay-ledger"
    write_ledger(folder / "ledger-16col.csv", wide, Decimal("1000.00"))
    write_ledger(
        folder / "ledger-12col.csv", narrow, Decimal("2000.00"), wide=False, negative=False
    )
    if REAL_SAMPLE.exists():  # the real 2012 excerpt, back in the GBK it was downloaded in
        text = REAL_SAMPLE.read_text(encoding="utf-8")
        (folder / "real-sample-2012.csv").write_bytes(text.encode("gbk"))
    exported = [orders[k] for k in "ABECDF"]
    folder = FIXTURES / "taobao-orders"
    write_csv(folder / "suborders.csv", ORDER_HEAD, order_rows(exported, formula))
    write_xlsx(folder / "suborders.xlsx", ORDER_HEAD, order_rows(exported, str))
    report, details = old_pair_rows([orders[k] for k in "ABC"])
    write_csv(FIXTURES / "taobao-order-report/ExportOrderList.csv", ORDER_LIST_HEAD, report)
    write_csv(FIXTURES / "taobao-order-details/ExportOrderDetailList.csv", DETAIL_HEAD, details)
    write_csv(FIXTURES / "taobao-refunds/refunds.csv", REFUND_HEAD, refund_rows(refunds))
    ads = fixture_ads(skus)
    write_csv(FIXTURES / "wanxiangtai-report/report.csv", AD_HEAD, ads, enc="utf-8-sig")
    costs = [[code, Decimal(cost), day, "CNY", grams] for code, cost, day, grams in FIX_COSTS]
    write_csv(FIXTURES / "sku-costs/costs.csv", COST_HEAD, costs)
    # the optional 税率 column (VAT per SKU): as people write it, and one written as "13"
    vat = ["13%", "9 %", "0.06", "", "13％"]
    taxed = [[*row, rate] for row, rate in zip(costs, vat, strict=True)]
    write_csv(FIXTURES / "sku-costs/costs-vat.csv", [*COST_HEAD, "税率"], taxed)
    bad = [[*row, rate] for row, rate in zip(costs[:3], ["13%", "13", "0.13"], strict=True)]
    write_csv(FIXTURES / "sku-costs/bad-vat-rate.csv", [*COST_HEAD, "税率"], bad)


# ---------------------------------------------------------------- main
def write_samples(listings: dict[str, list[Sku]]) -> list[tuple]:
    rng, opening = random.Random(SEED), Decimal("12386.54")
    orders = make_orders(rng, listings)
    refunds, late = make_refunds(rng, orders), late_orders(rng, listings)
    entries = [e for o in orders if o.confirmed for e in order_entries(rng, o, True)]
    entries += [e for o in late for e in order_entries(rng, o, False)]
    entries += refund_entries(refunds)
    entries += other_entries(rng, orders, {r.order.id for r in refunds})
    entries.append(withdrawal(entries, opening))
    write_ledger(SAMPLES / f"{ACCOUNT}_20261001_20261031_账务明细.csv", entries, opening)
    first = [o for o in orders if o.created < datetime(2026, 10, 16)]
    second = [o for o in orders if o.created >= datetime(2026, 10, 10)]
    write_csv(
        SAMPLES / "ExportOrderList_sub_20261101093512.csv", ORDER_HEAD, order_rows(first, formula)
    )
    write_csv(SAMPLES / "ExportOrderList_sub_20261101094027.csv", ORDER_HEAD, order_rows(second))
    write_csv(SAMPLES / "退款管理_20261101.csv", REFUND_HEAD, refund_rows(refunds))
    ads, spent = make_ads(rng, listings)
    write_csv(SAMPLES / "万相台_商品报表_202610.csv", AD_HEAD, ads, enc="utf-8-sig")
    write_csv(SAMPLES / "商品成本.csv", COST_HEAD, cost_rows(listings))
    sold = {x.sku.code for o in orders if o.confirmed for x in o.lines}
    assert NO_COST in sold, "the SKU without a cost must sell"
    return sample_facts(orders, refunds, late, entries, opening, spent, len(ads))


def main() -> None:
    listings = catalog()
    facts = write_samples(listings)
    write_facts(SAMPLES / "README.md", facts)
    write_fixtures(listings)
    for k, v in facts:
        print(f"{k}: {v}")


if __name__ == "__main__":
    main()
