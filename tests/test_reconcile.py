"""Reconciliation on a whole month in a workspace (SQLite and PostgreSQL): every kind of exception
planted once is found once with its amount; statuses carry across runs; a bank statement
imported twice counts once; the CLI prints and exports; the report section shows it."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from finance.cli import app
from finance.ingest import ingest
from finance.money import cents_to_text
from finance.pipeline import collect
from finance.reconcile import KINDS, open_exceptions, reconcile
from finance.reconcile.section import provide, section
from finance.store import Store

from .conftest import ROOT, drop

MONTH_DIR = ROOT / "tests" / "fixtures_e2e" / "reconcile"
OCTOBER = ("ledger-2026-10.csv", "orders.csv", "中通_对账单_202610.csv", "bank-2026-10.csv")


def _october(ws, store: Store) -> None:  # type: ignore[no-untyped-def]
    drop(ws, *(MONTH_DIR / name for name in OCTOBER))
    outcomes = ingest(ws, store)
    assert [o.status for o in outcomes] == ["imported"] * len(OCTOBER), [
        o.message for o in outcomes
    ]


def _as_text(frame: pl.DataFrame) -> str:
    return (
        frame.select(
            "kind",
            "order_id",
            cents_to_text(pl.col("amount")).alias("amount"),
            "age_days",
            "status",
        )
        .sort("kind", "order_id")
        .write_csv()
    )


def test_golden_month_finds_every_planted_exception_once(ws, store: Store) -> None:  # type: ignore[no-untyped-def]
    _october(ws, store)
    result = reconcile(ws, store, "2026-10")
    expected = (MONTH_DIR / "expected-2026-10.csv").read_text(encoding="utf-8")
    assert _as_text(result.exceptions) == expected
    assert sorted(result.exceptions["kind"].to_list()) == sorted(KINDS)
    assert result.matches["amount"].to_list() == [30000]  # the 300.00 withdrawal met its receipt


def test_every_exception_names_its_source_rows(ws, store: Store) -> None:  # type: ignore[no-untyped-def]
    _october(ws, store)
    exceptions = reconcile(ws, store, "2026-10").exceptions
    sources = dict(zip(exceptions["kind"], exceptions["sources"], strict=True))
    assert sources["duplicate"] == "ledger-2026-10.csv:6; ledger-2026-10.csv:7"
    assert sources["overcharge"] == "中通_对账单_202610.csv:4"
    assert sources["payout_unmatched"] == "ledger-2026-10.csv:11"
    assert sources["timing"] == "orders.csv:4"
    parcel = exceptions.filter(pl.col("kind") == "overcharge")
    assert "6.70" in parcel["detail"][0] and "6.20" in parcel["detail"][0]
    assert "多收 0.50" in parcel["detail_zh"][0]


def test_statuses_persist_and_a_later_statement_resolves(ws, store: Store) -> None:  # type: ignore[no-untyped-def]
    _october(ws, store)
    reconcile(ws, store, "2026-10")
    again = reconcile(ws, store, "2026-10").exceptions
    assert set(again["status"]) == {"new"}  # re-running a month changes nothing
    drop(ws, MONTH_DIR / "ledger-2026-11.csv")
    ingest(ws, store)
    november = reconcile(ws, store, "2026-11").exceptions
    status = {(k, o): s for k, o, s in november.select("kind", "order_id", "status").iter_rows()}
    assert status[("timing", "4100000000000000003")] == "resolved"
    assert status[("missing_settlement", "4100000000000000004")] == "open"  # 71 days now
    assert status[("unknown_order", "4099999999999999999")] == "open"  # carried forward
    aged = november.filter(pl.col("order_id") == "4100000000000000004")
    assert aged["age_days"].to_list() == [71]


def test_open_exceptions_contract(ws, store: Store) -> None:  # type: ignore[no-untyped-def]
    _october(ws, store)
    frame = open_exceptions(ws, store, "2026-10")
    assert frame.schema == pl.Schema(
        {
            "kind": pl.String,
            "platform": pl.String,
            "shop": pl.String,
            "order_id": pl.String,
            "sku": pl.String,
            "amount": pl.Int64,
            "age_days": pl.Int64,
            "status": pl.String,
            "detail": pl.String,
        }
    )
    assert frame["amount"].to_list() == sorted(frame["amount"].to_list(), reverse=True)
    assert (frame["amount"] > 0).all()
    assert set(frame["shop"]) == {"测试店", "中通快递"}  # a parcel overcharge is the courier's


def test_bank_statement_imported_twice_and_overlapping_counts_once(ws, store: Store) -> None:  # type: ignore[no-untyped-def]
    _october(ws, store)
    overlapping = ws.root / "bank-2026-10-to-11-02.csv"
    lines = (MONTH_DIR / "bank-2026-10.csv").read_text(encoding="utf-8").splitlines()
    lines.append("2026-11-02,88.00,支付宝（中国）网络技术有限公司,支付宝提现,6214830000006621,CNY")
    overlapping.write_text("\n".join(lines) + "\n", encoding="utf-8")
    drop(ws, overlapping)
    [outcome] = ingest(ws, store)
    assert (outcome.status, outcome.added, outcome.skipped) == ("imported", 1, 2)
    assert store.count("bank_lines") == 3
    result = reconcile(ws, store, "2026-10")
    assert result.matches.height == 1
    unmatched = result.exceptions.filter(pl.col("kind") == "payout_unmatched")
    assert unmatched["amount"].to_list() == [50000]  # the November receipt is not October's


def test_report_section_totals_by_kind_and_largest_first(ws, store: Store) -> None:  # type: ignore[no-untyped-def]
    _october(ws, store)
    [sec] = [s for s in collect(ws, store, "2026-10") if s.key == "reconciliation"]
    assert sec.key == "reconciliation"
    assert sec.frame["amount"].to_list() == [50000, 11900, 4500, 3990, 1000, 80, 50]
    zh, en = sec.summary["zh-CN"], sec.summary["en"]
    assert en[0] == (
        "Reconciliation 2026-10: 7 exceptions, 715.20 at stake (new 7, open 0, resolved this "
        "month 0)"
    )
    assert "payout unmatched: 1, 500.00" in en
    assert "多收费：1 项，0.50" in zh
    assert (
        en[-1] == "Receivables by age (days): 0-15: 39.90 · 16-30: 0.00 · 31-60: 119.00 · 60+: 0.00"
    )
    assert provide(ws, store, "2026-10")[0].frame.height == 7
    english = section(reconcile(ws, store, "2026-10").exceptions, "2026-10", "en")
    assert english.frame["kind"][0] == "payout unmatched"


def test_cli_prints_summary_and_exports_csv(ws, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _october(ws, store)
    target = tmp_path / "out" / "recon.csv"
    result = CliRunner().invoke(
        app,
        ["reconcile", "--month", "2026-10", "-w", str(ws.root), "--lang", "en", "-o", str(target)],
    )
    assert result.exit_code == 0, result.output
    assert "Reconciliation 2026-10: 7 exceptions, 715.20 at stake" in result.output
    assert "All 7 exceptions written to" in result.output
    header = next(line for line in result.output.splitlines() if "Order" in line)
    assert [c.strip() for c in header.split("┆")[2:4]] == ["Platform", "Shop"], header
    assert "测试店" in result.output
    exported = pl.read_csv(target, infer_schema=False)
    assert exported.columns[:3] == ["kind", "status", "platform"]
    assert sorted(exported["kind"]) == sorted(KINDS)
    row = exported.filter(pl.col("kind") == "missing_settlement")
    assert (row["amount"][0], row["ageing"][0]) == ("119.00", "31-60")


def test_cli_bad_month_fails(ws) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["reconcile", "--month", "2026-13", "-w", str(ws.root)])
    assert result.exit_code == 1
    assert "2026-13" in result.output


def test_a_month_without_data_is_a_clear_error(ws, store: Store) -> None:  # type: ignore[no-untyped-def]
    _october(ws, store)
    result = CliRunner().invoke(
        app, ["reconcile", "--month", "2026-12", "-w", str(ws.root), "--lang", "en"]
    )
    assert result.exit_code == 1
    assert "2026-10" in result.output and "2026-12" in result.output


def test_open_exceptions_of_a_month_without_data_is_empty(ws, store: Store) -> None:  # type: ignore[no-untyped-def]
    frame = open_exceptions(ws, store, "2026-10")
    assert frame.height == 0 and "amount" in frame.columns


def test_amazon_settlement_whose_total_is_off_by_a_cent_is_flagged(ws, store: Store) -> None:  # type: ignore[no-untyped-def]
    # The summary row is posted on the deposit date (2026-07-02): the check runs in July, over
    # the settlement's rows of June. The demo's settlement (tests/test_demo.py) adds up.
    ws.settings.setdefault("shops", {})["amazon"] = "云栖 Amazon US"
    drop(ws, MONTH_DIR / "amazon-settlement-v2-total-off.txt")
    assert [o.status for o in ingest(ws, store)] == ["imported"]
    assert reconcile(ws, store, "2026-06").exceptions.height == 0  # no order export: no lookups
    found = reconcile(ws, store, "2026-07").exceptions
    assert found.select("kind", "platform", "order_id", "amount").rows() == [
        ("amount_difference", "amazon", None, 1)
    ]
    assert "28471003921" in found["detail"][0] and "582.90" in found["detail"][0]
    assert "582.89" in found["detail_zh"][0]
    assert found["sources"].to_list() == ["amazon-settlement-v2-total-off.txt"]
