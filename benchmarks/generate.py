#!/usr/bin/env python3
"""Generate a big seller's month in the real statement shapes, for the benchmark.

Five shops on three platforms (two Tmall, one JD, two Pinduoduo), every file in the shape the
rules in ``rules/formats/`` describe: GBK where the platform writes GBK, ``#`` preambles and
footers, TAB-suffixed and ``="…"`` ids. Each shop's files sit in ``inbox/<folder>/`` so
``[[shop_by_path]]`` names the shop; unit costs for every SKU go in ``inbox/商品成本.csv``.

    python benchmarks/generate.py --tier ci|target|stress --out DIR

Deterministic: the same tier always writes the same bytes. Everything is built with polars
expressions (no per-row Python), so the target tier takes seconds, not minutes.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import polars as pl

TIERS: dict[str, dict[str, int]] = {
    "ci": {"orders": 10_000, "skus": 2_000},
    "target": {"orders": 300_000, "skus": 20_000},
    "stress": {"orders": 1_000_000, "skus": 20_000},
}
MONTH = "2026-10"
SHOPS: list[tuple[str, str, str, float]] = [
    # (folder under inbox/, shop name, platform, share of the orders)
    ("tmall-a", "压测天猫旗舰店", "tmall", 0.30),
    ("tmall-b", "压测天猫专营店", "tmall", 0.30),
    ("jd", "压测京东自营店", "jd", 0.20),
    ("pdd-a", "压测拼多多店", "pdd", 0.10),
    ("pdd-b", "压测拼多多二店", "pdd", 0.10),
]
"""The benchmark workspace's shops: ``run.py`` writes one ``[[shop_by_path]]`` per folder."""

ALIPAY_PREAMBLE = [
    "#支付宝账务明细查询",
    "#账号：[2088000000000000{n:04d}]",
    "#起始日期：[2026年10月01日 00:00:00]   终止日期：[2026年11月01日 00:00:00]",
    "#-----------------------------------------账务明细列表----------------------------------------",
]
ALIPAY_FOOTER = [
    "#----------------------------------------账务明细列表结束-------------------------------------",
    "#导出时间：[2026年11月02日 09:13:27]",
]
PDD_PREAMBLE = [
    "拼多多店铺账务明细查询",
    "",
    "起始时间：2026-10-01 00:00:00   终止时间：2026-10-31 23:59:59",
    "----------交易记录明细列表---------",
]
PDD_FOOTER = ["#导出时间：2026-11-01 09:12:45"]


def money(cents: pl.Expr) -> pl.Expr:
    """Integer cents as ``12.34`` (negative amounts keep their sign)."""
    a = cents.abs()
    sign = pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.format("{}{}.{}", sign, a // 100, (a % 100).cast(pl.String).str.zfill(2))


LAYOUT: dict[Path, dict] = {}
"""Each written file's encoding and preamble/footer line counts (for the floor measurement)."""


def write_csv(
    path: Path,
    frame: pl.DataFrame,
    *,
    encoding: str = "gb18030",
    head: list[str] | tuple[str, ...] = (),
    foot: list[str] | tuple[str, ...] = (),
) -> int:
    """Write ``frame`` as the platform does (CRLF; GBK by default), return its data rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = frame.write_csv(line_terminator="\r\n")
    text = "".join(line + "\r\n" for line in head) + body + "".join(f + "\r\n" for f in foot)
    path.write_bytes(text.encode(encoding))
    LAYOUT[path] = {"encoding": encoding, "skip": len(head), "foot": len(foot)}
    return frame.height


def price(sku: pl.Expr) -> pl.Expr:
    """A SKU's list price in cents (the same in every shop; its unit cost is 40% of it)."""
    return (sku.hash(99) % 30000 + 990).cast(pl.Int64)


def order_lines(orders: int, skus: int, seed: int) -> pl.DataFrame:
    """1.3 lines per order on average; every order is paid in October 2026."""
    n = int(orders * 1.3)
    return (
        pl.DataFrame({"i": pl.int_range(n, eager=True, dtype=pl.Int64)})
        .with_columns(
            order=(pl.col("i") * 10 // 13),
            sku=(pl.col("i").hash(seed) % skus).cast(pl.Int64),
            qty=(pl.col("i").hash(seed + 1) % 3 + 1).cast(pl.Int64),
        )
        .with_columns(price=price(pl.col("sku")))
        .with_columns(cents=pl.col("price") * pl.col("qty"))
        .with_columns(
            sku_code=pl.format("SKU-{}", pl.col("sku").cast(pl.String).str.zfill(5)),
            ts=pl.datetime(2026, 10, 1)
            + pl.duration(seconds=pl.col("order") * 2_600_000 // orders),
        )
    )


def per_order(lines: pl.DataFrame) -> pl.DataFrame:
    return lines.group_by("order", maintain_order=True).agg(
        cents=pl.col("cents").sum(), ts=pl.col("ts").first(), lines=pl.len()
    )


def _fee_rows(
    orders: pl.DataFrame, fees: list[tuple[str, str, int, int, str | None]]
) -> pl.DataFrame:
    """One row per (order, fee) where the fee applies: (kind, memo, sign, per-mille, digits)."""
    parts = []
    for k, (kind, memo, sign, permille, digits) in enumerate(fees):
        frame = (
            orders
            if digits is None
            else orders.filter((pl.col("order") % 10).cast(pl.String).is_in(list(digits)))
        )
        amount = pl.col("cents") if permille == 0 else (pl.col("cents") * permille + 500) // 1000
        parts.append(
            frame.select(
                "order",
                "ts",
                "oid",
                k=pl.lit(k),
                kind=pl.lit(kind),
                memo=pl.lit(memo),
                cents=amount * sign,
            )
        )
    return pl.concat(parts).sort("ts", "order", "k")


def tmall_shop(folder: Path, n: int, orders: int, skus: int, seed: int) -> dict[str, int]:
    lines = order_lines(orders, skus, seed).with_columns(
        oid=(pl.col("order") + 4_000_000_000_000_000_000 + n * 10**15).cast(pl.String),
        listing=(pl.col("sku") // 4 + 600_000_000_000 + n * 1_000_000).cast(pl.String),
        waybill=pl.format("7731{}", (pl.col("order") + n * 10**9).cast(pl.String).str.zfill(11)),
    )
    rows: dict[str, int] = {}
    sub = lines.select(
        子订单编号=pl.format('="{}"', pl.col("i") + 5_000_000_000_000_000_000 + n * 10**15),
        主订单编号=pl.format('="{}"', pl.col("oid")),
        商品标题=pl.format("商品{}", pl.col("sku")),
        商品价格=money(pl.col("price")),
        购买数量=pl.col("qty"),
        订单状态=pl.lit("交易成功"),
        商家编码=pl.col("sku_code"),
        买家实付金额=money(pl.col("cents")),
        退款状态=pl.lit("没有申请退款"),
        退款金额=pl.lit("无退款申请"),
        订单创建时间=pl.col("ts").dt.strftime("%Y-%m-%d %H:%M:%S"),
        订单付款时间=(pl.col("ts") + pl.duration(seconds=20)).dt.strftime("%Y-%m-%d %H:%M:%S"),
        商品ID=pl.col("listing"),
        物流单号=pl.col("waybill"),
        物流公司=pl.lit("中通快递"),
    )
    rows["orders"] = write_csv(folder / "ExportOrderList_sub_20261101093512.csv", sub)
    heads = per_order(lines).join(
        lines.group_by("order").agg(pl.col("oid").first(), pl.col("waybill").first()), on="order"
    )
    fees = [
        ("交易付款", "", 1, 0, None),
        ("服务费", "基础软件服务费（天猫佣金）扣款[{}]", -1, 30, None),
        ("服务费", "花呗支付服务费[{}]", -1, 8, "02468"),
        ("服务费", "运费险保费[{}]", -1, 6, "147"),
        ("服务费", "淘宝客佣金代扣款[{}]", -1, 60, "3579"),
        ("服务费", "信用卡支付服务费[{}]", -1, 6, "159"),
        ("服务费", "好评返现[{}]", -1, 20, "05"),
    ]
    fee = _fee_rows(heads, fees).with_row_index("r")
    ledger = fee.select(
        账务流水号=pl.format("2026{}{}\t", n, pl.col("r").cast(pl.String).str.zfill(16)),
        业务流水号=pl.format("2027{}{}\t", n, pl.col("r").cast(pl.String).str.zfill(16)),
        商户订单号=pl.when(pl.col("k") == 0)
        .then(pl.format("T200P{}\t", pl.col("oid")))
        .otherwise(pl.lit("\t")),
        商品名称=pl.lit("\t"),
        发生时间=pl.col("ts").dt.strftime("%Y-%m-%d %H:%M:%S"),
        对方账号=pl.lit("天猫 (tmallfee@service.taobao.com)\t"),
        **{
            "收入金额（+元）": money(pl.col("cents").clip(lower_bound=0)),
            "支出金额（-元）": money(pl.col("cents").clip(upper_bound=0)),
            # the running balance, row after row in file order, from an opening 100,000.00
            "账户余额（元）": money(pl.col("cents").cum_sum() + 10_000_000),
        },
        交易渠道=pl.lit("支付宝"),
        业务类型=pl.col("kind"),
        备注=pl.col("memo").str.replace("{}", pl.col("oid"), literal=True),
    )
    head = [line.format(n=n) for line in ALIPAY_PREAMBLE]
    name = f"2088000000000000{n:04d}_20261001_20261031_账务明细.csv"
    rows["ledger"] = write_csv(folder / name, ledger, head=head, foot=ALIPAY_FOOTER)
    days = pl.DataFrame(
        {"d": pl.date_range(pl.date(2026, 10, 1), pl.date(2026, 10, 31), eager=True)}
    )
    n_ads = min(300, max(20, orders // 300))
    listings = pl.DataFrame({"listing": lines["listing"].unique().sort().head(n_ads)})
    ads = (
        days.join(listings, how="cross")
        .join(pl.DataFrame({"转化周期": ["1天转化", "7天转化", "15天转化"]}), how="cross")
        .select(
            日期=pl.col("d").cast(pl.String),
            场景ID=pl.lit("101"),
            场景名字=pl.lit("关键词推广"),
            计划ID=pl.format("P{}", pl.col("listing").str.slice(-2)),
            计划名字=pl.format("计划{}", pl.col("listing").str.slice(-2)),
            主体ID=pl.col("listing"),
            转化周期="转化周期",
            花费=money((pl.col("listing").hash(3) % 50000 + 100).cast(pl.Int64)),
        )
    )
    rows["ads"] = write_csv(folder / "万相台_商品报表_202610.csv", ads)
    courier = heads.sort("ts").select(
        寄件日期=pl.col("ts").dt.strftime("%Y/%m/%d"),
        运单号=pl.col("waybill"),
        寄件客户=pl.lit("压测仓"),
        省=pl.lit(["浙江省", "广东省", "四川省", "山东省"]).list.get(pl.col("order") % 4),
        结算重量=pl.format("{}.50", pl.col("order") % 5 + 1),
        # the 中通快递 rate card (rules/contracts.toml): first kg, then each started kg
        运费=money(
            pl.lit([320, 420, 520, 420]).list.get(pl.col("order") % 4)
            + (pl.col("order") % 5 + 1) * pl.lit([100, 200, 300, 200]).list.get(pl.col("order") % 4)
        ),
    )
    rows["courier"] = write_csv(
        folder / "中通_对账单_202610.csv",
        courier,
        head=["中通快递 杭州余杭网点 客户对账单 2026年10月"],
    )
    return rows


def jd_shop(folder: Path, n: int, orders: int, skus: int, seed: int) -> dict[str, int]:
    lines = order_lines(orders, skus, seed).with_columns(
        oid=(pl.col("order") + 281_000_000_000 + n * 10**9).cast(pl.String),
        listing=(pl.col("sku") + 100_088_000_000).cast(pl.String),
    )
    # one line per (order, listing): jd-orders keys on 订单号 + 商品ID
    lines = lines.unique(["oid", "listing"], keep="first", maintain_order=True)
    ts = pl.col("ts").dt.strftime("%Y-%m-%d %H:%M:%S")
    export = lines.select(
        订单号=pl.col("oid"),
        商品ID=pl.col("listing"),
        商品名称=pl.format("京东商品{}", pl.col("sku")),
        订购数量=pl.col("qty"),
        支付方式=pl.lit("在线支付"),
        下单时间=ts,
        京东价=money(pl.col("price")),
        订单金额=money(pl.col("cents")),
        订单状态=pl.lit("完成"),
        下单帐号=pl.format("jd_{}", pl.col("order")),
        付款确认时间=(pl.col("ts") + pl.duration(seconds=20)).dt.strftime("%Y-%m-%d %H:%M:%S"),
        货号=pl.col("sku_code"),
        商家SKUID=pl.col("sku_code"),
    )
    rows = {"orders": write_csv(folder / "京东订单导出_20261101.csv", export)}
    parts = []
    for k, (item, kind, sign, permille, digits) in enumerate(
        [
            ("货款", "订单", 1, 0, None),
            ("佣金", "订单", -1, 80, None),
            ("京豆", "订单", -1, 10, "0246"),
            ("京东物流配送费", "订单", -1, 40, "13579"),
        ]
    ):
        frame = (
            lines
            if digits is None
            else lines.filter((pl.col("i") % 10).cast(pl.String).is_in(list(digits)))
        )
        parts.append(
            frame.select(
                "i",
                "oid",
                "listing",
                "qty",
                "ts",
                k=pl.lit(k),
                item=pl.lit(item),
                kind=pl.lit(kind),
                cents=(pl.col("cents") if permille == 0 else pl.col("cents") * permille // 1000 + 1)
                * sign,
            )
        )
    settle = pl.concat(parts).sort("ts", "i", "k").with_row_index("r")
    when = (pl.col("ts") + pl.duration(days=7)).dt.strftime("%Y-%m-%d %H:%M:%S")
    body = settle.select(
        订单编号=pl.col("oid"),
        单据编号=pl.format('="9{}"', (pl.col("r") + n * 10**8).cast(pl.String).str.zfill(10)),
        单据类型=pl.col("kind"),
        商品编号=pl.col("listing"),
        商品名称=pl.lit("京东商品"),
        结算状态=pl.lit("已结算"),
        费用发生时间=pl.col("ts").dt.strftime("%Y-%m-%d %H:%M:%S"),
        费用结算时间=when,
        费用项=pl.col("item"),
        金额=money(pl.col("cents")),
        币种=pl.lit("CNY"),
        商家应收应付=pl.when(pl.col("cents") >= 0).then(pl.lit("应收")).otherwise(pl.lit("应付")),
        店铺号=pl.lit(str(10_012_345 + n)),
        商品数量=pl.col("qty"),
    ).rename({"商家应收应付": "商家应收/应付"})
    # settled a week after the order: keep October's settlements in October's file
    body = body.filter(pl.col("费用结算时间") < "2026-11-01")
    amount = body.columns.index("金额")  # the totals row states what the fees add up to
    cells = ["合计", *[""] * (body.width - 1)]
    cells[amount] = pl.select(
        money(pl.lit(int(settle.filter(when < "2026-11-01")["cents"].sum())))
    ).item()
    total = ",".join(cells)
    rows["ledger"] = write_csv(folder / "京东结算单明细_202610.csv", body, foot=[total])
    listings = lines["listing"].unique().sort().head(min(200, max(20, orders // 300)))
    days = pl.DataFrame(
        {"d": pl.date_range(pl.date(2026, 10, 1), pl.date(2026, 10, 31), eager=True)}
    )
    ads = days.join(pl.DataFrame({"listing": listings}), how="cross").select(
        日期=pl.col("d").cast(pl.String),
        计划名称=pl.format("快车-{}", pl.col("listing").str.slice(-3)),
        商品SKU=pl.col("listing"),
        展现数=pl.lit("9,848"),
        点击数=pl.lit("281"),
        总费用=money((pl.col("listing").hash(5) % 8000 + 100).cast(pl.Int64)),
        总订单金额=pl.lit("183.40"),
    )
    rows["ads"] = write_csv(folder / "京准通_推广报表_202610.csv", ads, encoding="utf-8")
    return rows


def pdd_shop(folder: Path, n: int, orders: int, skus: int, seed: int) -> dict[str, int]:
    # Pinduoduo orders carry one SKU each (the order export is one row per order)
    lines = (
        order_lines(orders, skus, seed)
        .unique("order", keep="first", maintain_order=True)
        .with_columns(
            oid=pl.format(
                "{}-{}",
                pl.col("ts").dt.strftime("%y%m%d"),
                (pl.col("order") + 100_000_000_000_000 + n * 10**13).cast(pl.String),
            ),
            listing=(pl.col("sku") // 4 + 412_000_000_000 + n * 1_000_000).cast(pl.String),
            waybill=pl.format(
                "7732{}", (pl.col("order") + n * 10**9).cast(pl.String).str.zfill(11)
            ),
        )
    )
    ts = pl.col("ts").dt.strftime("%Y-%m-%d %H:%M:%S")
    export = lines.select(
        商品=pl.format("拼多多商品{}", pl.col("sku")),
        订单号=pl.format("{}\t", pl.col("oid")),
        订单状态=pl.lit("已收货"),
        **{
            "商品总价(元)": money(pl.col("cents")),
            "邮费(元)": pl.lit("0.00"),
            "用户实付金额(元)": money(pl.col("cents")),
            "商家实收金额(元)": money(pl.col("cents")),
            "商品数量(件)": pl.col("qty"),
        },
        发货时间=(pl.col("ts") + pl.duration(hours=20)).dt.strftime("%Y-%m-%d %H:%M:%S"),
        商品id=pl.format("{}\t", pl.col("listing")),
        商品规格=pl.lit("默认"),
        **{"商家编码-规格维度": pl.format("{}\t", pl.col("sku_code"))},
        售后状态=pl.lit("无售后或售后取消"),
        快递单号=pl.col("waybill"),
        快递公司=pl.lit("中通快递"),
        订单成交时间=ts,
    )
    rows = {"orders": write_csv(folder / "拼多多订单导出_20261101.csv", export, encoding="utf-8")}
    fees = [
        ("交易收入", "订单收入", 1, 0, None, "0010002|交易收入-订单收入"),
        ("技术服务费", "技术服务费", -1, 6, None, "0020001|技术服务费-技术服务费"),
        ("多多进宝佣金", "多多进宝推广佣金", -1, 100, "37", "0020003|多多进宝佣金-推广佣金"),
    ]
    parts = []
    for k, (kind, memo, sign, permille, digits, desc) in enumerate(fees):
        frame = (
            lines
            if digits is None
            else lines.filter((pl.col("order") % 10).cast(pl.String).is_in(list(digits)))
        )
        parts.append(
            frame.select(
                "order",
                "oid",
                k=pl.lit(k),
                kind=pl.lit(kind),
                memo=pl.lit(memo),
                desc=pl.lit(desc),
                ts=pl.col("ts") + pl.duration(hours=30, seconds=k),
                cents=(pl.col("cents") if permille == 0 else pl.col("cents") * permille // 1000 + 1)
                * sign,
            )
        )
    fee = pl.concat(parts).sort("ts", "order", "k").filter(pl.col("ts") < pl.datetime(2026, 11, 1))
    ledger = fee.select(
        商户订单号=pl.format("{}\t", pl.col("oid")),
        发生时间=pl.col("ts").dt.strftime("%Y-%m-%d %H:%M:%S"),
        **{
            "收入金额（+元）": money(pl.col("cents").clip(lower_bound=0)),
            "支出金额（-元）": money(pl.col("cents").clip(upper_bound=0)),
        },
        账务类型=pl.col("kind"),
        备注=pl.col("memo"),
        业务描述=pl.col("desc"),
    )
    rows["ledger"] = write_csv(
        folder / "拼多多账务明细_202610.csv", ledger, head=PDD_PREAMBLE, foot=PDD_FOOTER
    )
    listings = lines["listing"].unique().sort().head(min(100, max(20, orders // 300)))
    days = pl.DataFrame(
        {"d": pl.date_range(pl.date(2026, 10, 1), pl.date(2026, 10, 31), eager=True)}
    )
    ads = days.join(pl.DataFrame({"listing": listings}), how="cross").select(
        日期=pl.col("d").cast(pl.String),
        推广计划=pl.format("全站推广-{}", pl.col("listing").str.slice(-3)),
        商品ID=pl.col("listing"),
        曝光量=pl.lit("6,733"),
        点击量=pl.lit("168"),
        **{
            "花费(元)": money((pl.col("listing").hash(7) % 3000 + 100).cast(pl.Int64)),
            "交易额(元)": pl.lit("35.04"),
        },
    )
    rows["ads"] = write_csv(folder / "多多推广_商品报表_202610.csv", ads, encoding="utf-8")
    return rows


def unit_costs(path: Path, skus: int) -> int:
    frame = pl.DataFrame({"s": pl.int_range(skus, eager=True, dtype=pl.Int64)}).select(
        商家编码=pl.format("SKU-{}", pl.col("s").cast(pl.String).str.zfill(5)),
        成本价=money(price(pl.col("s")) * 4 // 10),
        生效日期=pl.lit("2026-01-01"),
        币种=pl.lit("CNY"),
        **{"重量(g)": (pl.col("s") % 2000 + 100)},
    )
    return write_csv(path, frame)


MAKERS = {"tmall": tmall_shop, "jd": jd_shop, "pdd": pdd_shop}


def generate(out: Path, tier: str) -> dict:
    """Write the tier's statements under ``out/inbox/``; returns and saves ``out/manifest.json``
    (rows per file, orders, SKUs). Skips the work when the manifest is already there."""
    manifest_path = out / "manifest.json"
    if manifest_path.is_file():
        return json.loads(manifest_path.read_text(encoding="utf-8"))
    spec = TIERS[tier]
    inbox = out / "inbox"
    files: dict[str, int] = {}
    for n, (folder, _shop, platform, share) in enumerate(SHOPS, start=1):
        made = MAKERS[platform](inbox / folder, n, int(spec["orders"] * share), spec["skus"], n)
        files.update({f"{folder}/{kind}": rows for kind, rows in made.items()})
    files["costs"] = unit_costs(inbox / "商品成本.csv", spec["skus"])
    manifest = {
        "tier": tier,
        "month": MONTH,
        "orders": spec["orders"],
        "skus": spec["skus"],
        "shops": [{"folder": f, "shop": s, "platform": p} for f, s, p, _ in SHOPS],
        "rows": files,
        "layout": {p.relative_to(out).as_posix(): v for p, v in LAYOUT.items()},
        "total_rows": sum(files.values()),
        "bytes": sum(p.stat().st_size for p in inbox.rglob("*") if p.is_file()),
    }
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", choices=sorted(TIERS), default="ci")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    t = time.perf_counter()
    manifest = generate(args.out, args.tier)
    print(
        f"{args.tier}: {manifest['orders']:,} orders, {manifest['total_rows']:,} rows, "
        f"{manifest['bytes'] / 1e6:.0f} MB in {time.perf_counter() - t:.1f} s -> {args.out}"
    )


if __name__ == "__main__":
    main()
