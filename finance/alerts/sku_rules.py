"""Alerts about SKUs: margin below its floor, a margin drop against the prior month, advertising
share and break-even, return rate, a unit cost missing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from finance.alerts.inputs import AlertInputs
from finance.alerts.rules import AlertRule
from finance.alerts.wording import (
    _bp,
    _finish,
    _pct_text,
    _pct_threshold,
    _ratio_gt,
    _ratio_lt,
    _where,
    sentence,
)
from finance.money import cents_to_text
from finance.schema import ALERT_SCHEMA

if TYPE_CHECKING:
    pass


def _skus(pnl: pl.DataFrame) -> pl.DataFrame:
    """SKU rows (not the unallocated rows) with their net sales."""
    return pnl.filter(pl.col("sku").is_not_null()).with_columns(
        net=pl.col("sales") - pl.col("refund")
    )


def margin_floor(inputs: AlertInputs, rule: AlertRule, lang: str) -> pl.DataFrame:
    floor = rule.values["min_margin_pct"]
    skus = _skus(inputs.pnl).filter((pl.col("net") != 0) | (pl.col("true_margin") != 0))
    negative = skus.filter(pl.col("true_margin") < 0).with_columns(
        severity=pl.lit("high"),
        figure=cents_to_text(pl.col("true_margin")),
        threshold=pl.lit("0.00"),
        amount=-pl.col("true_margin"),
    )
    low = skus.filter(
        (pl.col("true_margin") >= 0)
        & (pl.col("net") > 0)
        & _ratio_lt(pl.col("true_margin"), pl.col("net"), floor)
    ).with_columns(
        figure=_pct_text(_bp(pl.col("true_margin"), pl.col("net"))),
        threshold=pl.lit(_pct_threshold(floor)),
        amount=pl.col("net"),
    )
    return pl.concat(
        [
            _finish(
                negative,
                rule,
                sentence(
                    "alert_margin_negative",
                    lang,
                    who=_where(lang),
                    figure=pl.col("figure"),
                    currency=pl.lit(inputs.currency),
                ),
            ),
            _finish(
                low,
                rule,
                sentence(
                    "alert_margin_floor",
                    lang,
                    who=_where(lang),
                    figure=pl.col("figure"),
                    threshold=pl.col("threshold"),
                ),
            ),
        ]
    )


def margin_drop(inputs: AlertInputs, rule: AlertRule, lang: str) -> pl.DataFrame:
    if inputs.prior is None or inputs.prior.height == 0:
        return pl.DataFrame(schema=ALERT_SCHEMA)
    points = rule.values["points"]  # millionths of a ratio: 10 points -> 100_000
    keys = ["platform", "shop", "sku"]
    now = (
        _skus(inputs.pnl)
        .filter(pl.col("net") > 0)
        .select(*keys, "net", bp=_bp(pl.col("true_margin"), pl.col("net")))
    )
    before = (
        _skus(inputs.prior)
        .filter(pl.col("net") > 0)
        .select(*keys, prior_bp=_bp(pl.col("true_margin"), pl.col("net")))
    )
    # Compare the exact difference of the two ratios with the points, at the shown precision:
    # a drop of more than N points means prior_bp - bp > N * 100 basis points.
    rows = now.join(before, on=keys, how="inner").filter(
        (pl.col("prior_bp") - pl.col("bp")) * 100 > points
    )
    rows = rows.with_columns(
        figure=cents_to_text(pl.col("bp") - pl.col("prior_bp")),
        threshold=pl.lit("-" + _pct_threshold(points).rstrip("%")),
        amount=pl.col("net"),
    )
    return _finish(
        rows,
        rule,
        sentence(
            "alert_margin_drop",
            lang,
            who=_where(lang),
            now=_pct_text(pl.col("bp")),
            prior=_pct_text(pl.col("prior_bp")),
            month=pl.lit(inputs.prior_month or "-"),
            threshold=pl.lit(_pct_threshold(points).rstrip("%")),
        ),
    )


def ad_share(inputs: AlertInputs, rule: AlertRule, lang: str) -> pl.DataFrame:
    limit = rule.values["max_pct"]
    skus = _skus(inputs.pnl).filter(pl.col("advertising") > 0)
    over = skus.filter(
        (pl.col("net") <= 0) | _ratio_gt(pl.col("advertising"), pl.col("net"), limit)
    ).with_columns(
        figure=pl.when(pl.col("net") > 0)
        .then(_pct_text(_bp(pl.col("advertising"), pl.col("net"))))
        .otherwise(cents_to_text(pl.col("advertising"))),
        threshold=pl.lit(_pct_threshold(limit)),
        amount=pl.col("advertising"),
    )
    frames = [
        _finish(
            over,
            rule,
            sentence(
                "alert_ad_share",
                lang,
                who=_where(lang),
                figure=pl.col("figure"),
                threshold=pl.col("threshold"),
            ),
        )
    ]
    if rule.values.get("break_even"):
        # Break-even ACoS is the margin before ads over net sales: ads above it cost more
        # than the sales they came with earn, i.e. advertising > true margin + advertising.
        before_ads = pl.col("true_margin") + pl.col("advertising")
        beyond = skus.filter(pl.col("advertising") > before_ads).with_columns(
            severity=pl.lit("high"),
            figure=cents_to_text(pl.col("advertising")),
            threshold=cents_to_text(before_ads),
            amount=pl.col("advertising") - before_ads,
        )
        frames.append(
            _finish(
                beyond,
                AlertRule("ad_break_even", rule.enabled, rule.severity, rule.values),
                sentence(
                    "alert_ad_break_even",
                    lang,
                    who=_where(lang),
                    figure=pl.col("figure"),
                    currency=pl.lit(inputs.currency),
                    threshold=pl.col("threshold"),
                ),
            )
        )
    return pl.concat(frames)


def return_rate(inputs: AlertInputs, rule: AlertRule, lang: str) -> pl.DataFrame:
    limit, least = rule.values["max_pct"], rule.values["min_units"]
    rows = (
        _skus(inputs.pnl)
        .filter(
            (pl.col("units_sold") >= max(least, 1))
            & _ratio_gt(pl.col("units_returned"), pl.col("units_sold"), limit)
        )
        .with_columns(
            figure=_pct_text(_bp(pl.col("units_returned"), pl.col("units_sold"))),
            threshold=pl.lit(_pct_threshold(limit)),
            amount=pl.col("refund"),
        )
    )
    return _finish(
        rows,
        rule,
        sentence(
            "alert_return_rate",
            lang,
            who=_where(lang),
            figure=pl.col("figure"),
            returned=pl.col("units_returned"),
            sold=pl.col("units_sold"),
            threshold=pl.col("threshold"),
        ),
    )


def missing_cost(inputs: AlertInputs, rule: AlertRule, lang: str) -> pl.DataFrame:
    rows = (
        _skus(inputs.pnl)
        .filter(pl.col("cost_missing"))
        .with_columns(
            figure=pl.col("units_sold").cast(pl.String),
            threshold=pl.lit("-"),
            amount=pl.col("net"),
        )
    )
    return _finish(
        rows, rule, sentence("alert_missing_cost", lang, who=_where(lang), units=pl.col("figure"))
    )
