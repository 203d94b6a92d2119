"""The alerts of an imported month: the report's Alerts section, the command, the stored copy."""

from __future__ import annotations

import polars as pl
from typer.testing import CliRunner

from finance import history
from finance.alerts import month_alerts
from finance.cli import app
from finance.ingest import ingest
from finance.pipeline import collect, import_costs

from .conftest import HANDCHECK, drop

MONTH = "2026-10"


def _import(ws, store) -> None:  # type: ignore[no-untyped-def]
    drop(ws, *(HANDCHECK / n for n in ("ledger.csv", "orders.csv", "refunds.csv")))
    drop(ws, HANDCHECK / "wanxiangtai.csv")
    assert all(o.status == "imported" for o in ingest(ws, store))


def test_init_copies_the_alert_rules(ws) -> None:  # type: ignore[no-untyped-def]
    assert (ws.rules / "alerts.toml").is_file()


def test_alerts_section(ws, store) -> None:  # type: ignore[no-untyped-def]
    _import(ws, store)
    [section] = [s for s in collect(ws, store, MONTH) if s.key == "alerts"]
    assert section.heading("zh-CN") == "预警" and section.heading("en") == "Alerts"
    frame = section.frame
    assert frame.columns == [
        "severity", "rule", "platform", "shop", "sku", "figure", "threshold", "amount", "message",
    ]  # fmt: skip
    assert section.money == ("amount",) and frame.schema["amount"] == pl.Int64
    # No unit costs are imported: every SKU sold is flagged, high first; the unclassified fees
    # (天猫服务年费; 品牌新享 is affiliate) are flagged once for the shop.
    missing = frame.filter(pl.col("rule") == "缺少成本价")
    assert sorted(missing["sku"].to_list()) == ["SKU-A", "SKU-B", "SKU-C"]
    assert set(missing["severity"]) == {"高"}
    assert frame["severity"][0] == "高"
    unclassified = frame.filter(pl.col("rule") == "未归类费用")
    assert unclassified.select("shop", "figure").rows() == [("测试店", "-12.00")]
    assert section.summary["en"][0].startswith(f"{frame.height} alerts: ")
    assert section.summary["zh-CN"][0].startswith(f"共 {frame.height} 条预警")


def test_a_report_in_the_other_language_shows_row_text_in_it(ws, store) -> None:  # type: ignore[no-untyped-def]
    """`finance report --lang en` on a Chinese workspace: alert and reconciliation rows in en."""
    from openpyxl import load_workbook

    from finance.pipeline import write_reports

    _import(ws, store)
    sections = {s.key: s for s in collect(ws, store, MONTH)}
    alerts, recon = sections["alerts"], sections["reconciliation"]
    english = alerts.rows("en")
    assert english.height == alerts.frame.height
    assert set(english["rule"]) >= {"no unit cost", "unclassified fees"}
    assert alerts.rows("zh-CN")["message"].to_list() == alerts.frame["message"].to_list()
    assert recon.rows("en")["detail"].to_list() != recon.rows("zh-CN")["detail"].to_list()
    paths = write_reports(ws, store, MONTH, lang="en")
    book = load_workbook(paths[0], read_only=True)
    texts = {str(c) for row in book["Alerts"].iter_rows(values_only=True) for c in row if c}
    assert "no unit cost" in texts and "缺少成本价" not in texts
    page = paths[1].read_text(encoding="utf-8")
    assert "without a unit cost" in page


def test_costs_clear_the_missing_cost_alerts(ws, store) -> None:  # type: ignore[no-untyped-def]
    _import(ws, store)
    before = month_alerts(ws, store, MONTH, lang="en")
    import_costs(ws, store, HANDCHECK / "costs.csv")
    after = month_alerts(ws, store, MONTH, lang="en")

    def flagged(frame: pl.DataFrame) -> list[str]:
        return sorted(frame.filter(pl.col("rule") == "missing_cost")["sku"].to_list())

    # costs.csv prices SKU-A and SKU-B; SKU-C still has no cost (see handcheck/README.md).
    assert (flagged(before), flagged(after)) == (["SKU-A", "SKU-B", "SKU-C"], ["SKU-C"])


def test_a_month_without_statements(ws, store) -> None:  # type: ignore[no-untyped-def]
    _import(ws, store)
    found = month_alerts(ws, store, "2026-11", lang="en")
    # October had an Alipay ledger and a 万相台 report; November has neither.
    assert sorted(found["figure"].to_list()) == ["alipay-ledger", "wanxiangtai-report"]
    assert set(found["rule"]) == {"missing_statement"}


def test_cli_alerts_prints_and_stores(ws, store) -> None:  # type: ignore[no-untyped-def]
    _import(ws, store)
    result = CliRunner().invoke(app, ["alerts", "-m", MONTH, "--lang", "en", "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    assert "alerts:" in result.output and "[high] SKU SKU-" in result.output
    assert "without a unit cost" in result.output
    stored = history.recorded(store, MONTH)
    assert stored.height == result.output.count("\n") - 1


def test_cli_alerts_bad_rules_file(ws) -> None:  # type: ignore[no-untyped-def]
    (ws.rules / "alerts.toml").write_text("[margin_floor]\nmin_margin_pct = -1\n", "utf-8")
    result = CliRunner().invoke(app, ["alerts", "-m", MONTH, "-w", str(ws.root)])
    assert result.exit_code == 1
    assert "alerts.toml 第 2 行" in result.output
