"""``pipeline.write_reports`` on a store that holds two months (the hand-checked October and a
September made from it): the prior month and the trend come from the store, every figure
matches ``finance export margins`` of its month, contributed sections reach both reports, and
a workspace template named after the shop overrides the shipped page. SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from finance import pipeline
from finance.export import margins_csv
from finance.ingest import ingest
from finance.section import Section

from .conftest import HANDCHECK, drop
from .test_report_workbook import LINES_EN, evaluate, hostile_section

INPUTS = ["ledger.csv", "orders.csv", "refunds.csv", "wanxiangtai.csv", "costs.csv"]


def september(folder: Path) -> Path:
    """The hand-checked ledger moved to September: new dates, new row ids, the same shapes."""
    text = (HANDCHECK / "ledger.csv").read_bytes().decode("gbk")
    for old, new in (
        ("2026年10月01日", "2026年09月01日"),
        ("2026年11月01日", "2026年10月01日"),
        ("2026-10-31", "2026-09-30"),
        ("2026-10-", "2026-09-"),
        ("202610", "202609"),
    ):
        text = text.replace(old, new)
    path = folder / "ledger-2026-09.csv"
    path.write_bytes(text.encode("gbk"))
    return path


@pytest.fixture
def two_months(ws, store, tmp_path):
    drop(ws, *(HANDCHECK / n for n in INPUTS), september(tmp_path))
    assert {o.status for o in ingest(ws, store)} == {"imported"}
    assert store.months() == ["2026-09", "2026-10"]
    return ws, store


def _export(ws, store, month: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(margins_csv(pipeline.month_result(ws, store, month)))))


def _total(rows: list[dict[str, str]], column: str) -> Decimal:
    return sum((Decimal(r[column]) for r in rows), Decimal(0))


def test_the_summary_compares_with_the_prior_month_in_the_store(two_months) -> None:
    ws, store = two_months
    paths = pipeline.write_reports(ws, store, "2026-10", lang="en")
    assert [p.name for p in paths] == ["pnl.xlsx", "report.html"]
    sheet = load_workbook(paths[0])["Summary"]
    assert sheet["A3"].value == "Prior month: 2026-09"
    now, before = _export(ws, store, "2026-10"), _export(ws, store, "2026-09")
    assert _total(before, "sales") > 0  # the prior month holds real figures
    total_col = next(c.column_letter for c in sheet[5] if c.value == "Total")
    prior_col = next(c.column_letter for c in sheet[5] if c.value == "Prior month")
    change_col = next(c.column_letter for c in sheet[5] if c.value == "Change")
    for column, name in LINES_EN.items():
        row = next(c.row for c in sheet["A"] if c.value == name)
        assert evaluate(sheet, f"{total_col}{row}") == _total(now, column), name
        assert evaluate(sheet, f"{prior_col}{row}") == _total(before, column), name
        assert evaluate(sheet, f"{change_col}{row}") == _total(now, column) - _total(before, column)
    page = paths[1].read_text("utf-8")
    assert "prior month" in page and 'id="chart-trend"' in page
    assert "2026-09</text>" in page and "2026-10</text>" in page  # both months on the trend


def test_the_first_month_has_no_prior(two_months) -> None:
    ws, store = two_months
    paths = pipeline.write_reports(ws, store, "2026-09", lang="en")
    sheet = load_workbook(paths[0])["Summary"]
    assert sheet["A3"].value == "The store holds no prior month to compare with."
    assert "The store holds only this month" in paths[1].read_text("utf-8")


def test_contributed_sections_reach_both_reports(
    two_months, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, store = two_months
    seen = []

    def provider(w, s, month: str) -> list[Section]:
        seen.append(month)
        return [hostile_section()]

    monkeypatch.setattr(pipeline, "providers", lambda: [provider])
    xlsx, page = pipeline.write_reports(ws, store, "2026-10", lang="en")
    assert seen == ["2026-10"]
    assert load_workbook(xlsx).sheetnames[-1] == "Reconciliation  <b>gaps< b>"
    text = page.read_text("utf-8")
    assert "Reconciliation: &lt;b&gt;gaps&lt;/b&gt;" in text and "<b>gaps" not in text


def test_a_shop_template_overrides_the_shipped_page(two_months) -> None:
    ws, store = two_months
    mine = ws.root / "templates"
    mine.mkdir()
    (mine / "report-测试店.html").write_text(
        '{% extends "base.html" %}{% block content %}SHOP PAGE{% endblock %}', encoding="utf-8"
    )
    page = pipeline.write_reports(ws, store, "2026-10", lang="en")[1].read_text("utf-8")
    assert "SHOP PAGE" in page


def test_sources_are_the_store_files_behind_the_month(two_months) -> None:
    ws, store = two_months
    xlsx = pipeline.write_reports(ws, store, "2026-09", lang="en")[0]
    sheet = load_workbook(xlsx)["Sources"]
    names = [c.value for c in sheet["A"][1:] if c.value != "Total"]
    files = store.files()
    used = files.filter((pl.col("name") == "ledger-2026-09.csv") | pl.col("first_date").is_null())[
        "name"
    ].to_list()
    assert set(used) <= set(names)
    assert "ledger.csv" not in names  # October's ledger is not behind September
