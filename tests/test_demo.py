"""``finance demo`` on sample_statements/: the whole month, checked against the facts the sample
generator computed on its own (``sample_statements/README.md``), and the seed article's case."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import polars as pl
import pytest

from finance import pipeline
from finance.margin import MonthResult
from finance.workspace import Workspace

from .conftest import SAMPLES


def _facts() -> dict[str, str]:
    text = (SAMPLES / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (.+?) \| (.+?) \|$", text, flags=re.M)
    return {k.strip(): v.strip() for k, v in rows}


def _tmall(frame: pl.DataFrame) -> pl.DataFrame:
    """The Tmall shop's rows: the facts above are the Tmall month's (sample_statements/*.csv)."""
    return frame.filter(pl.col("platform") == "tmall")


def _total(fact: str) -> int:
    """Cents of the amount in a fact like '287 rows, -1453.27'."""
    amount = re.findall(r"-?\d+\.\d{2}", _facts()[fact])[0]
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
    return ws, outcomes, _flagship(result)


@pytest.fixture(scope="module")
def demo_all(demo) -> tuple[Workspace, list, MonthResult]:  # type: ignore[no-untyped-def]
    """The same demo month with every platform and shop (not only the flagship)."""
    ws, outcomes, _ = demo
    mp = pytest.MonkeyPatch()
    mp.delenv("FINANCE_DATABASE_URL", raising=False)
    store = pipeline.open_store(ws)
    try:
        return ws, outcomes, pipeline.month_result(ws, store, "2026-10")
    finally:
        store.close()
        mp.undo()


def _flagship(result: MonthResult) -> MonthResult:
    """The Tmall flagship's part of the month: the facts below are that shop's (other
    platforms' samples sit in subfolders with facts of their own)."""
    keep = (pl.col("platform") == "tmall") & (pl.col("shop") == pipeline.DEMO_SHOP)
    return dataclasses.replace(
        result,
        parts=result.parts.filter(keep),
        pnl=result.pnl.filter(keep),
        excluded=result.excluded.filter(keep),
        entries=result.entries.filter(keep),
    )


def test_every_sample_file_is_imported(demo) -> None:  # type: ignore[no-untyped-def]
    ws, outcomes, _ = demo
    assert {o.status for o in outcomes} == {"imported"}
    samples = [p for p in SAMPLES.rglob("*") if p.suffix.lower() in pipeline.SAMPLE_SUFFIXES]
    assert len(outcomes) == len(samples)
    assert not list(ws.rejected.iterdir())
    assert not [p for p in ws.inbox.rglob("*") if p.is_file()]  # platform folders may stay
    assert (ws.reports("2026-10") / "pnl.xlsx").exists()
    assert (ws.reports("2026-10") / "report.html").exists()


def test_overlapping_order_exports_count_once(demo) -> None:  # type: ignore[no-untyped-def]
    _, outcomes, _ = demo
    flagship = [
        o for o in outcomes if o.rule == "taobao-orders" and o.moved_to.parent.name == o.rule
    ]  # the top-level samples; a second shop's sit in a subfolder
    lines = sum(o.added for o in flagship)
    skipped = sum(o.skipped for o in flagship)
    facts = _facts()
    assert lines == int(facts["order lines (distinct 子订单编号)"])
    assert skipped > 0  # the overlap was seen and skipped


@pytest.mark.parametrize(
    ("column", "facts", "sign"),
    [
        ("sales", ["goods payments 交易付款 (sales)"], 1),
        ("refund", ["refunds 交易退款 (one row per order)"], -1),
        ("commission", ["天猫佣金 (commission)"], -1),
        ("payment_fee", ["花呗支付服务费 (payment_fee)", "信用卡支付服务费 (payment_fee)"], -1),
        ("affiliate", ["淘宝客佣金代扣款 (affiliate)", "品牌新享-首单拉新服务费 (affiliate)"], -1),
        ("promotion", ["好评返现 (promotion)"], -1),
        ("advertising", ["ad spend counted once (advertising)"], 1),
        ("unclassified", [], 1),  # every Tmall fee name is known to a rule
    ],
)
def test_report_totals_match_the_generators_facts(demo, column, facts, sign) -> None:  # type: ignore[no-untyped-def]
    _, _, result = demo
    expected = sum(sign * _total(f) for f in facts)
    if column == "advertising":
        expected = _total(facts[0])
    assert _tmall(result.pnl)[column].sum() == expected


def test_return_cost_includes_freight_insurance(demo) -> None:  # type: ignore[no-untyped-def]
    _, _, result = demo
    assert _tmall(result.pnl)["return_cost"].sum() >= -_total("运费险保费 (return_cost)")


def test_transfers_are_not_costs(demo) -> None:  # type: ignore[no-untyped-def]
    _, _, result = demo
    expected = _total("万相台充值 + 直通车充值 (transfer)") + _total("提现 (transfer)")
    transfers = _tmall(result.excluded).filter(pl.col("category") == "transfer")
    assert transfers["amount"].sum() == expected


def test_conservation_per_category(demo_all) -> None:  # type: ignore[no-untyped-def]
    """Over the whole month: a courier bill's rows (the seller's own ``courier`` platform) are
    placed on the SKUs of whichever shop shipped each parcel, so one shop's parts need not add up
    to its own entries; every platform's together do."""
    _, _, result = demo_all
    entries = result.entries.filter(~pl.col("category").is_in(["transfer", "deposit", "tax"]))
    imported = dict(entries.group_by("category").agg(pl.col("amount").sum()).rows())
    placed = dict(
        result.parts.filter(pl.col("category") != "cogs")
        .filter(pl.col("basis").is_null() | ~pl.col("basis").str.contains("unit cost"))
        .group_by("category")
        .agg(pl.col("amount").sum())
        .rows()
    )
    assert placed == imported


def test_unallocated_orders_and_listing_say_why(demo) -> None:  # type: ignore[no-untyped-def]
    _, _, result = demo
    reasons = set(_tmall(result.parts).filter(pl.col("sku").is_null())["reason"].to_list())
    orders = re.findall(
        r"\d{19}", _facts()["… of which 2 August orders in no export (unallocated)"]
    )
    for order in orders:
        assert f"order {order} is in no order export" in reasons
    assert "listing 749903125568 is in no order export" in reasons
    unallocated = _tmall(result.pnl).filter(pl.col("sku").is_null())
    assert unallocated["sales"].item() == _total(
        "… of which 2 August orders in no export (unallocated)"
    )


def test_sku_without_cost_is_flagged(demo) -> None:  # type: ignore[no-untyped-def]
    _, _, result = demo
    flagged = result.pnl.filter(pl.col("cost_missing"))["sku"].to_list()
    assert flagged == [_facts()["sold SKU without a cost row"]]


def test_seed_article_best_seller_earns_far_below_average(demo) -> None:  # type: ignore[no-untyped-def]
    """The seed article's telling case: the best seller's true margin, once ads and returns are
    counted, is far below the shop's average."""
    _, _, result = demo
    skus = _tmall(result.pnl).filter(pl.col("sku").is_not_null())
    best = skus.sort("units_sold", descending=True).row(0, named=True)
    assert best["sku"] == _facts()["best seller by units on October-settled orders"].split(":")[0]
    shop_margin = Decimal(skus["true_margin"].sum()) / (skus["sales"].sum() - skus["refund"].sum())
    best_margin = Decimal(best["margin_pct"])
    assert best_margin < shop_margin - Decimal("0.25"), (best_margin, shop_margin)
    assert best["advertising"] == skus["advertising"].max()
    assert best["units_returned"] == max(skus["units_returned"])


def test_reconciliation_of_the_sample_month(demo) -> None:  # type: ignore[no-untyped-def]
    from finance.pipeline import open_store
    from finance.reconcile import reconcile

    ws, _, _ = demo
    store = open_store(ws)
    try:
        result = reconcile(ws, store, "2026-10")
    finally:
        store.close()
    # the flagship's findings, and the couriers' (a courier bill is the seller's, not a shop's)
    flagship = (pl.col("platform") == "tmall") & (pl.col("shop") == pipeline.DEMO_SHOP)
    couriers = pl.col("platform") == "courier"
    totals = {
        kind: (count, amount)
        for kind, count, amount in result.exceptions.filter(flagship | couriers)
        .group_by("kind")
        .agg(pl.len(), pl.col("amount").sum())
        .iter_rows()
    }
    unallocated = _facts()["… of which 2 August orders in no export (unallocated)"]
    assert totals["unknown_order"] == (2, int(Decimal(unallocated.split()[0]) * 100))
    assert totals["overcharge"] == (1, 50)
    assert totals["duplicate"] == (1, 500)
    assert set(totals) == {"timing", "unknown_order", "overcharge", "duplicate"}
    assert result.matches["amount"].to_list() == [2200000]  # the 提现 met its bank receipt


# --- JD, Pinduoduo, Douyin samples (sample_statements/<platform>/, issue #3 part A)

CN_PLATFORMS = ("jd", "pdd", "douyin")
COST_SIGN = {"sales": 1, "platform_subsidy": 1, "unclassified": 1}
"""P&L columns hold sales and subsidies as income, costs as positive cost, unclassified signed."""


def _platform_facts(platform: str) -> dict[str, str]:
    text = (SAMPLES / platform / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (.+?) \| (.+?) \|$", text.split("## Known facts")[1], flags=re.M)
    return {k.strip(): v.strip() for k, v in rows if k.strip() not in ("fact", "---")}


def _cents(value: str) -> int:
    return int(Decimal(re.findall(r"-?\d+\.\d{2}", value)[0]) * 100)


@pytest.mark.parametrize("platform", CN_PLATFORMS)
def test_platform_month_matches_its_generators_facts(demo_all, platform: str) -> None:  # type: ignore[no-untyped-def]
    _, _, result = demo_all
    pnl = result.pnl.filter(pl.col("platform") == platform)
    assert set(pnl["shop"].to_list()) == {pipeline.DEMO_SHOPS[platform]}
    expected: dict[str, int] = {}
    for key, value in _platform_facts(platform).items():
        category = key.split(" (")[0]
        if "rows" in value:  # a category's total, e.g. "67 rows, 2170.40"
            expected[category] = expected.get(category, 0) + _cents(value)
    excluded = result.excluded.filter(pl.col("platform") == platform)
    for category, amount in expected.items():
        if category in ("transfer", "deposit"):
            assert excluded.filter(pl.col("category") == category)["amount"].sum() == amount
        else:
            assert pnl[category].sum() == COST_SIGN.get(category, -1) * amount, category
    assert expected.keys() >= {"sales", "commission", "advertising", "unclassified", "transfer"} - (
        {"transfer"} if platform == "jd" else set()
    ) - ({"unclassified"} if platform == "pdd" else set())  # 小额打款 is known: return_cost


@pytest.mark.parametrize("platform", CN_PLATFORMS)
def test_platform_units_and_unallocated_ads(demo_all, platform: str) -> None:  # type: ignore[no-untyped-def]
    _, _, result = demo_all
    facts = _platform_facts(platform)
    pnl = result.pnl.filter(pl.col("platform") == platform)
    assert pnl["units_sold"].sum() == int(facts["units sold on October-settled orders"])
    unallocated = pnl.filter(pl.col("sku").is_null())
    fact = facts["advertising on a listing in no order export (unallocated)"]
    assert unallocated["advertising"].sum() == _cents(fact)
    listing = re.findall(r"\((\d+)\)", fact)[0]
    reasons = set(result.parts.filter(pl.col("platform") == platform)["reason"].to_list())
    assert f"listing {listing} is in no order export" in reasons
    assert not pnl.filter(pl.col("sku").is_not_null())["cost_missing"].any()


def test_every_platform_is_in_one_report(demo_all) -> None:  # type: ignore[no-untyped-def]
    ws, outcomes, result = demo_all
    assert set(result.pnl["platform"].to_list()) >= {"tmall", *CN_PLATFORMS}
    rules = {o.rule for o in outcomes}
    assert rules >= {
        "jd-settlement",
        "jd-orders",
        "jd-ads",
        "pdd-ledger",
        "pdd-orders",
        "pdd-ads",
        "douyin-orders",
        "douyin-settlement",
        "douyin-funds",
        "qianchuan",
    }
    html = (ws.reports("2026-10") / "report.html").read_text(encoding="utf-8")
    for shop in (pipeline.DEMO_SHOPS[p] for p in CN_PLATFORMS):
        assert shop in html


# --- reconciliation of every platform (issue #7 follow-up)

RECON_FOLDERS = {  # sample folder -> (platform, [shops] key or shop name)
    "jd": ("jd", "jd"),
    "pdd": ("pdd", "pdd"),
    "douyin": ("douyin", "douyin"),
    "shopify": ("shopify", "shopify"),
    "amazon": ("amazon", "amazon"),
    "wechat": ("wechat", "wechat"),
    "tmall-outlet": ("tmall", "云栖家居奥莱店"),
}


def _folder_facts(folder: str) -> dict[str, str]:
    text = (SAMPLES / folder / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (.+?) \| (.+?) \|$", text.split("## Known facts")[1], flags=re.M)
    return {k.strip(): v.strip() for k, v in rows if k.strip() not in ("fact", "---")}


def _planted_exceptions() -> dict[tuple[str, str, str], tuple[int, int]]:
    """(platform, shop, kind) -> (count, cents), from the facts the sample generators wrote:
    the flagship's reconciliation paragraph and each folder's ``reconcile:`` facts."""
    planted: dict[tuple[str, str, str], tuple[int, int]] = {}
    flagship = ("tmall", pipeline.DEMO_SHOP)
    text = " ".join((SAMPLES / "README.md").read_text(encoding="utf-8").split())
    para = text.split("## Reconciliation")[1].split("## ")[0]
    count, amount = re.search(
        r"the (\d+) orders shipped .*?\(`timing`, (\d+\.\d{2})", para
    ).groups()  # type: ignore[union-attr]
    planted[(*flagship, "timing")] = (int(count), _cents(amount))
    unknown = _facts()["… of which 2 August orders in no export (unallocated)"]
    planted[(*flagship, "unknown_order")] = (2, _cents(unknown))
    planted[("courier", "中通快递", "overcharge")] = (
        1,
        _cents(re.search(r"overcharged by (\d+\.\d{2})", para)[1]),
    )  # type: ignore[index]
    planted[("courier", "快递网点", "duplicate")] = (
        1,
        _cents(re.search(r"\(`duplicate`, (\d+\.\d{2})\)", para)[1]),
    )  # type: ignore[index]
    for folder, (platform, shop) in RECON_FOLDERS.items():
        shop = pipeline.DEMO_SHOPS.get(shop, shop)
        facts = _folder_facts(folder)
        owed = facts.get("reconcile: shipped by 10-31, not settled (timing / missing_settlement)")
        if owed:
            for kind, part in zip(("timing", "missing_settlement"), owed.split(" / "), strict=True):
                n = int(part.split()[0])
                if n:
                    planted[(platform, shop, kind)] = (n, _cents(part))
        if "reconcile: payout_unmatched" in facts:
            planted[(platform, shop, "payout_unmatched")] = (
                1,
                _cents(facts["reconcile: payout_unmatched"]),
            )
        assert (
            facts.get(
                "reconcile: other exceptions", facts.get("reconcile: exceptions", "none")
            ).split(" (")[0]
            == "none"
        )
    return planted


def test_every_platform_reconciles_to_what_the_generators_planted(demo_all) -> None:  # type: ignore[no-untyped-def]
    from finance.pipeline import open_store
    from finance.reconcile import reconcile

    ws, _, _ = demo_all
    store = open_store(ws)
    try:
        result = reconcile(ws, store, "2026-10")
    finally:
        store.close()
    found = {
        (platform, shop, kind): (count, amount)
        for platform, shop, kind, count, amount in result.exceptions.group_by(
            "platform", "shop", "kind"
        )
        .agg(pl.len(), pl.col("amount").sum())
        .iter_rows()
    }
    assert found == _planted_exceptions()


def test_drill_downs_are_what_explain_gives_over_the_whole_month(demo_all) -> None:  # type: ignore[no-untyped-def]
    """The report's drill-downs explain each chosen SKU over just its parts and their entries;
    that is exactly ``explain`` over the whole month."""
    from finance.explain import explain
    from finance.report import drill_downs

    _, _, result = demo_all
    drills = drill_downs(result)
    assert len(drills) >= 8 and sum(d.height for d in drills.values()) > 50
    for (platform, shop, sku), rows in drills.items():
        whole = explain(result, sku, shop=shop).filter(pl.col("platform") == platform)
        assert rows.equals(whole), (platform, shop, sku)
