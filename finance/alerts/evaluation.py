"""Every enabled rule over the month's inputs: one row per alert (``ALERT_SCHEMA``), top first."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from finance.alerts.cost_rules import uncosted_sales
from finance.alerts.inputs import AlertInputs, gather
from finance.alerts.rules import SEVERITIES, AlertRules, rules_for
from finance.alerts.shop_rules import missing_statement, overcharge, unclassified, unsettled
from finance.alerts.sku_rules import ad_share, margin_drop, margin_floor, missing_cost, return_rate
from finance.schema import ALERT_SCHEMA

if TYPE_CHECKING:
    from finance.store import Store
    from finance.workspace import Workspace


EVALUATORS = {
    "margin_floor": margin_floor,
    "margin_drop": margin_drop,
    "ad_share": ad_share,
    "return_rate": return_rate,
    "missing_cost": missing_cost,
    "unclassified": unclassified,
    "overcharge": overcharge,
    "unsettled": unsettled,
    "missing_statement": missing_statement,
    "uncosted_sales": uncosted_sales,
}


def evaluate(inputs: AlertInputs, rules: AlertRules, *, lang: str = "zh-CN") -> pl.DataFrame:
    """Every alert of the month, top first: by severity, then the cents at stake."""
    frames = [pl.DataFrame(schema=ALERT_SCHEMA)]
    for name, check in EVALUATORS.items():
        rule = rules.get(name)
        if rule is not None:
            frames.append(check(inputs, rule, lang))
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return (
        pl.concat(frames)
        .with_columns(__rank=pl.col("severity").replace_strict(rank, default=len(rank)))
        .sort(
            ["__rank", "amount", "rule", "platform", "shop", "sku"],
            descending=[False, True, False, False, False, False],
            nulls_last=True,
        )
        .drop("__rank")
    )


def month_alerts(
    ws: Workspace, store: Store, month: str, *, lang: str | None = None
) -> pl.DataFrame:
    """The month's alerts in ``lang`` (default: the workspace language)."""
    return evaluate(gather(ws, store, month), rules_for(ws), lang=lang or ws.language)
