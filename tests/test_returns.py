"""Returns reverse COGS on every platform (issue 16, item 2).

One small month per platform, computed by hand (``fixtures_e2e/returns/README.md``): a
settlement, an order export, the platform's return source and unit costs, whose cost of one SKU
changes between its sale and its return. Each month is exact to the cent per SKU: units that
came back reverse COGS at the cost they left at, unsellable ones become ``return_cost``, and a
refund no return source covers shows the COGS it did not reverse (never a silent zero). Amazon's
month is ``fixtures_e2e/amazon-month`` (settlement, Sponsored Products, FBA customer returns).
"""

from __future__ import annotations

import polars as pl
import pytest

from finance import pipeline
from finance.export import margins_csv
from finance.ingest import ingest
from finance.money import cents_to_text
from finance.store import Store
from finance.workspace import Workspace

from .conftest import ROOT, drop
from .test_counted_once import COSTS, MONTH_DIR, REPORT, SETTLEMENT, amazon_workspace

RETURNS = ROOT / "tests" / "fixtures_e2e" / "returns"
PLATFORMS = ["jd", "pdd", "douyin", "shopify"]
RETURN_FILES = {
    "jd": "售后服务单_202610.csv",
    "pdd": "拼多多售后列表_202610.csv",
    "douyin": "抖店售后单_202610.csv",
    "shopify": "sales_by_variant_2026-10.csv",
}


def _month(ws: Workspace, store: Store, platform: str, *, with_returns: bool = True):  # type: ignore[no-untyped-def]
    ws.settings.setdefault("shops", {})[platform] = "测试店"
    if platform == "shopify":
        ws.settings["base_currency"] = "USD"
    folder = RETURNS / platform
    files = [
        f
        for f in sorted(folder.iterdir())
        if not f.name.startswith("expected") and (with_returns or f.name != RETURN_FILES[platform])
    ]
    drop(ws, *files)
    outcomes = ingest(ws, store)
    assert [o.status for o in outcomes] == ["imported"] * len(files), outcomes
    return pipeline.month_result(ws, store, "2026-10")


def _unreversed_csv(result) -> str:  # type: ignore[no-untyped-def]
    frame = result.unreversed.sort("platform", "shop", "sku", "order_id").select(
        "platform",
        "shop",
        "sku",
        "order_id",
        cents_to_text(pl.col("refund")).alias("refund"),
        cents_to_text(pl.col("cogs_not_reversed")).alias("cogs_not_reversed"),
    )
    return frame.write_csv()


@pytest.mark.parametrize("platform", PLATFORMS)
def test_returns_reverse_cogs_at_the_cost_they_left_at(
    ws: Workspace, store: Store, platform: str
) -> None:
    result = _month(ws, store, platform)
    expected = (RETURNS / platform / "expected-margins.csv").read_text(encoding="utf-8")
    assert margins_csv(result) == expected


@pytest.mark.parametrize("platform", PLATFORMS)
def test_refunds_without_return_information_show_cogs_not_reversed(
    ws: Workspace, store: Store, platform: str
) -> None:
    result = _month(ws, store, platform)
    expected = (RETURNS / platform / "expected-cogs-not-reversed.csv").read_text("utf-8")
    assert _unreversed_csv(result) == expected


@pytest.mark.parametrize("platform", PLATFORMS)
def test_without_a_return_source_every_refund_is_at_stake(
    ws: Workspace, store: Store, platform: str
) -> None:
    """No return source: nothing comes back, and every refunded order shows its COGS at stake."""
    result = _month(ws, store, platform, with_returns=False)
    assert result.pnl["units_returned"].sum() == 0
    refunded = result.entries.filter(pl.col("category") == "refund")["order_id"].n_unique()
    assert result.unreversed["order_id"].n_unique() == refunded
    assert result.unreversed["cogs_not_reversed"].null_count() == 0
    assert (result.unreversed["cogs_not_reversed"] > 0).all()


def test_amazon_month_with_both_ad_sources_and_fba_returns(ws: Workspace, store: Store) -> None:
    """The hidden-month shape: settlement, Sponsored Products and FBA customer returns."""
    ws = amazon_workspace(ws)
    drop(ws, COSTS, SETTLEMENT, REPORT, MONTH_DIR / "fba-customer-returns.txt")
    assert {o.status for o in ingest(ws, store)} == {"imported"}
    result = pipeline.month_result(ws, store, "2026-10")
    expected = (MONTH_DIR / "expected-full-month.csv").read_text(encoding="utf-8")
    assert margins_csv(result) == expected
    assert result.unreversed.height == 0


def test_amazon_refunds_without_fba_returns_show_cogs_not_reversed(
    ws: Workspace, store: Store
) -> None:
    ws = amazon_workspace(ws)
    drop(ws, COSTS, SETTLEMENT, REPORT)
    assert {o.status for o in ingest(ws, store)} == {"imported"}
    result = pipeline.month_result(ws, store, "2026-10")
    assert result.unreversed.select("sku", "order_id", "cogs_not_reversed").sort("sku").rows() == [
        ("SKU-P", "111-0000002-0000002", 1000),
        ("SKU-Q", "111-0000004-0000004", 2000),
    ]


def test_a_return_is_priced_at_the_cost_of_its_sale_not_today(ws: Workspace, store: Store) -> None:
    """SKU-A cost 20.00 when JD order 281000000001 settled (10-06) and 25.00 from 10-10; its
    unit came back on 10-15: COGS gives back 20.00, not 25.00."""
    result = _month(ws, store, "jd")
    back = result.parts.filter(
        (pl.col("sku") == "SKU-A") & (pl.col("basis") == "returned units x unit cost")
    )
    assert back.select("amount", "weight", "weight_total").rows() == [(2000, 1, 200000)]


def test_unsellable_returns_are_written_off_once(ws: Workspace, store: Store) -> None:
    result = _month(ws, store, "douyin")
    a = result.pnl.filter(pl.col("sku") == "SKU-A").row(0, named=True)
    assert (a["cogs"], a["return_cost"], a["units_returned"]) == (0, 2000, 1)


def test_the_report_says_what_was_not_reversed(ws: Workspace, store: Store) -> None:
    from finance.pipeline import collect

    _month(ws, store, "jd", with_returns=False)
    [basis] = [s for s in collect(ws, store, "2026-10") if s.key == "basis"]
    assert basis.heading("zh-CN") == "核算口径" and basis.heading("en") == "Accounting basis"
    # SKU-A: J1 refund 50 of 100 -> 1 of 2 units at 20.00; J3 10 of 50 -> 4.00; SKU-B 10.00
    assert basis.frame.select("sku", "order_id", "cogs_not_reversed").sort("order_id").rows() == [
        ("SKU-A", "281000000001", 2000),
        ("SKU-B", "281000000002", 1000),
        ("SKU-A", "281000000003", 400),
    ]
    en = " ".join(basis.summary["en"])
    assert "COGS not reversed 34.00 CNY" in en and "net of the price discounts" in en
    assert "未冲回的商品成本 34.00 CNY" in " ".join(basis.summary["zh-CN"])
    assert set(basis.rows("zh-CN")["reason"]) == {"有退款，没有退货信息"}


def test_status_names_the_return_source_and_the_amount(ws: Workspace, store: Store) -> None:
    from finance.status import missing

    _month(ws, store, "pdd", with_returns=False)
    texts = missing(ws, store, "en").filter(pl.col("platform") == "pdd")["note"].to_list()
    [line] = [t for t in texts if "COGS not reversed" in t]
    # P1 60.00 of 60.00 -> 20.00, P2 25.00 of 50.00 -> 1 x 10.00, P3 30 of 60 -> 10.00
    assert "3 orders" in line and "40.00 CNY" in line and "pdd-after-sales" in line


def test_explain_shows_the_skus_cogs_not_reversed(ws: Workspace, store: Store) -> None:
    from typer.testing import CliRunner

    from finance.cli import app

    _month(ws, store, "jd")
    result = CliRunner().invoke(
        app, ["explain", "--month", "2026-10", "--sku", "SKU-A", "-w", str(ws.root)]
    )
    assert result.exit_code == 0, result.output
    assert "未冲回的商品成本" in result.output and "4.00" in result.output


def test_sales_of_refunded_orders_are_the_same_inside_a_report_run(
    ws: Workspace, store: Store
) -> None:
    from finance.returns import sales_of_orders

    _month(ws, store, "pdd")
    orders = ["261002-000000000001", "261004-000000000003", "no-such-order"]
    outside = sales_of_orders(store, orders).sort("order_id")
    with store.snapshot():
        assert store.in_snapshot
        inside = sales_of_orders(store, orders).sort("order_id")
    assert outside.rows() == inside.rows()
    assert outside.select("order_id", "amount").rows() == [
        ("261002-000000000001", 6000),
        ("261004-000000000003", 6000),
    ]
