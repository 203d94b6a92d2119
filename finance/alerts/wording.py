"""Exact comparisons and the words of an alert: ratios compared in integer arithmetic
(``a * 10**6`` against ``P * b``), figures and thresholds as text, one message per row."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import polars as pl

from finance import i18n
from finance.alerts.rules import MILLION, AlertRule
from finance.money import cents_to_text
from finance.schema import ALERT_SCHEMA

if TYPE_CHECKING:
    pass


def _ratio_lt(num: pl.Expr, den: pl.Expr, millionths: int) -> pl.Expr:
    """num / den < millionths / 10**6, for den > 0, exactly."""
    return num.cast(pl.Int128) * MILLION < den.cast(pl.Int128) * millionths


def _ratio_gt(num: pl.Expr, den: pl.Expr, millionths: int) -> pl.Expr:
    return num.cast(pl.Int128) * MILLION > den.cast(pl.Int128) * millionths


def _bp(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """num / den in basis points (1/100 of a percent), rounded half away from zero."""
    n = num.cast(pl.Int128) * 10_000
    d = den.cast(pl.Int128)
    q = ((n.abs() * 2 + d.abs()) // (d.abs() * 2)).cast(pl.Int64)
    return pl.when((n < 0) != (d < 0)).then(-q).otherwise(q)


def _pct_text(bp: pl.Expr) -> pl.Expr:
    return pl.concat_str([cents_to_text(bp), pl.lit("%")])


def _pct_threshold(millionths: int) -> str:
    return f"{Decimal(millionths).scaleb(-4).normalize():f}%"


def _money_threshold(cents: int) -> str:
    return f"{Decimal(cents).scaleb(-2):.2f}"


def sentence(key: str, lang: str, **fields: pl.Expr) -> pl.Expr:
    """The message ``key`` in ``lang`` as an expression (an empty figure shows as ``-``)."""
    return i18n.column_text(key, lang, missing="-", **fields)


def _finish(frame: pl.DataFrame, rule: AlertRule, message: pl.Expr) -> pl.DataFrame:
    """Add severity, message and key; keep the alert columns."""
    if "severity" not in frame.columns:
        frame = frame.with_columns(severity=pl.lit(rule.severity))
    return frame.with_columns(
        rule=pl.lit(rule.name),
        message=message,
        key=pl.concat_str(
            [pl.lit(rule.name), *(pl.col(c).fill_null("") for c in ("platform", "shop", "sku"))],
            separator="|",
        ),
    ).select(pl.col(c).cast(t) for c, t in ALERT_SCHEMA.items())


def _where(lang: str) -> pl.Expr:
    """``SKU（平台/店铺）`` / ``SKU (platform/shop)``: who an alert is about."""
    return sentence(
        "alert_where", lang, sku=pl.col("sku"), platform=platform_label(lang), shop=pl.col("shop")
    )


def platform_label(lang: str) -> pl.Expr:
    """The ``platform`` column as people name it (天猫 / Tmall)."""
    from finance.report.labels import platform_expr

    return platform_expr(lang)
