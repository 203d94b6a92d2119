"""Sales with no cost of goods are never shown as a high margin.

Truth month: the demo's WeChat shop alone (``sample_statements/wechat``: 4123.00 of sales,
538.00 refunded, 21.47 of fees, no order lines, so no SKU and no cost of goods). Without a
stated rate its margin is incomplete: no margin %, a flag, a report line, an alert. With
``[costs.shops] "云栖家居微信小店" = "0.45"`` the cost of goods is an estimate of
0.45 × 3585.00 = 1613.25, shown as one; true margin 3563.53 − 1613.25 = 1950.28.
"""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest

from finance import pipeline
from finance.alerts import evaluate, gather, rules_for
from finance.explain import explain
from finance.export import margins_csv
from finance.ingest import ingest
from finance.report import figures, write_html, write_workbook
from finance.uncosted import ESTIMATE_ORIGIN, shop_status
from finance.workspace import Workspace, open_workspace

from .conftest import HANDCHECK, SAMPLES, drop

SHOP = "云栖家居微信小店"
WECHAT = next((SAMPLES / "wechat").glob("*.csv"))
INPUTS = ["ledger.csv", "orders.csv", "refunds.csv", "wanxiangtai.csv", "costs.csv"]


def _with(ws: Workspace, text: str) -> Workspace:
    toml = ws.root / "finance.toml"
    body = toml.read_text(encoding="utf-8").replace("[shops]\n", f'[shops]\nwechat = "{SHOP}"\n')
    toml.write_text(body + text, encoding="utf-8")
    return open_workspace(ws.root)


def _wechat(ws: Workspace, store, text: str = ""):  # type: ignore[no-untyped-def]
    ws = _with(ws, text)
    drop(ws, WECHAT)
    assert [o.status for o in ingest(ws, store)] == ["imported"]
    return ws, pipeline.month_result(ws, store, "2026-10")


def _export(result) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return list(csv.DictReader(io.StringIO(margins_csv(result))))


def test_wechat_shop_without_cost_of_goods_is_incomplete(ws, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws, result = _wechat(ws, store)
    [row] = _export(result)
    assert (row["sku"], row["sales"], row["refund"], row["cogs"]) == (
        "",
        "4123.00",
        "538.00",
        "0.00",
    )
    assert row["true_margin"] == "3563.53" and row["margin_pct"] == ""  # never 99.40 %, green
    assert "cogs_estimate" not in row  # no [costs.shops]: no estimate column
    [flagged] = result.pnl.select("sales_uncosted", "cogs_estimated").rows()
    assert flagged == (True, False)
    [status] = shop_status(result.pnl).to_dicts()
    assert (status["uncosted"], status["incomplete"]) == (358500, True)
    # the report: no margin % for the shop, a line saying why, the row flagged
    figs = figures(result, drill=0)
    assert figs.ratios == [None, None]  # nor the total: all its sales have no cost
    book = write_workbook(figs, tmp_path / "pnl.xlsx", lang="en")
    from openpyxl import load_workbook

    summary = [c.value for row in load_workbook(book)["Summary"].iter_rows() for c in row]
    assert any(
        isinstance(v, str) and v.startswith(f"{SHOP} (WeChat shop): 3,585.00 of net sales")
        for v in summary
    )
    page = write_html(figs, tmp_path / "report.html", lang="zh-CN").read_text("utf-8")
    assert "净销售额 3,585.00，却没有任何商品成本" in page
    assert "销售额无商品成本：不计利润率" in page
    assert "99.40%" not in page


def test_the_alert_says_the_margin_is_unknown_in_both_languages(ws, store) -> None:  # type: ignore[no-untyped-def]
    ws, _ = _wechat(ws, store)
    inputs, rules = gather(ws, store, "2026-10"), rules_for(ws)
    for lang, words in (
        ("zh-CN", "净销售额 3585.00，却没有任何商品成本"),
        ("en", "3585.00 of net sales and no cost of goods at all"),
    ):
        alerts = evaluate(inputs, rules, lang=lang).filter(pl.col("rule") == "uncosted_sales")
        [alert] = alerts.to_dicts()
        assert (alert["severity"], alert["shop"], alert["amount"]) == ("high", SHOP, 358500)
        assert words in alert["message"] and "[costs.shops]" in alert["message"]


def test_a_shop_cost_rate_is_a_stated_estimate(ws, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws, result = _wechat(ws, store, f'\n[costs.shops]\n"{SHOP}" = "0.45"\n')
    [row] = _export(result)
    assert (row["cogs"], row["cogs_estimate"], row["true_margin"]) == (
        "1613.25",
        "1613.25",
        "1950.28",
    )
    assert row["margin_pct"] == ""  # an unallocated row's ratio is still not a margin
    [status] = shop_status(result.pnl).to_dicts()
    assert (status["uncosted"], status["incomplete"], status["estimated"]) == (0, False, True)
    parts = explain(result, "").filter(pl.col("category") == "cogs")
    assert parts.select("origin", "part", "reason").rows() == [
        (
            ESTIMATE_ORIGIN,
            -161325,
            "estimated: 45% of the net sales that reached no SKU ([costs.shops])",
        )
    ]
    alerts = evaluate(gather(ws, store, "2026-10"), rules_for(ws), lang="en")
    assert alerts.filter(pl.col("rule") == "uncosted_sales").height == 0
    figs = figures(result, drill=0)
    assert figs.ratios[0] is not None  # the shop's margin stands on a stated estimate
    page = write_html(figs, tmp_path / "report.html", lang="en").read_text("utf-8")
    assert "cost of goods includes an estimate of 1,613.25, 45% of the net sales" in page
    assert "Cost of goods estimated ([costs.shops])" in page


def test_part_of_a_shops_sales_without_cost_is_flagged_not_hidden(ws, store) -> None:  # type: ignore[no-untyped-def]
    """The hand-computed month: order 9999 is in no export, so its 20.00 reached no SKU; the
    shop has cost of goods on its SKUs, so its margin is shown, and the alert says how much is
    uncosted. A margin % on the unallocated row is not a margin."""
    drop(ws, *(HANDCHECK / n for n in INPUTS))
    ingest(ws, store)
    result = pipeline.month_result(ws, store, "2026-10")
    unallocated = result.pnl.filter(pl.col("sku").is_null())
    assert unallocated["margin_pct"].to_list() == [None]
    assert unallocated["sales_uncosted"].to_list() == [True]
    assert figures(result, drill=0).ratios[0] is not None
    alerts = evaluate(gather(ws, store, "2026-10"), rules_for(ws), lang="en")
    [alert] = alerts.filter(pl.col("rule") == "uncosted_sales").to_dicts()
    assert alert["figure"] == "20.00" and "margin is overstated" in alert["message"]


@pytest.mark.parametrize("column", ["sku", "cost_missing"])
def test_a_ratio_is_never_shown_without_a_cost(ws, store, column: str) -> None:  # type: ignore[no-untyped-def]
    """No row whose cost is unknown (unallocated, or a SKU without a unit cost) has a margin %."""
    drop(ws, *(HANDCHECK / n for n in INPUTS))
    ingest(ws, store)
    pnl = pipeline.month_result(ws, store, "2026-10").pnl
    unknown = pnl["sku"].is_null() if column == "sku" else pnl["cost_missing"]
    assert unknown.any()
    assert pnl.filter(unknown)["margin_pct"].null_count() == unknown.sum()
