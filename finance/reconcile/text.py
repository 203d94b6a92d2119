"""Findings' details in every language, built column-wise from the i18n catalogue."""

from __future__ import annotations

import polars as pl

from finance import i18n


def detail(key: str, **fields: pl.Expr) -> dict[str, pl.Expr]:
    """``{"detail": <en>, "detail_zh": <zh-CN>}`` for each row, from message ``key``.

    Each ``{name}`` of the message takes the row's value of ``fields[name]`` (text).
    """
    return {
        column: i18n.column_text(key, lang, **fields)
        for lang, column in (("en", "detail"), ("zh-CN", "detail_zh"))
    }


KIND_NAMES = i18n.section("reconcile_kinds")
"""Each exception kind as a reader sees it."""

STATUS_NAMES = i18n.section("reconcile_statuses")

BUCKETS = ("0-15", "16-30", "31-60", "60+")


def bucket(age_days: pl.Expr) -> pl.Expr:
    """Ageing bucket of a receivable: 0-15 / 16-30 / 31-60 / 60+ days."""
    return (
        pl.when(age_days.is_null())
        .then(None)
        .when(age_days <= 15)
        .then(pl.lit("0-15"))
        .when(age_days <= 30)
        .then(pl.lit("16-30"))
        .when(age_days <= 60)
        .then(pl.lit("31-60"))
        .otherwise(pl.lit("60+"))
    )
