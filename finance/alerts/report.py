"""The report's Alerts section: the month's alerts in each language, with its summary line."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from finance import i18n
from finance.alerts.evaluation import evaluate
from finance.alerts.inputs import gather
from finance.alerts.rules import rules_for

if TYPE_CHECKING:
    from finance.section import Section
    from finance.store import Store
    from finance.workspace import Workspace


LABELS = i18n.section("alert_columns")
RULE_NAMES = i18n.section("alert_rules")


def rule_name(lang: str) -> pl.Expr:
    """The ``rule`` column in words of ``lang``."""
    return pl.col("rule").replace_strict(
        {k: v[lang] for k, v in RULE_NAMES.items()}, default=pl.col("rule")
    )


SEVERITY_NAMES = i18n.section("severities")


def section(ws: Workspace, store: Store, month: str) -> list[Section]:
    """The Alerts section of the month's reports (messages in every language; the report shows
    its own)."""
    from finance.section import Section

    lang = ws.language
    inputs, rules = gather(ws, store, month), rules_for(ws)
    alerts = evaluate(inputs, rules, lang=lang)
    counts = alerts.group_by("severity").len()
    found = dict(counts.iter_rows())
    summary = {
        code: [
            i18n.text(
                "alerts_summary",
                code,
                total=alerts.height,
                high=found.get("high", 0),
                medium=found.get("medium", 0),
                low=found.get("low", 0),
            )
        ]
        for code in i18n.LANGS
    }

    def shown(found: pl.DataFrame, code: str) -> pl.DataFrame:
        return found.with_columns(
            rule=rule_name(code),
            severity=pl.col("severity").replace_strict(
                {k: v[code] for k, v in SEVERITY_NAMES.items()}, default=pl.col("severity")
            ),
        ).drop("key")

    frames = {
        code: shown(alerts if code == lang else evaluate(inputs, rules, lang=code), code)
        for code in i18n.LANGS
    }
    return [
        Section(
            key="alerts",
            title=i18n.section("labels")["alerts_title"],
            frame=frames[lang],
            frames=frames,
            labels=LABELS,
            money=("amount",),
            summary=summary,
        )
    ]
