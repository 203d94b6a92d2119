#!/usr/bin/env python3
"""Time the pipeline on a big seller's month, in the real file shapes.

Generates (deterministically, with polars) a GBK Alipay ledger, a 千牛 sub-order export, a refund
list and a 万相台 report for ``--orders`` orders, then times each stage: ingest of each file,
allocation + margin for the month, the CSV export and the two reports. Prints a Markdown table;
``docs/benchmark.md`` records results with the machine they ran on.

    python scripts/benchmark.py --orders 100000
"""

from __future__ import annotations

import argparse
import platform
import shutil
import tempfile
import time
from pathlib import Path

import polars as pl

from finance import pipeline
from finance.export import margins_csv
from finance.ingest import ingest_path
from finance.rulebook import load_rules
from finance.workspace import init

PREAMBLE = [
    "#支付宝账务明细查询",
    "#账号：[20880000000000000001]",
    "#起始日期：[2026年10月01日 00:00:00]   终止日期：[2026年11月01日 00:00:00]",
    "#-----------------------------------------账务明细列表----------------------------------------",
]
FOOTER = [
    "#----------------------------------------账务明细列表结束-------------------------------------"
]


def _gbk_csv(path: Path, frame: pl.DataFrame, head: list[str] = (), foot: list[str] = ()) -> None:
    body = frame.write_csv()
    text = "\r\n".join([*head, *body.splitlines(), *foot]) + "\r\n"
    path.write_bytes(text.encode("gb18030"))


def make_month(folder: Path, orders: int, skus: int = 2000, seed: int = 7) -> dict[str, Path]:
    """The month's files; every order settles in October 2026."""
    n_lines = int(orders * 1.3)
    lines = (
        pl.DataFrame({"i": pl.int_range(n_lines, eager=True)})
        .with_columns(
            order=(pl.col("i") * 10 // 13),
            sku=(pl.col("i").hash(seed) % skus),
            qty=(pl.col("i").hash(seed + 1) % 3 + 1),
            cents=(pl.col("i").hash(seed + 2) % 30000 + 990),
        )
        .with_columns(
            listing=(pl.col("sku") // 4 + 600000000000).cast(pl.String),
            sku_code=pl.format("SKU-{}", pl.col("sku")),
            order_id=(pl.col("order") + 4000000000000000000).cast(pl.String),
            ts=pl.datetime(2026, 10, 1)
            + pl.duration(seconds=pl.col("order") * 2_500_000 // orders),
        )
    )
    money = lambda c: pl.format("{}.{}", c // 100, (c % 100).cast(pl.String).str.zfill(2))  # noqa: E731
    sub = lines.select(
        子订单编号=pl.format('="{}"', pl.col("i") + 5000000000000000000),
        主订单编号=pl.format('="{}"', pl.col("order_id")),
        商品标题=pl.format("商品{}", pl.col("sku")),
        商品价格=money(pl.col("cents") // pl.col("qty")),
        购买数量=pl.col("qty"),
        订单状态=pl.lit("交易成功"),
        商家编码=pl.col("sku_code"),
        买家实付金额=money(pl.col("cents")),
        退款状态=pl.lit("没有申请退款"),
        退款金额=pl.lit("无退款申请"),
        订单付款时间=pl.col("ts").dt.strftime("%Y-%m-%d %H:%M:%S"),
        商品ID=pl.col("listing"),
        物流单号=pl.format("YT{}", pl.col("order") + 7500000000000),
    )
    per_order = lines.group_by("order_id").agg(cents=pl.col("cents").sum(), ts=pl.col("ts").first())
    fees = [
        ("交易付款", "", 1, 0),
        ("服务费", "基础软件服务费（天猫佣金）扣款[{}]", -1, 20),
        ("服务费", "花呗支付服务费[{}]", -1, 125),
        ("服务费", "运费险保费[{}]", -1, 150),
    ]
    parts = []
    for k, (kind, memo, sign, divisor) in enumerate(fees):
        frame = (
            per_order
            if divisor <= 20
            else per_order.filter(pl.col("order_id").str.slice(-1).is_in(["1", "4", "7"]))
        )
        amount = pl.col("cents") if divisor == 0 else pl.col("cents") // divisor + 1
        parts.append(
            frame.select(
                k=pl.lit(k),
                order_id="order_id",
                ts="ts",
                业务类型=pl.lit(kind),
                备注=pl.lit("")
                if not memo
                else pl.format(memo.replace("{}", "{}"), pl.col("order_id")),
                income=pl.when(pl.lit(sign) > 0).then(amount).otherwise(0),
                expense=pl.when(pl.lit(sign) < 0).then(amount).otherwise(0),
            )
        )
    ledger = (
        pl.concat(parts)
        .sort("ts", "k")
        .with_row_index("n")
        .select(
            账务流水号=pl.format("2026{}\t", pl.col("n").cast(pl.String).str.zfill(16)),
            业务流水号=pl.format("2027{}\t", pl.col("n").cast(pl.String).str.zfill(16)),
            商户订单号=pl.when(pl.col("k") == 0)
            .then(pl.format("T200P{}\t", pl.col("order_id")))
            .otherwise(pl.lit("\t")),
            商品名称=pl.lit(""),
            发生时间=pl.col("ts").dt.strftime("%Y-%m-%d %H:%M:%S"),
            对方账号=pl.lit(""),
            **{
                "收入金额（+元）": money(pl.col("income")),
                "支出金额（-元）": money(pl.col("expense")),
                "账户余额（元）": pl.lit("0.00"),
            },
            交易渠道=pl.lit("支付宝"),
            业务类型=pl.col("业务类型"),
            备注=pl.col("备注"),
        )
    )
    days = pl.DataFrame(
        {"d": pl.date_range(pl.date(2026, 10, 1), pl.date(2026, 10, 31), eager=True)}
    )
    listings = pl.DataFrame({"listing": lines["listing"].unique().sort().head(300)})
    ads = (
        days.join(listings, how="cross")
        .join(pl.DataFrame({"转化周期": ["1天转化", "7天转化", "15天转化"]}), how="cross")
        .select(
            日期=pl.col("d").cast(pl.String),
            场景ID=pl.lit("101"),
            场景名字=pl.lit("关键词推广"),
            计划ID=pl.lit("P1"),
            计划名字=pl.lit("计划"),
            主体ID=pl.col("listing"),
            转化周期="转化周期",
            花费=money(pl.col("listing").hash(3) % 50000 + 100),
        )
    )
    files = {
        "ledger": folder / "ledger.csv",
        "orders": folder / "orders.csv",
        "ads": folder / "wanxiangtai.csv",
    }
    _gbk_csv(files["ledger"], ledger, PREAMBLE, FOOTER)
    _gbk_csv(files["orders"], sub)
    _gbk_csv(files["ads"], ads)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the workspace here")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="finance-bench-"))
    ws, _ = init(root, shop="压测店")
    t0 = time.perf_counter()
    files = (
        make_month(root / "gen", args.orders) if (root / "gen").mkdir(exist_ok=True) is None else {}
    )
    rows: list[tuple[str, str, float]] = [("generate files", "", time.perf_counter() - t0)]
    store = pipeline.open_store(ws)
    rules = load_rules(ws.rules)
    for name in ("orders", "ledger", "ads"):
        src = files[name]
        size = f"{src.stat().st_size / 1e6:.1f} MB"
        dest = ws.inbox / src.name
        shutil.copyfile(src, dest)
        t = time.perf_counter()
        outcome = ingest_path(dest, ws=ws, store=store, rules=rules)
        assert outcome.status == "imported", outcome.message
        rows.append((f"ingest {src.name} ({outcome.added:,} rows)", size, time.perf_counter() - t))
    t = time.perf_counter()
    result = pipeline.month_result(ws, store, "2026-10")
    rows.append((f"allocate + margin ({result.parts.height:,} parts)", "", time.perf_counter() - t))
    t = time.perf_counter()
    margins_csv(result)
    rows.append((f"export margins ({result.pnl.height:,} rows)", "", time.perf_counter() - t))
    t = time.perf_counter()
    pipeline.write_reports(ws, store, "2026-10")
    rows.append(("report: pnl.xlsx + report.html", "", time.perf_counter() - t))
    store.close()
    print(
        f"orders: {args.orders:,}; python {platform.python_version()}; polars {pl.__version__}; "
        f"{platform.machine()}; database: SQLite\n"
    )
    print("| stage | input | seconds |\n|---|---|---|")
    for stage, size, secs in rows:
        print(f"| {stage} | {size} | {secs:.2f} |")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
