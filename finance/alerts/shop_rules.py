"""Alerts about shops: unclassified fees, fees above contract, orders unsettled too long, a
statement missing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from finance.alerts.inputs import EXCEPTION_SCHEMA, AlertInputs
from finance.alerts.rules import AlertRule
from finance.alerts.wording import _finish, _money_threshold, platform_label, sentence
from finance.money import cents_to_text
from finance.schema import ALERT_SCHEMA

if TYPE_CHECKING:
    pass


def unclassified(inputs: AlertInputs, rule: AlertRule, lang: str) -> pl.DataFrame:
    if inputs.unclassified is None:
        return pl.DataFrame(schema=ALERT_SCHEMA)
    least = rule.values["min_amount"]
    rows = (
        inputs.unclassified.group_by("platform", "shop")
        .agg(
            rows=pl.col("rows").sum(),
            total=pl.col("amount").sum(),
            stake=pl.col("amount").abs().sum(),
        )
        .filter((pl.col("rows") > 0) & (pl.col("stake") >= least))
        .with_columns(
            sku=pl.lit(None, pl.String),
            figure=cents_to_text(pl.col("total")),
            threshold=pl.lit(_money_threshold(least)),
            amount=pl.col("stake"),
        )
    )
    return _finish(
        rows,
        rule,
        sentence(
            "alert_unclassified",
            lang,
            platform=platform_label(lang),
            shop=pl.col("shop"),
            rows=pl.col("rows"),
            figure=pl.col("figure"),
            currency=pl.lit(inputs.currency),
        ),
    )


def _exceptions(inputs: AlertInputs, kinds: list[str]) -> pl.DataFrame:
    frame = inputs.exceptions
    if frame is None:
        return pl.DataFrame(schema=EXCEPTION_SCHEMA)
    return frame.filter(pl.col("kind").is_in(kinds) & (pl.col("status") != "resolved"))


def overcharge(inputs: AlertInputs, rule: AlertRule, lang: str) -> pl.DataFrame:
    least = rule.values["min_amount"]
    rows = (
        _exceptions(inputs, ["overcharge"])
        .group_by("platform", "shop", "sku")
        .agg(items=pl.len(), total=pl.col("amount").sum())
        .filter(pl.col("total") > least)
        .with_columns(
            figure=cents_to_text(pl.col("total")),
            threshold=pl.lit(_money_threshold(least)),
            amount=pl.col("total"),
        )
    )
    return _finish(
        rows,
        rule,
        sentence(
            "alert_overcharge",
            lang,
            platform=platform_label(lang),
            shop=pl.col("shop"),
            sku=pl.col("sku").fill_null("-"),
            items=pl.col("items"),
            figure=pl.col("figure"),
            currency=pl.lit(inputs.currency),
        ),
    )


def unsettled(inputs: AlertInputs, rule: AlertRule, lang: str) -> pl.DataFrame:
    days = rule.values["max_age_days"]
    rows = (
        _exceptions(inputs, ["timing", "missing_settlement"])
        .filter(pl.col("age_days") > days)
        .group_by("platform", "shop")
        .agg(
            orders=pl.col("order_id").n_unique(),
            total=pl.col("amount").sum(),
            oldest=pl.col("age_days").max(),
        )
        .with_columns(
            sku=pl.lit(None, pl.String),
            figure=cents_to_text(pl.col("total")),
            threshold=pl.lit(str(days)),
            amount=pl.col("total"),
        )
    )
    return _finish(
        rows,
        rule,
        sentence(
            "alert_unsettled",
            lang,
            platform=platform_label(lang),
            shop=pl.col("shop"),
            orders=pl.col("orders"),
            figure=pl.col("figure"),
            currency=pl.lit(inputs.currency),
            days=pl.lit(str(days)),
            oldest=pl.col("oldest"),
        ),
    )


def missing_statement(inputs: AlertInputs, rule: AlertRule, lang: str) -> pl.DataFrame:
    if inputs.statements is None or not inputs.prior_month:
        return pl.DataFrame(schema=ALERT_SCHEMA)
    keys = ["platform", "shop", "format"]
    seen = inputs.statements.select(*keys, "month").unique()
    rows = (
        seen.filter(pl.col("month") == inputs.prior_month)
        .join(seen.filter(pl.col("month") == inputs.month), on=keys, how="anti")
        .with_columns(
            sku=pl.lit(None, pl.String),
            figure=pl.col("format"),
            threshold=pl.lit(inputs.prior_month),
            amount=pl.lit(None, pl.Int64),
        )
    )
    return _finish(
        rows,
        rule,
        sentence(
            "alert_missing_statement",
            lang,
            platform=platform_label(lang),
            shop=pl.col("shop"),
            format=pl.col("format"),
            prior=pl.lit(inputs.prior_month),
            month=pl.lit(inputs.month),
        ),
    ).with_columns(key=pl.concat_str([pl.col("key"), pl.lit("|"), pl.col("figure")]))
