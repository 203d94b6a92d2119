"""Margin alerts: the month's figures against the thresholds in ``rules/alerts.toml``.

``load_alert_rules`` reads and checks the rules file; ``gather`` collects what the rules look at
(the month's P&L, the prior month's, unclassified fees, reconciliation exceptions, which
statements arrived); ``evaluate`` is a pure function from those frames to one row per alert.
Every comparison is exact integer arithmetic on cents and units (no floats): a ratio a/b is
compared with a threshold of P millionths as ``a * 10**6`` against ``P * b``.

The package, one module per concern: ``rules`` (the rules file), ``inputs`` (what the rules look
at), ``wording`` (exact comparisons and messages), ``sku_rules`` and ``shop_rules`` (one function
per rule), ``evaluation`` (all rules over a month) and ``report`` (the report's Alerts section).
What lasts of alerts (first seen, digests sent) is ``finance.history``.
"""

from __future__ import annotations

from finance.alerts.evaluation import EVALUATORS, evaluate, month_alerts
from finance.alerts.inputs import (
    EXCEPTION_SCHEMA,
    PNL_SCHEMA,
    STATEMENT_SCHEMA,
    AlertInputs,
    gather,
    open_exceptions,
    statements,
)
from finance.alerts.report import LABELS, RULE_NAMES, SEVERITY_NAMES, rule_name, section
from finance.alerts.rules import (
    EXPECTED,
    MILLION,
    RULES,
    SEVERITIES,
    AlertRule,
    AlertRules,
    load_alert_rules,
    rules_for,
)
from finance.alerts.shop_rules import missing_statement, overcharge, unclassified, unsettled
from finance.alerts.sku_rules import ad_share, margin_drop, margin_floor, missing_cost, return_rate
from finance.alerts.wording import platform_label, sentence
from finance.schema import ALERT_SCHEMA

__all__ = [
    "ALERT_SCHEMA",
    "EVALUATORS",
    "EXCEPTION_SCHEMA",
    "EXPECTED",
    "LABELS",
    "MILLION",
    "PNL_SCHEMA",
    "RULES",
    "RULE_NAMES",
    "SEVERITIES",
    "SEVERITY_NAMES",
    "STATEMENT_SCHEMA",
    "AlertInputs",
    "AlertRule",
    "AlertRules",
    "ad_share",
    "evaluate",
    "gather",
    "load_alert_rules",
    "margin_drop",
    "margin_floor",
    "missing_cost",
    "missing_statement",
    "month_alerts",
    "open_exceptions",
    "overcharge",
    "platform_label",
    "return_rate",
    "rule_name",
    "rules_for",
    "section",
    "sentence",
    "statements",
    "unclassified",
    "unsettled",
]
