"""Properties of the workbook's live formulas, for any month: every total the workbook computes
(Summary's total column, the SKU sheet's total row, the cost structure's net sales and true
margin) equals the sum of the P&L cents it stands for, exactly."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from finance.margin import MonthResult
from finance.money import ratio_text
from finance.report import write_workbook
from finance.report.charts import waterfall
from finance.report.html import money_text
from finance.schema import PNL_COLUMNS

from .test_report_workbook import COSTS, LINES_EN, evaluate, sample_result

SHOPS = [("tmall", "甲店"), ("tmall", "乙店"), ("jd", "=丙店")]
cents = st.integers(min_value=-(10**9), max_value=10**9)
row = st.fixed_dictionaries(
    {
        "shop": st.sampled_from(SHOPS),
        "sku": st.one_of(st.none(), st.sampled_from(["A", "B", "-C", "@D"])),
        **{c: cents for c in PNL_COLUMNS},
        "units_sold": st.integers(0, 10_000),
        "units_returned": st.integers(0, 100),
    }
)


def _result(rows: list[dict]) -> MonthResult:
    records = []
    seen = set()
    for r in rows:
        key = (*r["shop"], r["sku"])
        if key in seen:
            continue
        seen.add(key)
        money = {c: r[c] for c in PNL_COLUMNS}
        margin = (
            money["sales"]
            + money["platform_subsidy"]
            + money["unclassified"]
            - sum(money[c] for c in COSTS)
        )
        records.append(
            {"platform": key[0], "shop": key[1], "sku": key[2]}
            | money
            | {
                "true_margin": margin,
                "units_sold": r["units_sold"],
                "units_returned": r["units_returned"],
                "returns_inferred": False,
                "cost_missing": False,
            }
        )
    pnl = pl.DataFrame(records).with_columns(
        margin_pct=ratio_text(pl.col("true_margin"), pl.col("sales") - pl.col("refund"))
    )
    base = sample_result()
    return MonthResult(
        month="2026-10",
        parts=base.parts.clear(),
        pnl=pnl,
        excluded=base.excluded.clear(),
        entries=base.entries.clear(),
        files=base.files.clear(),
    )


def _row(ws, text: str) -> int:
    return next(c.row for c in ws["A"] if c.value == text)


@settings(max_examples=25, deadline=None)
@given(st.lists(row, min_size=1, max_size=8))
def test_every_live_total_is_the_sum_of_its_cents(rows: list[dict]) -> None:
    result = _result(rows)
    pnl = result.pnl
    with tempfile.TemporaryDirectory() as folder:
        book = load_workbook(write_workbook(result, Path(folder) / "pnl.xlsx", lang="en"))
    summary, skus, costs = book["Summary"], book["SKUs"], book["Cost structure"]
    total_col = [c.value for c in summary[5]].index("Total") + 1
    for column, name in LINES_EN.items():
        expected = Decimal(int(pnl[column].sum())).scaleb(-2)
        cell = summary.cell(_row(summary, name), total_col).coordinate
        assert evaluate(summary, cell) == expected, name
        last = skus.max_row
        col = [c.value for c in skus[1]].index(name) + 1
        assert evaluate(skus, skus.cell(last, col).coordinate) == expected, name
    margin = Decimal(int(pnl["true_margin"].sum())).scaleb(-2)
    net = Decimal(int(pnl["sales"].sum() - pnl["refund"].sum())).scaleb(-2)
    total_col = [c.value for c in costs[4]].index("Total") + 1
    assert (
        evaluate(
            costs,
            costs.cell(_row(costs, "True margin (contribution margin)"), total_col).coordinate,
        )
        == margin
    )
    net_row = _row(costs, "Net sales (sales − refunds)")
    assert evaluate(costs, costs.cell(net_row, total_col).coordinate) == net


@settings(max_examples=50, deadline=None)
@given(st.lists(cents, min_size=1, max_size=12))
def test_the_waterfall_lands_on_the_result(steps: list[int]) -> None:
    """The last step ends where the result bar ends: sales minus every cost is the margin."""
    chart = waterfall(
        [(f"s{i}", v) for i, v in enumerate(steps)], ("margin", sum(steps)), title="t"
    )
    bars, links = chart.rects, [line for line in chart.lines if line.css == "link"]
    assert len(bars) == len(steps) + 1 and len(links) == len(steps)
    result = bars[-1]
    zero = next(line.y1 for line in chart.lines if line.css == "axis")
    end = result.y if result.y < zero else result.y + result.h
    if sum(steps) == 0:
        end = zero
    assert links[-1].y1 == end or abs(result.h) <= 1
    assert result.tip.endswith(money_text(sum(steps)))
