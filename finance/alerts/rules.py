"""The alert rules and their thresholds: ``rules/alerts.toml`` read and checked (every threshold
kept as an exact integer: cents, millionths, days), with ``finance.toml [alerts]`` overrides."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from finance import i18n
from finance.errors import FinanceError, RuleError

if TYPE_CHECKING:
    from finance.workspace import Workspace


SEVERITIES = ("high", "medium", "low")


MILLION = 10**6


RULES: dict[str, dict[str, str]] = {
    "margin_floor": {"min_margin_pct": "pct"},
    "margin_drop": {"points": "pct"},
    "ad_share": {"max_pct": "pct", "break_even": "bool"},
    "return_rate": {"max_pct": "pct", "min_units": "int"},
    "missing_cost": {},
    "unclassified": {"min_amount": "money"},
    "overcharge": {"min_amount": "money"},
    "unsettled": {"max_age_days": "int"},
    "missing_statement": {},
    "uncosted_sales": {"min_amount": "money"},
}


"""Each rule and its thresholds (besides ``enabled`` and ``severity``), with their types."""


@dataclass(frozen=True)
class AlertRule:
    name: str
    enabled: bool = True
    severity: str = "medium"
    values: dict[str, int] = field(default_factory=dict)
    """Thresholds as integers: pct in millionths of the ratio, money in cents, int as is."""


@dataclass(frozen=True)
class AlertRules:
    rules: dict[str, AlertRule]

    def get(self, name: str) -> AlertRule | None:
        rule = self.rules.get(name)
        return rule if rule is not None and rule.enabled else None


def _invalid(
    path: Path,
    text: str,
    section: str,
    key: str | None,
    detail: dict[str, str],
    fix: dict[str, str],
) -> None:
    from finance.rulebook.load import _line_of

    raise RuleError(
        "rule_invalid",
        rule_file=path.as_posix(),
        line=_line_of(text, section, key),
        detail=detail,
        fix=fix,
    )


def _scaled(value: object, places: int) -> int | None:
    """``value`` (TOML number or string) times 10**places, if exact; None otherwise."""
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    scaled = number.scaleb(places)
    if not number.is_finite() or scaled != scaled.to_integral_value():
        return None
    return int(scaled)


def _threshold(kind: str, value: object) -> int | None:
    if kind == "pct":  # percent -> millionths of the ratio (5 % -> 50_000)
        scaled = _scaled(value, 4)
        return scaled if scaled is not None and scaled >= 0 else None
    if kind == "money":
        scaled = _scaled(value, 2)
        return scaled if scaled is not None and scaled >= 0 else None
    if kind == "int":
        return (
            value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
        )
    if kind == "bool":
        return int(value) if isinstance(value, bool) else None
    raise ValueError(kind)


EXPECTED = {
    "pct": "rules_expect_pct",
    "money": "rules_expect_money",
    "int": "rules_expect_int",
    "bool": "rules_expect_bool",
}


"""What a threshold of each kind must look like: a message key (see finance/i18n.py)."""


def load_alert_rules(path: Path, *, overrides: dict | None = None) -> AlertRules:
    """Read ``rules/alerts.toml``; an unknown rule or key, or a bad value, names its line.

    ``overrides`` (finance.toml ``[alerts]``): ``min_margin_pct`` as a ratio ("0.05") replaces
    the margin floor, for workspaces made before alerts.toml existed.
    """
    path = Path(path)
    if not path.is_file():
        raise FinanceError("no_such_file", file=path.as_posix())
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RuleError(
            "rule_invalid",
            rule_file=path.as_posix(),
            line=getattr(error, "lineno", 1),
            detail=str(error),
            fix=i18n.per_lang("rules_fix_toml"),
        ) from error
    rules: dict[str, AlertRule] = {}
    for name, table in data.items():
        if name not in RULES or not isinstance(table, dict):
            _invalid(
                path,
                text,
                name,
                None,
                i18n.per_lang("rules_unknown_alert", name=name),
                i18n.per_lang("rules_fix_one_of_list", choices=", ".join(RULES)),
            )
        params = RULES[name]
        values: dict[str, int] = {}
        for key, raw in table.items():
            if key == "enabled":
                if not isinstance(raw, bool):
                    _invalid(
                        path,
                        text,
                        name,
                        key,
                        i18n.per_lang("rules_setting_eq", key="enabled", value=raw),
                        i18n.per_lang("rules_fix_expect", expected=i18n.per_lang(EXPECTED["bool"])),
                    )
                continue
            if key == "severity":
                if raw not in SEVERITIES:
                    _invalid(
                        path,
                        text,
                        name,
                        key,
                        i18n.per_lang("rules_severity", value=raw),
                        i18n.per_lang("rules_fix_one_of_list", choices=", ".join(SEVERITIES)),
                    )
                continue
            if key not in params:
                known = ", ".join(["enabled", "severity", *params])
                _invalid(
                    path,
                    text,
                    name,
                    key,
                    i18n.per_lang("rules_alert_no_key", name=name, key=key),
                    i18n.per_lang("rules_fix_use", choices=known),
                )
            value = _threshold(params[key], raw)
            if value is None:
                _invalid(
                    path,
                    text,
                    name,
                    key,
                    i18n.per_lang("rules_not_valid", key=key, value=raw),
                    i18n.per_lang(
                        "rules_fix_expect", expected=i18n.per_lang(EXPECTED[params[key]])
                    ),
                )
            values[key] = value  # type: ignore[assignment]
        missing = [k for k in params if k not in values]
        if missing:
            _invalid(
                path,
                text,
                name,
                None,
                i18n.per_lang("rules_alert_lacks", name=name, missing=", ".join(missing)),
                i18n.per_lang("rules_fix_alert_add", missing=", ".join(missing)),
            )
        rules[name] = AlertRule(
            name=name,
            enabled=bool(table.get("enabled", True)),
            severity=str(table.get("severity", "medium")),
            values=values,
        )
    floor = (overrides or {}).get("min_margin_pct")
    if floor is not None and "margin_floor" in rules:
        scaled = _scaled(floor, 6)
        if scaled is None or scaled < 0:
            raise FinanceError(
                "rule_invalid",
                rule_file="finance.toml",
                line=1,
                detail=i18n.per_lang("rules_not_ratio", value=floor),
                fix=i18n.per_lang("rules_fix_ratio"),
            )
        old = rules["margin_floor"]
        rules["margin_floor"] = AlertRule(
            old.name, old.enabled, old.severity, {**old.values, "min_margin_pct": scaled}
        )
    return AlertRules(rules)


def rules_for(ws: Workspace) -> AlertRules:
    """The workspace's rules/alerts.toml, or the shipped one when the workspace predates it."""
    from finance.resources import shipped

    path = ws.rules / "alerts.toml"
    if not path.is_file():
        path = shipped("rules") / "alerts.toml"
    return load_alert_rules(path, overrides=ws.settings.get("alerts"))
