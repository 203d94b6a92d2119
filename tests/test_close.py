"""Month-end close (issue 17 item 5), on SQLite and PostgreSQL: a closed month's report,
margins and vouchers no longer change; late rows dated in it are booked in the first open month
as listed adjustments; a rebuild writes its rows as they were; closing warns first; reopening
is recorded with its reason."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from sqlalchemy import column

from finance import pipeline
from finance.books.close import close_month, reopen_month
from finance.books.export import render
from finance.errors import FinanceError
from finance.month import month_result, one_pass
from finance.report.adjustments import section
from finance.status import adjustments, closed_months
from finance.store import closing
from finance.workspace import Workspace
from tests.books_case import load_case

OCT, NOV = "2026-10", "2026-11"


def _figures(ws: Workspace, store, month: str) -> tuple[pl.DataFrame, bytes]:  # type: ignore[no-untyped-def]
    with one_pass(store):
        pnl = month_result(ws, store, month).pnl
    return pnl, render(ws, store, month, "csv").data


def test_closing_warns_first_and_closes_nothing(ws: Workspace) -> None:
    store = pipeline.open_store(ws)
    try:
        load_case(store)
        done = close_month(ws, store, OCT)
        assert not done.closed
        said = " ".join(w["en"] for w in done.warnings)
        assert "suspense" in said and "-2.00" in said  # the unknown fee
        assert "not matched to a bank receipt" in said  # the 提现 with no bank statement
        assert all(w["zh-CN"] for w in done.warnings)
        assert closed_months(store).is_empty()
    finally:
        store.close()


def test_a_closed_month_stays_as_it_was_and_late_rows_are_adjustments(ws: Workspace) -> None:
    store = pipeline.open_store(ws)
    try:
        load_case(store)
        before = _figures(ws, store, OCT)
        assert close_month(ws, store, OCT, force=True, by="tester").closed
        assert closed_months(store)["month"].to_list() == [OCT]
        # a late statement: two rows dated in October, one in November
        load_case(store, ledger="late.csv", extras=False)
        october = store.frame("ledger", column("month") == OCT)
        assert october.height == 13  # as closed
        november = store.frame("ledger", column("month") == NOV)
        assert sorted(november["posted_at"].dt.strftime("%Y-%m").to_list()) == [OCT, OCT, NOV]
        # nor does a new unit cost in force in October
        with store.transaction() as conn:
            fid = store.add_file(
                conn, name="cost.csv", sha256="c" * 64, format="sku-costs", kind="unit_costs",
                platform="own", encoding="utf-8",
            )  # fmt: skip
            cost = {"file_id": fid, "source_row": 2, "natural_key": "cost.csv:2", "sku": "SKU-A"}
            cost |= {"unit_cost": 50_0000, "effective_from": date(2026, 10, 1), "currency": "CNY"}
            store.insert_rows(conn, "unit_costs", pl.DataFrame([cost | {"weight_g": None}]))
        pnl, csv = _figures(ws, store, OCT)
        assert pnl.equals(before[0]) and csv == before[1]
        # the report of November lists the adjustments with their original month
        (listed,) = section(ws, store, NOV)
        assert listed.frame["original_month"].to_list() == [OCT, OCT]
        assert listed.frame["amount"].sum() == 97_00
        assert "2026-11" in listed.summary["en"][0]
        late = adjustments(store)
        assert late.select("month", "original_month", "rows").row(0) == (NOV, OCT, 2)
        # November's books carry them, against the same accounts
        with one_pass(store):
            assert int(month_result(ws, store, NOV).pnl["sales"].sum()) == 160_00
    finally:
        store.close()


def test_a_rebuild_writes_the_closed_month_as_it_was(ws: Workspace) -> None:
    store = pipeline.open_store(ws)
    try:
        load_case(store)
        close_month(ws, store, OCT, force=True)
        before = store.frame("ledger", column("month") == OCT).sort("natural_key")
        with store.transaction() as conn:
            store.clear(conn)
        load_case(store, ledger="reclassified.csv")  # a rule now maps the unknown fee
        after = store.frame("ledger", column("month") == OCT).sort("natural_key")
        keep = [c for c in before.columns if c not in ("id", "file_id")]
        assert after.select(keep).equals(before.select(keep))
        assert "unclassified" in after["category"].to_list()
        assert store.frame("ledger", column("month") == NOV).is_empty()
    finally:
        store.close()


def test_reopen_is_recorded_with_its_reason_and_recomputes(ws: Workspace) -> None:
    store = pipeline.open_store(ws)
    try:
        load_case(store)
        close_month(ws, store, OCT, force=True, by="tester")
        with pytest.raises(FinanceError) as twice:
            close_month(ws, store, OCT, force=True)
        assert twice.value.key == "close_already"
        with pytest.raises(FinanceError) as no_reason:
            reopen_month(ws, store, OCT, reason="  ")
        assert no_reason.value.key == "reopen_no_reason"
        reopen_month(ws, store, OCT, reason="京东对账单晚到", by="tester")
        assert closed_months(store).is_empty()
        with store.engine.connect() as conn:
            log = closing.events(conn, OCT)
            assert closing.snapshot(conn, OCT) is None
        assert log["action"].to_list() == ["close", "reopen"]
        assert log["reason"][1] == "京东对账单晚到"
        with pytest.raises(FinanceError) as open_month:
            reopen_month(ws, store, OCT, reason="again")
        assert open_month.value.key == "close_not_closed"
        # open again: late rows now stay in their own month
        load_case(store, ledger="late.csv", extras=False)
        assert store.frame("ledger", column("month") == OCT).height == 15
    finally:
        store.close()


def test_the_cli_closes_with_yes_and_status_shows_it(ws: Workspace) -> None:
    from typer.testing import CliRunner

    from finance.cli import app

    store = pipeline.open_store(ws)
    load_case(store)
    store.close()
    runner = CliRunner()
    root = str(ws.root)
    refused = runner.invoke(app, ["close", "--month", OCT, "--workspace", root])
    assert refused.exit_code == 1 and "--yes" in refused.output
    done = runner.invoke(app, ["close", "--month", OCT, "--yes", "--workspace", root])
    assert done.exit_code == 0, done.output
    status = runner.invoke(app, ["status", "--workspace", root])
    assert "已结账的月份" in status.output and OCT in status.output
    again = runner.invoke(app, ["export", "books", "--month", OCT, "--workspace", root])
    assert again.exit_code == 0 and "已结账" in again.output
    back = runner.invoke(app, ["reopen", "--month", OCT, "--workspace", root])
    assert back.exit_code == 1 and "--reason" in back.output
