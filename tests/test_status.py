"""``finance status`` tells the truth per platform: each platform's own ad report (or none),
settled orders placed by the statement's SKUs or on a platform with no order export said as
such, and money naming its currency. What a platform sends is data (format rules, contracts),
so a workspace that adds a rule or changes a contract changes what status asks for."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from finance import status as st
from finance.cli import app
from finance.ingest import ingest
from finance.reconcile.contracts import Contracts, PlatformRules, load_contracts
from finance.resources import shipped
from finance.rulebook import load_rules
from finance.schema import STORED

from .conftest import FIXTURES, drop

RULES = load_rules(shipped("rules") / "formats")
CONTRACTS = load_contracts(shipped("rules") / "contracts.toml")
PLATFORMS = st.platforms_of(RULES, CONTRACTS)
runner = CliRunner()


class FakeStore:
    """What ``gaps`` reads of a store: ledger, order lines, returns, rates and files."""

    def __init__(self, ledger: list[dict], lines: list[dict] = (), returns: list[dict] = ()):  # type: ignore[assignment]
        self.tables = {
            "ledger": _frame("ledger", ledger),
            "order_lines": _frame("order_lines", list(lines)),
            "returns": _frame("returns", list(returns)),
            "fx_rates": pl.DataFrame(
                schema={"date": pl.Date, "currency": pl.String, "rate": pl.Int64}
            ),
        }

    def frame(self, kind: str) -> pl.DataFrame:
        return self.tables[kind]

    def files(self) -> pl.DataFrame:
        formats = sorted({r.name for r in RULES})
        return pl.DataFrame({"id": list(range(1, len(formats) + 1)), "format": formats})


def _frame(kind: str, rows: list[dict]) -> pl.DataFrame:
    schema = {"file_id": pl.Int64, **STORED[kind]}
    return pl.DataFrame(rows, schema=schema)


def _file(fmt: str) -> int:
    return sorted({r.name for r in RULES}).index(fmt) + 1


def _row(fmt: str, platform: str, category: str, amount: int, **extra: object) -> dict:
    return {
        "file_id": _file(fmt),
        "platform": platform,
        "shop": f"{platform}店",
        "posted_at": datetime(2026, 10, 5, 12),
        "month": "2026-10",
        "category": category,
        "amount": amount,
        "currency": "CNY",
        **extra,
    }


def _notes(store: FakeStore, lang: str = "en", **kwargs: object) -> dict[str, list[str]]:
    frame = st.gaps(store, lang, platforms=kwargs.pop("platforms", PLATFORMS), **kwargs)  # type: ignore[arg-type]
    out: dict[str, list[str]] = {}
    for platform, note in frame.select("platform", "note").iter_rows():
        out.setdefault(platform, []).append(note)
    return out


@pytest.mark.parametrize(
    ("platform", "statement", "report", "named"),
    [
        ("tmall", "alipay-ledger", "wanxiangtai-report", "wanxiangtai-report 万相台 商品报表"),
        ("jd", "jd-settlement", "jd-ads", "jd-ads 京准通 推广报表"),
        ("pdd", "pdd-ledger", "pdd-ads", "pdd-ads 多多推广 报表"),
        ("douyin", "douyin-settlement", "qianchuan", "qianchuan 巨量千川 广告账单"),
        (
            "amazon",
            "amazon-settlement-v2",
            "amazon-sp-advertised-product",
            "amazon-sp-advertised-product Amazon Sponsored Products advertised-product report",
        ),
    ],
)
def test_each_platform_is_asked_for_its_own_ad_report(
    platform: str, statement: str, report: str, named: str
) -> None:
    without = FakeStore([_row(statement, platform, "commission", -500)])
    assert _notes(without)[platform] == [f"no ad report imported ({named})"]
    assert "万相台" not in " ".join(_notes(without)[platform]) or platform == "tmall"
    zh = _notes(without, "zh-CN")[platform]
    assert zh == [f"没有导入广告报表（{named}）"]
    with_report = FakeStore(
        [
            _row(statement, platform, "commission", -500),
            _row(report, platform, "advertising", -900, listing_id="L1"),
        ]
    )
    assert platform not in _notes(with_report)


@pytest.mark.parametrize("platform", ["shopify", "wechat"])
def test_a_platform_with_no_ad_report_format_is_asked_for_none(platform: str) -> None:
    fmt = {"shopify": "shopify-payment-transactions", "wechat": "wechatpay-tradebill"}[platform]
    assert platform not in _notes(FakeStore([_row(fmt, platform, "payment_fee", -100)]))


def test_an_amazon_settlement_that_names_its_skus_is_not_asked_for_an_order_export() -> None:
    store = FakeStore(
        [
            _row(
                "amazon-settlement-v2",
                "amazon",
                "sales",
                1899,
                order_id="114-1",
                sku="NX-1",
                quantity=1,
                currency="CAD",
            ),
            _row("amazon-sp-advertised-product", "amazon", "advertising", -100, sku="NX-1"),
        ]
    )
    notes = _notes(store, base_currency="CAD")["amazon"]
    assert notes == [
        "1 settled orders (18.99 CAD) in no order export reach their SKUs through the "
        "statement's own SKU column (no order export needed)"
    ]
    assert "export an earlier window" not in notes[0]


def test_a_platform_that_sends_no_order_export_says_where_its_money_stays() -> None:
    store = FakeStore(
        [_row("wechatpay-tradebill", "wechat", "sales", 12900, order_id=f"YQ{i}") for i in range(3)]
    )
    assert _notes(store)["wechat"] == [
        "3 settled orders (387.00 CNY): WeChat shop sends no order export, so nothing links "
        "them to SKUs; their money stays in the shop's unallocated line"
    ]
    assert "微信小店没有订单导出" in _notes(store, "zh-CN")["wechat"][0]


def test_settled_orders_in_no_export_are_still_asked_for_where_an_export_exists() -> None:
    store = FakeStore(
        [
            _row("alipay-ledger", "tmall", "sales", 10400, order_id="A1"),
            _row("alipay-ledger", "tmall", "sales", 10400, order_id="A2"),
            _row("alipay-ledger", "tmall", "sales", 5000, order_id="A3"),
            _row("wanxiangtai-report", "tmall", "advertising", -100, listing_id="L"),
        ],
        lines=[{"platform": "tmall", "order_id": "A3", "shop": "tmall店"}],
    )
    assert _notes(store)["tmall"] == [
        "2 settled orders (208.00 CNY) are in no order export (export an earlier window)"
    ]


def test_money_names_the_currency_it_is_in_never_yuan() -> None:
    store = FakeStore(
        [
            _row("jd-settlement", "jd", "sales", 700, order_id="J1", currency="USD"),
            _row("jd-settlement", "jd", "sales", 300, order_id="J2", currency="CAD"),
            _row("jd-ads", "jd", "advertising", -1, sku="S"),
        ]
    )
    for lang in ("en", "zh-CN"):
        [note] = _notes(store, lang, base_currency="CAD")["jd"]
        assert "3.00 CAD + 7.00 USD" in note  # no USD rate stored: each as posted, named
        assert "元" not in note


def test_what_a_platform_sends_is_data_not_code() -> None:
    """A contract that says JD sends no order export, and a workspace rule for Shopify ads,
    change what status says, with no change to the code."""
    from dataclasses import replace

    shopify_ads = replace(
        next(r for r in RULES if r.name == "jd-ads"),
        name="shopify-ads",
        platform="shopify",
        description="Shopify Marketing report (ad spend)",
    )
    contracts = Contracts(platforms={"jd": PlatformRules(order_export=False)})
    platforms = st.platforms_of([*RULES, shopify_ads], contracts)
    store = FakeStore(
        [
            _row("jd-settlement", "jd", "sales", 1000, order_id="J1"),
            _row("jd-ads", "jd", "advertising", -1, sku="S"),
            _row("shopify-payment-transactions", "shopify", "sales", 100, order_id="1001"),
        ],
        lines=[{"platform": "shopify", "order_id": "1001", "shop": "shopify店"}],
    )
    notes = _notes(store, platforms=platforms)
    assert notes["jd"] == [
        "1 settled orders (10.00 CNY): JD sends no order export, so nothing links them to "
        "SKUs; their money stays in the shop's unallocated line"
    ]
    assert notes["shopify"] == ["no ad report imported (shopify-ads Shopify Marketing report)"]


def test_status_in_a_cad_workspace(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A real Amazon.ca settlement (V1, CAD, names its SKUs) and a JD settlement: no 万相台,
    no "export an earlier window", the CAD figure named."""
    toml = ws.root / "finance.toml"
    text = toml.read_text(encoding="utf-8").replace(
        'base_currency = "CNY"', 'base_currency = "CAD"'
    )
    text = text.replace("[shops]\n", '[shops]\namazon = "Amazon.ca"\njd = "京东店"\n', 1)
    toml.write_text(text, encoding="utf-8")
    drop(ws, FIXTURES / "amazon-settlement-v1" / "amazon-settlement-flat-v1-b.txt")
    drop(ws, FIXTURES / "jd-settlement" / "settlement.xlsx")
    from finance.pipeline import open_store
    from finance.workspace import open_workspace

    ws = open_workspace(ws.root)
    store = open_store(ws)
    try:
        outcomes = ingest(ws, store)
    finally:
        store.close()
    assert {o.status for o in outcomes} == {"imported"}, [o.message for o in outcomes]
    result = runner.invoke(app, ["status", "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    out = "".join(line.strip(" │┆") for line in result.output.splitlines())
    assert "万相台" not in out
    assert "1 笔已结算订单（41.99 CAD）不在订单导出中，由结算单自带的 SKU" in out
    assert out.count("请补导出更早时间段的订单") == 1  # JD's two orders, not Amazon's
    assert "jd-ads 京准通 推广报表" in out
    assert "amazon-sp-advertised-product Amazon Sponsored Products" in out
    assert " 元" not in out
