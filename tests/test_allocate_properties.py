"""Allocation invariants over random months (hypothesis): every cent of every entry is placed
once, whatever the row order, and a part never has the opposite sign of its entry."""

from __future__ import annotations

from datetime import datetime

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.allocate import Inputs, allocate
from finance.schema import STORED

CATS = [
    "sales",
    "refund",
    "commission",
    "payment_fee",
    "advertising",
    "promotion",
    "unclassified",
    "transfer",
]


@st.composite
def months(draw):  # type: ignore[no-untyped-def]
    n_orders = draw(st.integers(1, 6))
    skus = [f"S{i}" for i in range(draw(st.integers(1, 5)))]
    lines = []
    for o in range(n_orders):
        for j in range(draw(st.integers(0, 3))):  # an order may have no lines (unknown order)
            lines.append(
                {
                    "id": len(lines) + 1,
                    "platform": "tmall",
                    "shop": "店",
                    "order_id": f"O{o}",
                    "line_id": f"O{o}-{j}",
                    "sku": draw(st.sampled_from([*skus, None])),
                    "listing_id": draw(st.sampled_from(["L1", "L2", None])),
                    "quantity": draw(st.integers(1, 4)),
                    "line_amount": draw(st.integers(0, 10**7)),
                }
            )
    entries = []
    for i in range(draw(st.integers(1, 25))):
        key = draw(st.sampled_from(["order", "listing", "shop", "sku"]))
        entries.append(
            {
                "id": i + 1,
                "platform": "tmall",
                "shop": "店",
                "category": draw(st.sampled_from(CATS)),
                "amount": draw(st.integers(-(10**9), 10**9)),
                "order_id": f"O{draw(st.integers(0, n_orders))}" if key == "order" else None,
                "listing_id": draw(st.sampled_from(["L1", "L2", "L9"]))
                if key == "listing"
                else None,
                "sku": draw(st.sampled_from(skus)) if key == "sku" else None,
                "posted_at": datetime(2026, 10, 1 + i % 28),
            }
        )
    returns = (
        [
            {
                "id": 1,
                "platform": "tmall",
                "shop": "店",
                "order_id": "O0",
                "sku": skus[0],
                "amount": draw(st.integers(0, 10**6)),
            }
        ]
        if draw(st.booleans())
        else []
    )
    return entries, lines, returns


def _frame(rows: list[dict], kind: str, extra: dict) -> pl.LazyFrame:
    schema = {"id": pl.Int64, **STORED[kind]}
    frame = pl.DataFrame(
        rows, schema={k: v for k, v in schema.items() if k in (rows[0] if rows else extra)} | extra
    )
    have = set(frame.columns)
    return frame.lazy().with_columns(
        pl.lit(None, t).alias(c) for c, t in schema.items() if c not in have
    )


def _run(entries, lines, returns) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    e = _frame(entries, "ledger", {"id": pl.Int64})
    line_extra = {"id": pl.Int64, "order_id": pl.String, "line_amount": pl.Int64}
    lf = _frame(lines, "order_lines", line_extra)
    rf = _frame(returns, "returns", {"id": pl.Int64, "order_id": pl.String, "amount": pl.Int64})
    return allocate(e, Inputs(lines=lf, returns=rf)).collect()


@settings(max_examples=120, deadline=None)
@given(months())
def test_every_entry_is_conserved(month) -> None:  # type: ignore[no-untyped-def]
    entries, lines, returns = month
    parts = _run(entries, lines, returns)
    placed = dict(parts.group_by("entry").agg(pl.col("amount").sum()).rows())
    for e in entries:
        if e["category"] == "transfer":
            assert e["id"] not in placed  # shown elsewhere, never allocated
        else:
            assert placed[e["id"]] == e["amount"], e
    for entry, amount, category in parts.select("entry", "amount", "category").rows():
        source = entries[entry - 1]
        assert category == source["category"]
        assert amount == 0 or (amount > 0) == (source["amount"] > 0)


@settings(max_examples=60, deadline=None)
@given(months(), st.randoms())
def test_same_cents_whatever_the_row_order(month, rnd) -> None:  # type: ignore[no-untyped-def]
    entries, lines, returns = month
    shuffled = lines[:]
    rnd.shuffle(shuffled)
    cols = ["entry", "sku", "amount"]
    a = _run(entries, lines, returns).group_by(cols[:2]).agg(pl.col("amount").sum()).sort(cols[:2])
    b = (
        _run(entries, shuffled, returns)
        .group_by(cols[:2])
        .agg(pl.col("amount").sum())
        .sort(cols[:2])
    )
    assert a.rows() == b.rows()


@settings(max_examples=60, deadline=None)
@given(months())
def test_unallocated_parts_always_say_why(month) -> None:  # type: ignore[no-untyped-def]
    parts = _run(*month)
    unplaced = parts.filter(pl.col("sku").is_null())
    assert unplaced["reason"].null_count() == 0
