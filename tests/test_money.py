"""Parsing amounts to cents, and the largest-remainder split (with hypothesis properties)."""

from __future__ import annotations

from fractions import Fraction

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.money import cents_to_text, is_bad_amount, ratio_text, split, to_cents


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12.34", 1234),
        ("¥1,234.5", 123450),
        ("￥ 8 ", 800),
        ("-3", -300),
        ("+7.00", 700),
        ("0.125", 13),
        ("-0.005", -1),
        (".5", 50),
        ("1,234,567.89", 123456789),
        ("$29.56", 2956),
        ("-", None),
        ("NULL", None),
        ("", None),
    ],
)
def test_to_cents(text: str, cents: int | None) -> None:
    frame = pl.DataFrame({"t": [text]}).with_columns(
        pl.when(pl.col("t").is_in(["-", "NULL", ""])).then(None).otherwise(pl.col("t")).alias("t")
    )
    assert frame.select(to_cents(pl.col("t")).alias("t"))["t"][0] == cents


def test_eu_decimal_mark() -> None:
    out = pl.DataFrame({"t": ["95,00", "1.234,56"]}).select(
        to_cents(pl.col("t"), decimal_mark=",").alias("t")
    )
    assert out["t"].to_list() == [9500, 123456]


@pytest.mark.parametrize("text", ["abc", "12.3.4", "1O.00", "--5"])
def test_bad_amounts_are_flagged(text: str) -> None:
    assert pl.DataFrame({"t": [text]}).select(is_bad_amount(pl.col("t")).alias("t"))["t"][0] is True


def test_cents_to_text_and_ratio() -> None:
    frame = pl.DataFrame({"c": [0, 5, -5, 123456, -100], "d": [3, 3, 3, 0, 7]})
    out = frame.select(
        cents_to_text(pl.col("c")).alias("t"), ratio_text(pl.col("c"), pl.col("d")).alias("r")
    )
    assert out["t"].to_list() == ["0.00", "0.05", "-0.05", "1234.56", "-1.00"]
    assert out["r"].to_list() == ["0.0000", "1.6667", "-1.6667", None, "-14.2857"]


def _split(amounts: dict[int, int], weights: list[tuple[int, str, int]]) -> pl.DataFrame:
    rows = [(g, amounts[g], key, w) for g, key, w in weights]
    frame = pl.LazyFrame(
        rows, schema={"g": pl.Int64, "a": pl.Int64, "k": pl.String, "w": pl.Int64}, orient="row"
    )
    return split(frame, group=["g"], amount="a", weight="w", tiebreak=["k"]).collect()


groups = st.dictionaries(st.integers(0, 5), st.integers(-(10**12), 10**12), min_size=1, max_size=4)


@st.composite
def problems(draw):  # type: ignore[no-untyped-def]
    amounts = draw(groups)
    weights = []
    for g in amounts:
        n = draw(st.integers(1, 6))
        for i in range(n):
            weights.append((g, f"k{i}", draw(st.integers(0, 10**10))))
    return amounts, weights


@settings(max_examples=200, deadline=None)
@given(problems())
def test_split_conserves_every_cent(problem) -> None:  # type: ignore[no-untyped-def]
    amounts, weights = problem
    out = _split(amounts, weights)
    totals = dict(out.group_by("g").agg(pl.col("part").sum()).rows())
    assert totals == amounts


@settings(max_examples=200, deadline=None)
@given(problems(), st.randoms())
def test_split_ignores_row_order(problem, rnd) -> None:  # type: ignore[no-untyped-def]
    amounts, weights = problem
    shuffled = weights[:]
    rnd.shuffle(shuffled)
    a = _split(amounts, weights).sort("g", "k").rows()
    b = _split(amounts, shuffled).sort("g", "k").rows()
    assert a == b


@settings(max_examples=200, deadline=None)
@given(problems())
def test_split_parts_are_fair_and_signed(problem) -> None:  # type: ignore[no-untyped-def]
    amounts, weights = problem
    out = _split(amounts, weights)
    totals = {g: sum(w for gg, _, w in weights if gg == g) for g in amounts}
    counts = {g: sum(1 for gg, _, _ in weights if gg == g) for g in amounts}
    for g, _, k, w, part in out.select("g", "a", "k", "w", "part").rows():
        amount = amounts[g]
        exact = Fraction(amount * w, totals[g]) if totals[g] else Fraction(amount, counts[g])
        assert abs(part - exact) < 1, (g, k, part, exact)  # within one cent of the exact share
        assert part == 0 or (part > 0) == (amount > 0)  # never the opposite sign


def _reference(text: str, scale: int) -> int | None:
    """An amount as a person reads it: sign, digits, the first ``scale + 1`` decimals, the
    last of them rounding half up (Python's Decimal, no polars)."""
    import re
    from decimal import ROUND_HALF_UP, Decimal

    cleaned = re.sub(r"[¥￥$€£\s]", "", text).replace(",", "")
    if not re.fullmatch(r"[+-]?([0-9]{1,11}(\.[0-9]*)?|\.[0-9]+)", cleaned):
        return None
    whole, _, frac = cleaned.lstrip("+-").partition(".")
    value = Decimal(f"{whole or 0}.{frac[: scale + 1] or 0}")
    cents = int(value.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP).scaleb(scale))
    return -cents if cleaned.startswith("-") else cents


AMOUNT_TEXT = st.one_of(
    st.text(alphabet="0123456789.,-+¥ e", max_size=16),
    st.builds(
        lambda sign, whole, frac: f"{sign}{whole}.{frac}",
        st.sampled_from(["", "-", "+"]),
        st.integers(0, 10**11 - 1),
        st.text(alphabet="0123456789", max_size=10),
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(AMOUNT_TEXT, min_size=1, max_size=20), st.sampled_from([0, 2, 4, 6]))
def test_to_cents_reads_every_text_as_a_person_does(texts: list[str], scale: int) -> None:
    """Exact, half up on the first cut-off digit, null for what is not a number (exponents,
    more than 11 digits before the point): the same as a Decimal reading, text by text."""
    got = pl.DataFrame({"t": texts}).select(to_cents(pl.col("t"), scale=scale))["t"].to_list()
    assert got == [_reference(t, scale) for t in texts]


@pytest.mark.parametrize("text", ["１２.５", "123456789012.00", "1" * 30, "3e5"])
def test_numbers_no_amount_can_hold_are_bad_amounts_not_a_crash(text: str) -> None:
    """Full-width digits, amounts of a hundred billion or more, exponents: flagged as bad
    (the file is rejected naming the cell), never a traceback."""
    frame = pl.DataFrame({"t": [text]})
    assert frame.select(is_bad_amount(pl.col("t")))["t"][0]
    assert frame.select(to_cents(pl.col("t"), scale=6))["t"][0] is None
