"""Golden cases: one per key and per basis, small enough to check by hand.

The month: order O1 = line a (SKU A, 2 units, 60.00, listing L1, waybill W1) + line b (SKU B,
1 unit, 40.00, listing L1, waybill W1); order O2 = line c (SKU C, 3 units, 30.00, listing L2,
waybill W2). Weights: A 500 g, B 1500 g, C unknown. Goods payments for O1 and O2 settle this
month, so SKU sales are A 60.00, B 40.00, C 30.00.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest

from finance.allocate import Inputs, allocate
from finance.rulebook.allocation import AllocationRules, FixedCost, MonthlyCost
from finance.schema import STORED

LINES = pl.LazyFrame(
    {
        "id": [1, 2, 3],
        "platform": ["tmall"] * 3,
        "shop": ["店"] * 3,
        "order_id": ["O1", "O1", "O2"],
        "line_id": ["a", "b", "c"],
        "sku": ["A", "B", "C"],
        "listing_id": ["L1", "L1", "L2"],
        "quantity": [2, 1, 3],
        "line_amount": [6000, 4000, 3000],
        "waybill": ["W1", "W1", "W2"],
    }
)
WEIGHTS = pl.LazyFrame({"sku": ["A", "B"], "weight_g": [500, 1500]})
RETURNS = pl.LazyFrame({"platform": ["tmall"], "order_id": ["O1"], "sku": ["B"], "amount": [1000]})
CAMPAIGNS = pl.LazyFrame({"platform": ["tmall"] * 2, "campaign": ["双11"] * 2, "sku": ["A", "C"]})
SALES = [
    {"category": "sales", "amount": 10000, "order_id": "O1"},
    {"category": "sales", "amount": 3000, "order_id": "O2"},
]


def _entries(rows: list[dict]) -> pl.LazyFrame:
    schema = {"id": pl.Int64, **STORED["ledger"]}
    full = [
        {
            "id": i + 1,
            "platform": "tmall",
            "shop": "店",
            "posted_at": datetime(2026, 10, 5),
            "month": "2026-10",
            "currency": "CNY",
            **row,
        }
        for i, row in enumerate(rows)
    ]
    return pl.DataFrame(full, schema=schema).lazy()


def _run(row: dict, **rules: object) -> list[tuple]:
    """(sku, amount, key, basis) of the parts of the one entry after the goods payments."""
    inputs = Inputs(
        lines=LINES,
        returns=RETURNS,
        weights=WEIGHTS,
        campaigns=CAMPAIGNS,
        rules=AllocationRules(**rules),
    )  # type: ignore[arg-type]
    parts = allocate(_entries([*SALES, row]), inputs).collect()
    mine = (
        parts.filter(pl.col("entry") == len(SALES) + 1)
        if "fixed" not in rules and "monthly" not in rules
        else parts.filter(pl.col("entry") < 0)
    )
    rows = mine.select("sku", "amount", "key", "basis").rows()
    return sorted(rows, key=lambda r: (r[0] or "", r[2], r[1]))


@pytest.mark.parametrize(
    ("row", "rules", "expected"),
    [
        pytest.param(  # revenue within an order: 60 : 40
            {"category": "commission", "amount": -500, "order_id": "O1"},
            {},
            [("A", -300, "order", "revenue"), ("B", -200, "order", "revenue")],
            id="order-revenue",
        ),
        pytest.param(  # quantity: 2 : 1 -> 667, 333 (the spare cent to the larger remainder)
            {"category": "commission", "amount": -1000, "order_id": "O1"},
            {"basis": {"commission": "quantity"}},
            [("A", -667, "order", "quantity"), ("B", -333, "order", "quantity")],
            id="order-quantity",
        ),
        pytest.param(  # weight: 2 x 500 : 1 x 1500 = 1000 : 1500
            {"category": "logistics", "amount": -1000, "order_id": "O1"},
            {"basis": {"logistics": "weight"}},
            [("A", -400, "order", "weight"), ("B", -600, "order", "weight")],
            id="order-weight",
        ),
        pytest.param(  # order_count within an order: one per line
            {"category": "commission", "amount": -1001, "order_id": "O1"},
            {"basis": {"commission": "order_count"}},
            [("A", -501, "order", "order_count"), ("B", -500, "order", "order_count")],
            id="order-order_count",
        ),
        pytest.param(  # a refund goes to the SKU the refund list names
            {"category": "refund", "amount": -1000, "order_id": "O1"},
            {},
            [("B", -1000, "order", "refund list amount")],
            id="refund-list",
        ),
        pytest.param(  # waybill W1 ships O1's lines
            {"category": "logistics", "amount": -900, "waybill": "W1"},
            {"basis": {"logistics": "weight"}},
            [("A", -360, "waybill", "weight"), ("B", -540, "waybill", "weight")],
            id="waybill",
        ),
        pytest.param(  # a listing's SKUs by their sales this month: 60 : 40
            {"category": "advertising", "amount": -1000, "listing_id": "L1"},
            {},
            [("A", -600, "listing", "revenue"), ("B", -400, "listing", "revenue")],
            id="listing-revenue",
        ),
        pytest.param(  # weight wanted, C has none: fall back to quantity (2 : 3), and say so
            {"category": "logistics", "amount": -1000, "campaign": "双11"},
            {"basis": {"logistics": "weight"}},
            [
                ("A", -400, "campaign", "quantity (no weight for every SKU)"),
                ("C", -600, "campaign", "quantity (no weight for every SKU)"),
            ],
            id="campaign-weight-fallback",
        ),
        pytest.param(  # shop and month by sales: 60 : 40 : 30
            {"category": "other_fee", "amount": -1300},
            {},
            [
                ("A", -600, "shop", "revenue"),
                ("B", -400, "shop", "revenue"),
                ("C", -300, "shop", "revenue"),
            ],
            id="shop-revenue",
        ),
        pytest.param(  # shop by order count: each SKU was in one order
            {"category": "other_fee", "amount": -1000},
            {"basis": {"other_fee": "order_count"}},
            [
                ("A", -334, "shop", "order_count"),
                ("B", -333, "shop", "order_count"),
                ("C", -333, "shop", "order_count"),
            ],
            id="shop-order_count",
        ),
        pytest.param(
            {"category": "logistics", "amount": -500, "waybill": "W9"},
            {},
            [(None, -500, "waybill", None)],
            id="waybill-unknown",
        ),
        pytest.param(
            {"category": "advertising", "amount": -500, "campaign": "618"},
            {},
            [(None, -500, "campaign", None)],
            id="campaign-unknown",
        ),
    ],
)
def test_key_and_basis(row: dict, rules: dict, expected: list[tuple]) -> None:
    assert _run(row, **rules) == expected


def test_fixed_cost_per_parcel_and_unit() -> None:
    fixed = (
        FixedCost("包装", "logistics", "parcel", 120),
        FixedCost("贴纸", "other_fee", "unit", 5),
    )
    got = _run({"category": "other_fee", "amount": 0}, fixed=fixed)
    # parcels W1 (A, B by revenue 60:40 of 1.20) and W2 (C); stickers 2, 1 and 3 units x 0.05
    assert got == [
        ("A", -10, "sku", "direct"),
        ("A", -72, "waybill", "revenue"),
        ("B", -5, "sku", "direct"),
        ("B", -48, "waybill", "revenue"),
        ("C", -15, "sku", "direct"),
        ("C", -120, "waybill", "revenue"),
    ]


def test_monthly_cost_by_its_own_basis() -> None:
    monthly = (MonthlyCost("仓库租金", "other_fee", 60000, "tmall", "店", "quantity"),)
    got = _run({"category": "other_fee", "amount": 0}, monthly=monthly)
    assert got == [  # units 2 : 1 : 3
        ("A", -20000, "shop", "quantity"),
        ("B", -10000, "shop", "quantity"),
        ("C", -30000, "shop", "quantity"),
    ]
