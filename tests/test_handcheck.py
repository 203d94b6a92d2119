"""The whole pipeline on a month small enough to compute by hand (see fixtures_e2e/handcheck).

``expected-margins.csv`` was written by hand from the arithmetic in that folder's README; the
export must match it byte for byte, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import polars as pl

from finance import pipeline
from finance.export import margins_csv
from finance.ingest import ingest
from finance.schema import EXCLUDED

from .conftest import HANDCHECK, drop

INPUTS = ["ledger.csv", "orders.csv", "refunds.csv", "wanxiangtai.csv", "costs.csv"]


def _run(ws, store):
    drop(ws, *(HANDCHECK / n for n in INPUTS))
    outcomes = ingest(ws, store)
    assert [o.status for o in outcomes] == ["imported"] * 5
    return pipeline.month_result(ws, store, "2026-10")


def test_export_matches_hand_computation(ws, store):
    result = _run(ws, store)
    expected = (HANDCHECK / "expected-margins.csv").read_text(encoding="utf-8")
    assert margins_csv(result) == expected


def test_every_cent_lands_somewhere(ws, store):
    result = _run(ws, store)
    entries = result.entries.filter(~pl.col("category").is_in(list(EXCLUDED)))
    by_entry = result.parts.filter(pl.col("entry").is_not_null() & (pl.col("category") != "cogs"))
    # per category: what was imported equals what the parts carry (SKUs plus unallocated)
    imported = entries.group_by("category").agg(pl.col("amount").sum()).sort("category")
    allocated = by_entry.group_by("category").agg(pl.col("amount").sum()).sort("category")
    assert imported.to_dicts() == allocated.to_dicts()
    # per entry too: no entry lost a cent, none gained one
    per_entry = by_entry.group_by("entry").agg(pl.col("amount").sum()).sort("entry")
    assert per_entry.rows() == entries.select("id", "amount").sort("id").rows()


def test_transfers_are_shown_not_counted(ws, store):
    result = _run(ws, store)
    assert result.excluded.select("category", "amount", "rows").to_dicts() == [
        {"category": "transfer", "amount": -60000, "rows": 2}
    ]


def test_unallocated_rows_say_why(ws, store):
    result = _run(ws, store)
    reasons = set(result.parts.filter(pl.col("sku").is_null())["reason"].to_list())
    assert reasons == {"order 9999 is in no order export", "listing 9003 is in no order export"}


def test_missing_cost_is_flagged_not_zero(ws, store):
    result = _run(ws, store)
    flags = dict(
        result.pnl.filter(pl.col("sku").is_not_null()).select("sku", "cost_missing").rows()
    )
    assert flags == {"SKU-A": False, "SKU-B": False, "SKU-C": True}


def test_unsellable_return_is_a_return_cost(ws, store, tmp_path):  # type: ignore[no-untyped-def]
    """The refund list marks SKU-A's returned unit 破损: it leaves COGS as a resellable return
    would, but its 25.00 unit cost is lost, as return_cost: margin 16.64 - 25.00 = -8.36."""
    text = (HANDCHECK / "refunds.csv").read_bytes().decode("gbk")
    damaged = tmp_path / "refunds.csv"
    damaged.write_bytes(
        text.replace("售后,,2026-10-20", "售后,外包装破损 不可二次销售,2026-10-20").encode("gbk")
    )
    drop(ws, *(HANDCHECK / n for n in INPUTS if n != "refunds.csv"), damaged)
    assert {o.status for o in ingest(ws, store)} == {"imported"}
    a = pipeline.month_result(ws, store, "2026-10").pnl.row(0, named=True)
    assert a["sku"] == "SKU-A"
    assert (a["cogs"], a["return_cost"], a["true_margin"]) == (4000, 2550, -836)


def test_order_basis_moves_money_between_months_without_losing_any(ws, store):  # type: ignore[no-untyped-def]
    """Cohort view: the orders were paid in September, so their entries count in 2026-09;
    entries with no order (the yearly fee, the ads) stay in October. Together, the same money."""
    drop(ws, *(HANDCHECK / n for n in INPUTS))
    ingest(ws, store)
    posting = pipeline.month_result(ws, store, "2026-10")
    sept = pipeline.month_result(ws, store, "2026-09", period="order")
    octo = pipeline.month_result(ws, store, "2026-10", period="order")
    assert sept.period == octo.period == "order"
    assert set(sept.entries["order_id"].drop_nulls()) == {"1001", "1002", "1003"}
    assert octo.entries.filter(pl.col("order_id").is_not_null())["order_id"].to_list() == [
        "9999",
        "9999",
    ]  # order 9999 is in no export: it keeps its posting month
    for column in ("sales", "refund", "commission", "advertising", "unclassified", "cogs"):
        both = sept.pnl[column].sum() + octo.pnl[column].sum()
        assert both == posting.pnl[column].sum(), column
    # with no SKU sales in October's cohort, the yearly fee cannot be spread: it says why
    reasons = set(octo.parts.filter(pl.col("sku").is_null())["reason"].to_list())
    assert "the shop has no SKU sales this month" in reasons


def test_a_fallback_basis_is_said_in_both_reports(ws, store):  # type: ignore[no-untyped-def]
    """Commission by weight, but the cost table has no weights: it falls back to quantity, and
    the page and the workbook say so."""
    from openpyxl import load_workbook

    (ws.rules / "allocation.toml").write_text(
        '[basis]\ncommission = "weight"\n\n[fallback]\nweight = "quantity"\n', encoding="utf-8"
    )
    drop(ws, *(HANDCHECK / n for n in INPUTS))
    ingest(ws, store)
    result = pipeline.month_result(ws, store, "2026-10")
    said = "quantity (no weight for every SKU)"
    commission = result.parts.filter(
        pl.col("category") == "commission", pl.col("key") == "order", pl.col("sku").is_not_null()
    )
    assert set(commission["basis"]) == {said}
    # order 1001: 7.50 by units 2 : 1 (not by amount 100 : 50, which happens to be the same)
    assert result.pnl.filter(pl.col("sku") == "SKU-A")["commission"].item() == 500 + 300
    xlsx, html = pipeline.write_reports(ws, store, "2026-10", lang="en")
    assert said in html.read_text(encoding="utf-8")
    sheet = load_workbook(xlsx)["Allocation"]
    assert said in [c.value for row in sheet.iter_rows() for c in row]
