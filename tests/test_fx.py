"""Currency conversion: exact, per entry, rounding documented (finance/fx.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.errors import FinanceError
from finance.fx import to_base
from finance.schema import RATE_SCALE

from .test_allocate_properties import _run, months

UNIT = 10**RATE_SCALE
CURRENCIES = ["CNY", "USD", "AED", "CAD"]

entry = st.tuples(
    st.integers(-(10**11), 10**11),  # cents, up to a billion in either direction
    st.sampled_from(CURRENCIES),
    st.integers(0, 60),  # day offset from 2026-09-01
)
rate = st.integers(1, 50 * UNIT)  # up to 50 units of base per unit


def _entries(rows: list[tuple[int, str, int]]) -> pl.DataFrame:
    start = datetime(2026, 9, 1, 12)
    return pl.DataFrame(
        {
            "amount": [r[0] for r in rows],
            "currency": [r[1] for r in rows],
            "posted_at": [start + timedelta(days=r[2]) for r in rows],
        },
        schema={"amount": pl.Int64, "currency": pl.String, "posted_at": pl.Datetime("us")},
    )


def _rates(table: dict[str, list[tuple[int, int]]]) -> pl.DataFrame:
    rows = [
        (date(2026, 9, 1) + timedelta(days=d), cur, r) for cur, rs in table.items() for d, r in rs
    ]
    return pl.DataFrame(
        rows, schema={"date": pl.Date, "currency": pl.String, "rate": pl.Int64}, orient="row"
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(entry, min_size=1, max_size=40))
def test_rate_one_changes_nothing(rows) -> None:  # type: ignore[no-untyped-def]
    entries = _entries(rows)
    rates = _rates({c: [(0, UNIT)] for c in CURRENCIES if c != "CNY"})
    out = to_base(entries, rates, "CNY")
    assert out["amount"].to_list() == entries["amount"].to_list()
    assert out["original_currency"].to_list() == entries["currency"].to_list()
    assert set(out["currency"]) == {"CNY"}


@settings(max_examples=150, deadline=None)
@given(
    st.lists(entry, min_size=1, max_size=40),
    st.dictionaries(
        st.sampled_from(CURRENCIES[1:]),
        st.lists(
            st.tuples(st.integers(0, 60), rate), min_size=1, max_size=4, unique_by=lambda t: t[0]
        ),
        min_size=3,
    ),
)
def test_base_total_is_the_sum_of_exactly_converted_entries(rows, table) -> None:  # type: ignore[no-untyped-def]
    # Every currency has a rate on day 0, so every entry can be converted.
    table = {c: [(0, UNIT * 7), *[t for t in rs if t[0] != 0]] for c, rs in table.items()}
    out = to_base(_entries(rows), _rates(table), "CNY")

    def reference(cents: int, cur: str, day: int) -> int:
        if cur == "CNY":
            return cents
        r = max((t for t in table[cur] if t[0] <= day), key=lambda t: t[0])[1]
        exact = Decimal(cents) * Decimal(r) / UNIT
        return int(exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP))

    expected = [reference(*r) for r in rows]
    assert out["amount"].to_list() == expected  # row order kept, each entry exact
    assert out["amount"].sum() == sum(expected)


def test_the_nearest_earlier_rate_is_used_and_a_missing_one_is_named() -> None:
    rates = _rates({"USD": [(0, 712500000), (14, 713020000)]})
    entries = _entries([(10000, "USD", 13), (10000, "USD", 14), (10000, "USD", 40)])
    assert to_base(entries, rates, "CNY")["amount"].to_list() == [71250, 71302, 71302]
    with pytest.raises(FinanceError) as info:
        to_base(_entries([(100, "AED", 3)]), rates, "CNY")
    assert info.value.fields["currency"] == "AED"
    assert info.value.fields["date"] == "2026-09-04"


@settings(max_examples=80, deadline=None)
@given(months(), st.lists(st.sampled_from(CURRENCIES), min_size=25, max_size=25), rate)
def test_allocated_parts_add_up_to_the_converted_entries(month, currencies, usd) -> None:  # type: ignore[no-untyped-def]
    """Convert first, then allocate: the parts of the month, in the base currency, add up to the
    converted entries, cent for cent (allocation never sees two currencies)."""
    entries, lines, returns = month
    for e, cur in zip(entries, currencies, strict=False):
        e["currency"] = cur
    rates = _rates({c: [(0, usd)] for c in CURRENCIES if c != "CNY"})
    frame = pl.DataFrame(
        [{"id": e["id"], "amount": e["amount"], "currency": e["currency"],
          "posted_at": e["posted_at"]} for e in entries],
        schema={"id": pl.Int64, "amount": pl.Int64, "currency": pl.String,
                "posted_at": pl.Datetime("us")},
    )  # fmt: skip
    converted = dict(to_base(frame, rates, "CNY").select("id", "amount").rows())
    for e in entries:
        e["amount"] = converted[e["id"]]
    parts = _run(entries, lines, returns)
    placed = dict(parts.group_by("entry").agg(pl.col("amount").sum()).rows())
    kept = [e for e in entries if e["category"] != "transfer"]
    assert {e["id"]: e["amount"] for e in kept} == {i: placed[i] for i in (e["id"] for e in kept)}
    assert parts["amount"].sum() == sum(e["amount"] for e in kept)


def test_a_month_all_in_the_base_currency_comes_back_as_the_conversion_gives_it() -> None:
    """The shortcut for a month with nothing to convert gives what converting gives."""
    from finance import fx

    entries = pl.DataFrame(
        {
            "posted_at": [datetime(2026, 10, d) for d in (3, 1, 2)],
            "currency": ["CNY"] * 3,
            "amount": [12345, -1, 0],
            "memo": ["a", None, "c"],
        }
    )
    rates = pl.DataFrame(
        {"date": [date(2026, 10, 1)], "currency": ["USD"], "rate": [720_000_000]},
        schema=fx.RATES_SCHEMA,
    )
    short = fx.to_base(entries, rates, "CNY")
    mixed = pl.concat(
        [entries, entries.head(1).with_columns(currency=pl.lit("USD"))], how="vertical"
    )
    full = fx.to_base(mixed, rates, "CNY").head(3)  # the conversion path, same three rows
    assert short.equals(full) and short.schema == full.schema
