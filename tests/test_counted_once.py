"""Each cost counted once (issue 16, item 1): an ad report and the statement's ad charge are the
same money. A truth month computed by hand (``fixtures_e2e/amazon-month/README.md``): an Amazon
settlement with a 150.00 USD ``Cost of Advertising`` and a Sponsored Products report spending
the same 150.00 on two SKUs. Every case is exact to the cent per SKU, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from finance import pipeline
from finance.counted_once import Pair, comparison, count_once, pairs_of
from finance.errors import RuleError
from finance.export import margins_csv
from finance.ingest import ingest
from finance.rulebook import load_rule, load_rules
from finance.store import Store
from finance.workspace import Workspace

from .conftest import ROOT, drop

MONTH_DIR = ROOT / "tests" / "fixtures_e2e" / "amazon-month"
SETTLEMENT = MONTH_DIR / "settlement-v2.txt"
REPORT = MONTH_DIR / "sp-advertised-product.csv"
COSTS = MONTH_DIR / "costs.csv"
SHOP = "Truth Amazon US"


def amazon_workspace(ws: Workspace) -> Workspace:
    """The truth month's workspace: base currency USD, the Amazon shop named."""
    ws.settings["base_currency"] = "USD"
    ws.settings.setdefault("shops", {})["amazon"] = SHOP
    return ws


def _import(ws: Workspace, store: Store, *batches: tuple[Path, ...]) -> None:
    """Each batch dropped into inbox/ and ingested on its own, in the order given."""
    for batch in batches:
        drop(ws, *batch)
        outcomes = ingest(ws, store)
        assert [o.status for o in outcomes] == ["imported"] * len(batch), outcomes


def _export(ws: Workspace, store: Store) -> str:
    return margins_csv(pipeline.month_result(ws, store, "2026-10"))


def _expected(case: str) -> str:
    return (MONTH_DIR / f"expected-{case}.csv").read_text(encoding="utf-8")


def test_settlement_then_report_counts_the_ad_spend_once(ws: Workspace, store: Store) -> None:
    ws = amazon_workspace(ws)
    _import(ws, store, (COSTS,), (SETTLEMENT,), (REPORT,))
    assert _export(ws, store) == _expected("settlement-and-report")


def test_report_then_settlement_counts_the_ad_spend_once(ws: Workspace, store: Store) -> None:
    ws = amazon_workspace(ws)
    _import(ws, store, (COSTS,), (REPORT,), (SETTLEMENT,))
    assert _export(ws, store) == _expected("settlement-and-report")


def test_settlement_alone_keeps_the_charge_as_shop_level_advertising(
    ws: Workspace, store: Store
) -> None:
    ws = amazon_workspace(ws)
    _import(ws, store, (COSTS,), (SETTLEMENT,))
    assert _export(ws, store) == _expected("settlement-alone")
    result = pipeline.month_result(ws, store, "2026-10")
    ads = result.parts.filter(pl.col("category") == "advertising")
    assert set(ads["key"]) == {"shop"} and ads["amount"].sum() == -15000


def test_report_alone_places_the_spend_on_its_skus(ws: Workspace, store: Store) -> None:
    ws = amazon_workspace(ws)
    _import(ws, store, (COSTS,), (REPORT,))
    assert _export(ws, store) == _expected("report-alone")


def test_the_superseded_charge_is_a_transfer_shown_outside_margin(
    ws: Workspace, store: Store
) -> None:
    ws = amazon_workspace(ws)
    _import(ws, store, (COSTS,), (SETTLEMENT, REPORT))
    result = pipeline.month_result(ws, store, "2026-10")
    charge = result.entries.filter(pl.col("fee_name").str.contains("Cost of Advertising"))
    assert charge.select("category", "amount").rows() == [("transfer", -15000)]
    assert result.pnl["advertising"].sum() == 15000  # 150.00 once, not 300.00
    # every imported cent still lands once: the month's entries in margin are the parts
    in_margin = result.entries.filter(~pl.col("category").is_in(["transfer", "tax", "deposit"]))
    parts = result.parts.filter(pl.col("category") != "cogs")
    assert parts.filter(pl.col("entry") > 0)["amount"].sum() == in_margin["amount"].sum()


def test_a_report_of_another_month_does_not_supersede(ws: Workspace, store: Store) -> None:
    """The report covers October: a November charge stays advertising (at shop level)."""
    ws = amazon_workspace(ws)
    text = SETTLEMENT.read_text(encoding="utf-8").replace(
        "10/15/26\t2026-10-15 08:00:00 UTC", "11/03/26\t2026-11-03 08:00:00 UTC"
    )
    moved = ws.root / "settlement-v2.txt"
    moved.write_text(text, encoding="utf-8")
    _import(ws, store, (COSTS,), (moved, REPORT))
    november = pipeline.month_result(ws, store, "2026-11")
    assert november.pnl["advertising"].sum() == 15000
    assert november.entries.filter(pl.col("category") == "advertising").height == 1


def test_reconciliation_sets_the_charge_against_the_report(ws: Workspace, store: Store) -> None:
    from finance.reconcile import reconcile

    ws = amazon_workspace(ws)
    _import(ws, store, (COSTS,), (SETTLEMENT, REPORT))
    result = reconcile(ws, store, "2026-10")
    assert result.counted_once.select(
        "platform", "shop", "report", "report_total", "charges", "top_ups", "report_imported"
    ).rows() == [("amazon", SHOP, "amazon-sp-advertised-product", 15000, 15000, 0, True)]
    assert result.exceptions.filter(pl.col("ident").str.starts_with("counted-once")).height == 0


def test_a_charge_that_differs_from_the_report_is_an_exception(ws: Workspace, store: Store) -> None:
    from finance.reconcile import reconcile
    from finance.reconcile.section import provide

    ws = amazon_workspace(ws)
    report_160 = MONTH_DIR / "sp-advertised-product-160.csv"
    _import(ws, store, (COSTS,), (SETTLEMENT, report_160))
    result = reconcile(ws, store, "2026-10")
    found = result.exceptions.filter(pl.col("ident").str.starts_with("counted-once"))
    assert found.select("kind", "platform", "shop", "amount").rows() == [
        ("amount_difference", "amazon", SHOP, 1000)
    ]
    assert "150.00" in found["detail"][0] and "160.00" in found["detail"][0]
    assert "10.00" in found["detail_zh"][0]
    # the reconciliation section says it in a line of its own, in both languages
    [section] = provide(ws, store, "2026-10")
    assert any("160.00" in line and "150.00" in line for line in section.summary["en"])
    assert any("160.00" in line for line in section.summary["zh-CN"])
    # the report's spend is the cost, whatever the charge says
    assert pipeline.month_result(ws, store, "2026-10").pnl["advertising"].sum() == 16000


def test_status_names_the_report_that_would_place_the_charge(ws: Workspace, store: Store) -> None:
    from finance.status import missing

    ws = amazon_workspace(ws)
    _import(ws, store, (COSTS,), (SETTLEMENT,))
    rows = missing(ws, store, "en").filter(pl.col("platform") == "amazon")
    texts = " | ".join(rows["note"].to_list())
    assert "amazon-sp-advertised-product" in texts and "150.00 USD" in texts
    zh = " | ".join(missing(ws, store, "zh-CN")["note"].to_list())
    assert "amazon-sp-advertised-product" in zh and "店铺" in zh


def test_status_is_quiet_once_the_report_is_imported(ws: Workspace, store: Store) -> None:
    from finance.status import missing

    ws = amazon_workspace(ws)
    _import(ws, store, (COSTS,), (SETTLEMENT, REPORT))
    texts = " | ".join(missing(ws, store, "en")["note"].to_list())
    assert "amazon-sp-advertised-product" not in texts


# --- the mechanism on small frames: every platform's pair, and the declarations


def _entries(rows: list[tuple[str, str, str, str, int]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(format, shop, month, category, fee_name, amount) rows -> ledger entries and files."""
    formats = sorted({r[0] for r in rows})
    files = pl.DataFrame({"id": list(range(1, len(formats) + 1)), "format": formats})
    ids = {f: i + 1 for i, f in enumerate(formats)}
    entries = pl.DataFrame(
        {
            "file_id": [ids[r[0]] for r in rows],
            "platform": [r[1] for r in rows],
            "shop": ["店"] * len(rows),
            "month": ["2026-10"] * len(rows),
            "category": [r[2] for r in rows],
            "fee_name": [r[3] for r in rows],
            "amount": [r[4] for r in rows],
            "currency": ["CNY"] * len(rows),
        }
    )
    return entries, files


SHIPPED_PAIRS = pairs_of(load_rules(ROOT / "rules"))


@pytest.mark.parametrize(
    ("statement", "platform", "category", "fee_name", "report"),
    [
        ("jd-settlement", "jd", "advertising", "京准通", "jd-ads"),
        ("jd-settlement", "jd", "advertising", "广告费", "jd-ads"),
        ("pdd-ledger", "pdd", "transfer", "扣款 / 推广账户充值", "pdd-ads"),
        ("alipay-ledger", "tmall", "transfer", "转账 / 直通车充值", "wanxiangtai-report"),
        ("douyin-funds", "douyin", "advertising", "随心推 / 消耗", "qianchuan"),
        (
            "amazon-settlement-v2",
            "amazon",
            "advertising",
            "ServiceFee / Cost of Advertising / TransactionTotalAmount",
            "amazon-sp-advertised-product",
        ),
    ],
)
def test_each_platforms_statement_charge_is_superseded_by_its_report(
    statement: str, platform: str, category: str, fee_name: str, report: str
) -> None:
    rows = [
        (statement, platform, category, fee_name, -10000),
        (statement, platform, "commission", "佣金", -500),
        (report, platform, "advertising", "计划A", -9000),
    ]
    entries, files = _entries(rows)
    counted = count_once(entries, files, SHIPPED_PAIRS)
    assert counted["category"].to_list() == ["transfer", "commission", "advertising"]
    alone, alone_files = _entries(rows[:2])
    assert count_once(alone, alone_files, SHIPPED_PAIRS)["category"].to_list() == [
        category,
        "commission",
    ]
    [line] = comparison(entries, files, SHIPPED_PAIRS).rows(named=True)
    charged = 10000 if category == "advertising" else 0
    assert (line["report"], line["report_total"], line["charges"], line["top_ups"]) == (
        report,
        9000,
        charged,
        10000 - charged,
    )


def test_douyin_settlement_off_site_fee_is_not_qianchuan() -> None:
    """站外推广费 in the settlement bill is another cost than 千川 spend: never superseded."""
    entries, files = _entries(
        [
            ("douyin-settlement", "douyin", "advertising", "站外推广费", -200),
            ("qianchuan", "douyin", "advertising", "计划", -9000),
        ]
    )
    assert count_once(entries, files, SHIPPED_PAIRS)["category"].to_list() == [
        "advertising",
        "advertising",
    ]


def test_supersedes_is_documented_and_checked(tmp_path: Path) -> None:
    rules = tmp_path / "formats"
    rules.mkdir()
    for name in ("jd-settlement.toml", "jd-ads.toml"):
        (rules / name).write_text(
            (ROOT / "rules" / "formats" / name).read_text("utf-8"), encoding="utf-8"
        )
    text = (rules / "jd-ads.toml").read_text("utf-8")
    (rules / "jd-ads.toml").write_text(
        text.replace('formats = ["jd-settlement"]', 'formats = ["jd-statement"]'), "utf-8"
    )
    with pytest.raises(RuleError) as info:
        load_rules(rules)
    message = str(info.value)
    assert "jd-ads.toml" in message and "'jd-statement'" in message
    assert info.value.render("zh-CN").count("jd-statement") == 1
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('fee_name = "京准通|广告费"', 'fee_name = "京准通|("'), "utf-8")
    with pytest.raises(RuleError, match="not a valid regular expression"):
        load_rule(bad)
    assert Pair("jd-ads", "jd", "advertising", ("jd-settlement",), "京准通|广告费") in SHIPPED_PAIRS
