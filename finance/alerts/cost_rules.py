"""The rule on sales whose cost of goods is unknown (``uncosted_sales``), per shop."""

from __future__ import annotations

import polars as pl

from finance.alerts.inputs import AlertInputs
from finance.alerts.rules import AlertRule
from finance.alerts.wording import _finish, _money_threshold, platform_label, sentence
from finance.money import cents_to_text
from finance.uncosted import shop_status


def uncosted_sales(inputs: AlertInputs, rule: AlertRule, lang: str) -> pl.DataFrame:
    """A shop's net sales that reached no SKU and carry no cost of goods (above ``min_amount``,
    no ``[costs.shops]`` estimate); the shop's margin is incomplete when it has no cost of goods
    at all (``finance.uncosted.shop_status``)."""
    least = rule.values["min_amount"]
    rows = (
        shop_status(inputs.pnl)
        .filter(pl.col("uncosted").abs() > least)
        .with_columns(
            sku=pl.lit(None, pl.String),
            figure=cents_to_text(pl.col("uncosted")),
            threshold=pl.lit(_money_threshold(least)),
            amount=pl.col("uncosted").abs(),
        )
    )
    fields = {"platform": platform_label(lang), "shop": pl.col("shop"), "figure": pl.col("figure")}
    message = (
        pl.when(pl.col("incomplete"))
        .then(sentence("alert_uncosted_incomplete", lang, **fields))
        .otherwise(sentence("alert_uncosted_sales", lang, **fields))
    )
    return _finish(rows, rule, message)
