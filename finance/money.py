"""Money is integer cents (fen), never floats.

Parsing text to cents and cents back to text are polars expressions, so they run on whole
columns. ``split`` divides amounts over weights by the largest-remainder method: the parts of an
amount always add up to the amount, to the cent, whatever the order of the input rows.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl

NULL_TOKENS = ("", "-", "—", "--", "NULL", "null", "None", "N/A", "n/a")


def clean_amount_text(expr: pl.Expr, *, decimal_mark: str = ".") -> pl.Expr:
    """Strip currency signs, spaces and thousands separators; EU files use ``decimal_mark=','``."""
    out = expr.str.replace_all(r"[¥￥$€£\s]", "").str.replace_all("（", "(")
    if decimal_mark == ",":
        out = out.str.replace_all(r"\.", "").str.replace_all(",", ".")
    else:
        out = out.str.replace_all(",", "")
    return out


NUMBER = r"^[+-]?([0-9]{1,11}(\.[0-9]*)?|\.[0-9]+)$"
"""An amount after ``clean_amount_text``: ASCII digits, at most 11 before the point (under a
hundred billion), so every amount fits 64-bit integers at six decimal places."""


def to_cents(expr: pl.Expr, *, decimal_mark: str = ".", scale: int = 2) -> pl.Expr:
    """Text amount to integer units of ``10**-scale`` (cents for scale 2), rounding half up.

    Null tokens (``-``, ``NULL``, empty) give null; text that is not a number gives null too,
    and ``is_bad_amount`` tells those apart so the caller can name the bad cell.

    The digits beyond ``scale + 1`` are cut off, the rest is read exactly as a decimal of
    ``scale + 1`` places (polars' string-to-decimal cast, no float), and the last place rounds
    half up: ``0.125`` -> 13 cents, ``-0.125`` -> -13, ``1.2349`` -> 123.
    """
    text = clean_amount_text(expr, decimal_mark=decimal_mark)
    kept = text.str.replace(rf"^([+-]?[0-9]*\.[0-9]{{{scale + 1}}})[0-9]+$", "${1}")
    raw = (
        pl.when(text.str.contains(NUMBER))
        .then(kept)
        .cast(pl.Decimal(38, scale + 1), strict=False)
        .to_physical()
        .cast(pl.Int64)
    )
    magnitude = (raw.abs() + 5) // 10
    return pl.when(raw < 0).then(-magnitude).otherwise(magnitude)


def is_bad_amount(expr: pl.Expr, *, decimal_mark: str = ".") -> pl.Expr:
    """True where the cell holds text that is neither empty/null-like nor a number (nor a
    number too large for an amount, nor one written in full-width digits)."""
    text = clean_amount_text(expr, decimal_mark=decimal_mark)
    return (
        expr.is_not_null()
        & ~expr.str.strip_chars().is_in(list(NULL_TOKENS))
        & ~text.str.contains(NUMBER)
    )


def cents_to_text(expr: pl.Expr) -> pl.Expr:
    """Cents to a decimal string with two places: ``-1234`` -> ``"-12.34"``."""
    magnitude = expr.abs()
    return pl.concat_str(
        [
            pl.when(expr < 0).then(pl.lit("-")).otherwise(pl.lit("")),
            (magnitude // 100).cast(pl.String),
            pl.lit("."),
            (magnitude % 100).cast(pl.String).str.zfill(2),
        ]
    )


def format_cents(cents: int, *, grouped: bool = False) -> str:
    """One amount of cents as text with two places (for messages and single cells);
    ``grouped`` adds thousands separators (``12,345.60``) for figures people read."""
    sign = "-" if cents < 0 else ""
    whole = f"{abs(cents) // 100:,}" if grouped else str(abs(cents) // 100)
    return f"{sign}{whole}.{abs(cents) % 100:02d}"


def cents_to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def ratio_text(numerator: pl.Expr, denominator: pl.Expr, *, places: int = 4) -> pl.Expr:
    """``numerator / denominator`` as a decimal string rounded half up, null when dividing by 0.

    Exact integer arithmetic: no float is involved.
    """
    scale = 10**places
    num = numerator.cast(pl.Int128) * scale
    den = denominator.cast(pl.Int128)
    q_abs = ((num.abs() * 2 + den.abs()) // (den.abs() * 2)).cast(pl.Int64)
    negative = (num < 0) != (den < 0)
    q = pl.when(negative & (q_abs != 0)).then(-q_abs).otherwise(q_abs)
    text = pl.concat_str(
        [
            pl.when(q < 0).then(pl.lit("-")).otherwise(pl.lit("")),
            (q.abs() // scale).cast(pl.String),
            pl.lit("."),
            (q.abs() % scale).cast(pl.String).str.zfill(places),
        ]
    )
    return pl.when(den != 0).then(text)


def round_half_up_div(numerator: pl.Expr, denominator: int) -> pl.Expr:
    """Integer division rounding half away from zero, e.g. units x cost(1e-4) -> cents."""
    num = numerator.cast(pl.Int128)
    q = ((num.abs() * 2 + denominator) // (2 * denominator)).cast(pl.Int64)
    return pl.when(num < 0).then(-q).otherwise(q)


def split(
    frame: pl.LazyFrame,
    *,
    group: list[str],
    amount: str,
    weight: str,
    tiebreak: list[str],
    out: str = "part",
) -> pl.LazyFrame:
    """Split each group's ``amount`` over its rows in proportion to ``weight``.

    ``frame`` has one row per (group, recipient); ``amount`` repeats the group's whole amount
    on each row. Parts are whole cents and add up to the amount exactly (largest remainder):
    each row first gets the floor of its exact share, and the cents left over go one each to the
    rows with the largest remainders, ties broken by ``tiebreak`` so the result does not depend
    on row order. Negative weights count as zero; a group whose weights are all zero is split
    equally. A part never has the opposite sign of its amount.

    A row alone in its group takes the whole amount (what the arithmetic below gives it); only
    groups of several rows go through the arithmetic and its sort (on a big month most entries
    have one recipient: this halves the time).
    """
    several = pl.len().over(group) > 1
    alone = frame.filter(~several).with_columns(pl.col(amount).cast(pl.Int64).alias(out))
    shared = _largest_remainder(
        frame.filter(several), group=group, amount=amount, weight=weight, tiebreak=tiebreak, out=out
    )
    return pl.concat([alone, shared])


def _largest_remainder(
    frame: pl.LazyFrame,
    *,
    group: list[str],
    amount: str,
    weight: str,
    tiebreak: list[str],
    out: str,
) -> pl.LazyFrame:
    w = pl.col(weight).cast(pl.Int128).clip(lower_bound=0)
    total = w.sum().over(group)
    w_eff = pl.when(total == 0).then(pl.lit(1, pl.Int128)).otherwise(w)
    a = pl.col(amount).cast(pl.Int128)
    frame = frame.with_columns(__w=w_eff).with_columns(
        __num=a.abs() * pl.col("__w"), __tot=pl.col("__w").sum().over(group)
    )
    frame = frame.with_columns(
        __floor=pl.col("__num") // pl.col("__tot"), __rem=pl.col("__num") % pl.col("__tot")
    )
    frame = frame.with_columns(__left=a.abs() - pl.col("__floor").sum().over(group)).sort(
        [*group, "__rem", *tiebreak],
        descending=[False] * len(group) + [True] + [False] * len(tiebreak),
        nulls_last=True,
    )
    frame = frame.with_columns(__rank=pl.int_range(1, pl.len() + 1).over(group))
    magnitude = (pl.col("__floor") + (pl.col("__rank") <= pl.col("__left")).cast(pl.Int128)).cast(
        pl.Int64
    )
    return frame.with_columns(
        pl.when(pl.col(amount) < 0).then(-magnitude).otherwise(magnitude).alias(out)
    ).drop(["__w", "__num", "__tot", "__floor", "__rem", "__left", "__rank"])


def to_decimal_places(value: str, places: int = 2) -> Decimal:
    """Parse one decimal string exactly (for settings and tests), rounded half up."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
