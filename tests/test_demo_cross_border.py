"""``finance demo`` with the cross-border samples: every platform and both currencies in one
report in CNY, checked against the facts each sample script computed on its own
(``sample_statements/<platform>/README.md``, amounts converted row by row with the sample rates).
"""

from __future__ import annotations

import re
from decimal import Decimal

import polars as pl
import pytest

from finance import pipeline
from finance.margin import MonthResult
from finance.workspace import Workspace

from .conftest import SAMPLES


def _facts(folder: str) -> dict[str, str]:
    text = (SAMPLES / folder / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (.+?) \| (.+?) \|$", text, flags=re.M)
    return {k.strip(): v.strip() for k, v in rows}


def _cny(folder: str, fact: str) -> int:
    """Cents of the CNY amount of a fact like '26 rows, 1198.67 USD, 8541.28 CNY'."""
    amount = re.findall(r"(-?\d+\.\d{2}) CNY", _facts(folder)[fact])[0]
    return int(Decimal(amount) * 100)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, list, MonthResult]:
    mp = pytest.MonkeyPatch()
    mp.delenv("FINANCE_DATABASE_URL", raising=False)
    ws, outcomes, _paths = pipeline.demo(tmp_path_factory.mktemp("demo") / "ws")
    store = pipeline.open_store(ws)
    result = pipeline.month_result(ws, store, "2026-10")
    store.close()
    mp.undo()
    return ws, outcomes, result


def _pnl(result: MonthResult, platform: str) -> pl.DataFrame:
    return result.pnl.filter(pl.col("platform") == platform)


def test_every_platform_is_imported_and_reported_in_one_base_currency(demo) -> None:  # type: ignore[no-untyped-def]
    ws, outcomes, result = demo
    assert {o.status for o in outcomes} == {"imported"}, [o.message for o in outcomes]
    assert set(result.pnl["platform"]) == {
        "tmall",
        "amazon",
        "shopify",
        "wechat",
        "jd",
        "pdd",
        "douyin",
    }
    assert set(result.entries["currency"]) == {"CNY"}
    assert set(result.entries["original_currency"]) == {"CNY", "USD"}
    html = (ws.reports("2026-10") / "report.html").read_text(encoding="utf-8")
    assert "YunqiHome Amazon US" in html and "云栖家居微信小店" in html


@pytest.mark.parametrize(
    ("folder", "platform", "column", "fact", "sign"),
    [
        ("amazon", "amazon", "sales", "sales (ItemPrice Principal)", 1),
        ("amazon", "amazon", "refund", "refund (Refund Principal)", -1),
        ("amazon", "amazon", "commission", "commission (Commission, RefundCommission)", -1),
        ("amazon", "amazon", "logistics", "logistics (FBAPerUnitFulfillmentFee)", -1),
        ("amazon", "amazon", "other_fee", "other_fee (Storage Fee, Subscription Fee)", -1),
        ("amazon", "amazon", "advertising", "advertising (Sponsored Products spend)", -1),
        ("shopify", "shopify", "sales", "sales (charge)", 1),
        ("shopify", "shopify", "refund", "refund (refund)", -1),
        ("shopify", "shopify", "payment_fee", "payment_fee (Fee)", -1),
    ],
)
def test_usd_platforms_match_their_facts_in_cny(demo, folder, platform, column, fact, sign) -> None:  # type: ignore[no-untyped-def]
    _, _, result = demo
    assert _pnl(result, platform)[column].sum() == sign * _cny(folder, fact)


def test_amazon_deposit_is_an_excluded_transfer(demo) -> None:  # type: ignore[no-untyped-def]
    _, _, result = demo
    amazon = result.excluded.filter(pl.col("platform") == "amazon")
    transfer = amazon.filter(pl.col("category") == "transfer")["amount"].sum()
    assert transfer == _cny("amazon", "transfer (the settlement's deposit, excluded)")
    assert amazon.filter(pl.col("category") == "tax")["amount"].sum() == 0


def test_shopify_units_sold_follow_the_order_export(demo) -> None:  # type: ignore[no-untyped-def]
    _, _, result = demo
    units = dict(
        _pnl(result, "shopify")
        .filter(pl.col("sku").is_not_null())
        .select("sku", "units_sold")
        .rows()
    )
    expected = dict(
        (sku, int(n))
        for sku, n in (
            part.split()
            for part in _facts("shopify")["units sold by SKU (paid orders)"].split(" · ")
        )
    )
    assert {k: v for k, v in units.items() if v} == expected


def test_wechat_money_is_visible_in_cny(demo) -> None:  # type: ignore[no-untyped-def]
    _, _, result = demo
    wechat = _pnl(result, "wechat")
    facts = _facts("wechat")
    amount = lambda fact: int(Decimal(re.findall(r"-?\d+\.\d{2}", facts[fact])[-1]) * 100)  # noqa: E731
    assert wechat["sales"].sum() == amount("sales (应结订单金额)")
    assert wechat["refund"].sum() == -amount("refund (退款金额)")
    assert wechat["payment_fee"].sum() == -amount("payment_fee (手续费, per row to the fen)")
    # No order export for the mini-program shop: unallocated, with the reason, never dropped.
    assert wechat["sku"].null_count() == wechat.height


def test_the_outlet_shop_is_told_by_its_folder(demo) -> None:  # type: ignore[no-untyped-def]
    _, _, result = demo
    facts = _facts("tmall-outlet")
    outlet = result.pnl.filter(pl.col("shop") == pipeline.DEMO_SHOP_FOLDERS["tmall-outlet"])
    assert set(outlet["platform"]) == {"tmall"}

    def cents(fact: str) -> int:
        return int(Decimal(re.findall(r"-?\d+\.\d{2}", facts[fact])[0]) * 100)

    assert outlet["sales"].sum() == cents("sales (交易付款)")
    assert outlet["commission"].sum() == -cents("commission (天猫佣金)")
    assert outlet["payment_fee"].sum() == -cents("payment_fee (花呗支付服务费)")
    units = dict(outlet.filter(pl.col("units_sold") > 0).select("sku", "units_sold").rows())
    expected = {
        sku: int(n)
        for sku, n in (
            part.split()
            for part in facts["units sold by SKU (October-settled orders)"].split(" · ")
        )
    }
    assert units == expected
    transfer = result.excluded.filter(pl.col("shop") == pipeline.DEMO_SHOP_FOLDERS["tmall-outlet"])
    assert transfer["amount"].sum() == cents("transfer (提现)")


def test_explain_shows_each_converted_entry_as_posted(demo) -> None:  # type: ignore[no-untyped-def]
    from finance.explain import explain

    _, _, result = demo
    detail = explain(result, "YQ-PIL-MEM-GR", shop="YunqiHome Amazon US")
    ads = detail.filter(pl.col("file").str.starts_with("Sponsored_Products"))
    assert ads.height and ads["as_posted"].str.contains(r"^USD -?\d+\.\d{2}$").all()
    tmall = explain(result, "YQ-PIL-MEM-GR", shop=pipeline.DEMO_SHOP)
    assert tmall["as_posted"].null_count() == tmall.height


def test_amazon_units_come_from_the_settlement(demo) -> None:  # type: ignore[no-untyped-def]
    _, _, result = demo
    amazon = _pnl(result, "amazon").filter(pl.col("sku").is_not_null())
    expected = {
        sku: int(n)
        for sku, n in (
            part.split()
            for part in _facts("amazon")["units sold by SKU (settled order items)"].split(" · ")
        )
    }
    assert dict(amazon.select("sku", "units_sold").rows()) == expected
    assert (amazon["cogs"] > 0).all()  # costed with the unit-cost table
