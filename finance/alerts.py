"""Margin alerts: the month's figures against the thresholds in ``rules/alerts.toml``.

``load_alert_rules`` reads and checks the rules file; ``gather`` collects what the rules look at
(the month's P&L, the prior month's, unclassified fees, reconciliation exceptions, which
statements arrived); ``evaluate`` is a pure function from those frames to one row per alert.
Every comparison is exact integer arithmetic on cents and units (no floats): a ratio a/b is
compared with a threshold of P millionths as ``a * 10**6`` against ``P * b``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from finance import i18n
from finance.errors import FinanceError, RuleError
from finance.money import cents_to_text
from finance.reconcile import CONTRACT_COLUMNS
from finance.schema import ALERT_SCHEMA, PNL_COLUMNS

if TYPE_CHECKING:
    from finance.section import Section
    from finance.store import Store
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
}
"""Each rule and its thresholds (besides ``enabled`` and ``severity``), with their types."""

EXCEPTION_SCHEMA: dict[str, pl.DataType] = CONTRACT_COLUMNS
"""Columns taken from ``finance.reconcile.open_exceptions`` (its contract with the alerts)."""

STATEMENT_SCHEMA: dict[str, pl.DataType] = {
    "month": pl.String,
    "platform": pl.String,
    "shop": pl.String,
    "format": pl.String,
}


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


# --- expressions: exact ratios, shown as text


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


# --- the rules: each a function from the inputs to alert rows


@dataclass
class AlertInputs:
    """What the alert rules look at; every frame can be made by hand in a test."""

    month: str
    pnl: pl.DataFrame  # MonthResult.pnl of the month
    prior: pl.DataFrame | None = None  # MonthResult.pnl of the prior month, if any
    unclassified: pl.DataFrame | None = None  # platform, shop, rows, amount (signed cents)
    exceptions: pl.DataFrame | None = None  # EXCEPTION_SCHEMA
    statements: pl.DataFrame | None = None  # STATEMENT_SCHEMA, this month and the prior one
    prior_month: str = ""


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
                sentence("alert_margin_negative", lang, who=_where(lang), figure=pl.col("figure")),
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


# --- from a workspace


def prior_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:])
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"


def open_exceptions(ws: Workspace, store: Store, month: str) -> pl.DataFrame:
    """Reconciliation exceptions of the month (see finance.reconcile.open_exceptions)."""
    from finance.reconcile import open_exceptions as fetch

    frame = fetch(ws, store, month)
    return frame.select(pl.col(c).cast(t) for c, t in EXCEPTION_SCHEMA.items())


def _pnl(ws: Workspace, store: Store, month: str) -> pl.DataFrame | None:
    from finance.month import month_result

    try:
        return month_result(ws, store, month).pnl
    except FinanceError as error:
        if error.key == "no_data_for_month":
            return None
        raise


def statements(store: Store) -> pl.DataFrame:
    """Which statement formats each platform/shop has ledger rows from, per month."""
    entries = store.frame("ledger")
    if entries.height == 0:
        return pl.DataFrame(schema=STATEMENT_SCHEMA)
    files = store.files().select(pl.col("id").alias("file_id"), "format")
    return (
        entries.select("file_id", "month", "platform", "shop")
        .unique()
        .join(files, on="file_id")
        .select(*STATEMENT_SCHEMA)
        .unique()
    )


def gather(ws: Workspace, store: Store, month: str) -> AlertInputs:
    """The month's inputs from the store (an empty P&L when nothing is imported for it)."""
    from finance.month import check_month

    check_month(month)
    before = prior_month(month)
    pnl = _pnl(ws, store, month)
    if pnl is None:
        pnl = pl.DataFrame(schema=PNL_SCHEMA)
    entries = store.frame("ledger").filter(
        (pl.col("month") == month) & (pl.col("category") == "unclassified")
    )
    return AlertInputs(
        month=month,
        pnl=pnl,
        prior=_pnl(ws, store, before),
        unclassified=entries.group_by("platform", "shop").agg(
            rows=pl.len(), amount=pl.col("amount").sum()
        ),
        exceptions=open_exceptions(ws, store, month),
        statements=statements(store).filter(pl.col("month").is_in([month, before])),
        prior_month=before,
    )


PNL_SCHEMA: dict[str, pl.DataType] = {
    "platform": pl.String,
    "shop": pl.String,
    "sku": pl.String,
    **dict.fromkeys(PNL_COLUMNS, pl.Int64),
    "true_margin": pl.Int64,
    "units_sold": pl.Int64,
    "units_returned": pl.Int64,
    "returns_inferred": pl.Boolean,
    "cost_missing": pl.Boolean,
    "margin_pct": pl.String,
}
"""The columns of ``MonthResult.pnl`` the rules read (for a month with nothing imported)."""


def rules_for(ws: Workspace) -> AlertRules:
    """The workspace's rules/alerts.toml, or the shipped one when the workspace predates it."""
    from finance.resources import shipped

    path = ws.rules / "alerts.toml"
    if not path.is_file():
        path = shipped("rules") / "alerts.toml"
    return load_alert_rules(path, overrides=ws.settings.get("alerts"))


def month_alerts(
    ws: Workspace, store: Store, month: str, *, lang: str | None = None
) -> pl.DataFrame:
    """The month's alerts in ``lang`` (default: the workspace language)."""
    return evaluate(gather(ws, store, month), rules_for(ws), lang=lang or ws.language)


# --- the report's Alerts section

LABELS = {
    "severity": {"zh-CN": "级别", "en": "Severity"},
    "rule": {"zh-CN": "规则", "en": "Rule"},
    "platform": {"zh-CN": "平台", "en": "Platform"},
    "shop": {"zh-CN": "店铺", "en": "Shop"},
    "sku": {"zh-CN": "SKU", "en": "SKU"},
    "figure": {"zh-CN": "数值", "en": "Figure"},
    "threshold": {"zh-CN": "阈值", "en": "Threshold"},
    "amount": {"zh-CN": "涉及金额", "en": "At stake"},
    "message": {"zh-CN": "说明", "en": "What it means"},
}

RULE_NAMES = {
    "margin_floor": {"zh-CN": "利润过低", "en": "margin below floor"},
    "margin_drop": {"zh-CN": "利润率下滑", "en": "margin drop"},
    "ad_share": {"zh-CN": "广告占比过高", "en": "advertising share"},
    "ad_break_even": {"zh-CN": "广告超过盈亏平衡", "en": "ads above break-even"},
    "return_rate": {"zh-CN": "退货率过高", "en": "return rate"},
    "missing_cost": {"zh-CN": "缺少成本价", "en": "no unit cost"},
    "unclassified": {"zh-CN": "未归类费用", "en": "unclassified fees"},
    "overcharge": {"zh-CN": "费用高于合同", "en": "fees above contract"},
    "unsettled": {"zh-CN": "超期未结算", "en": "unsettled orders"},
    "missing_statement": {"zh-CN": "缺少账单", "en": "missing statement"},
}


def rule_name(lang: str) -> pl.Expr:
    """The ``rule`` column in words of ``lang``."""
    return pl.col("rule").replace_strict(
        {k: v[lang] for k, v in RULE_NAMES.items()}, default=pl.col("rule")
    )


SEVERITY_NAMES = {
    "high": {"zh-CN": "高", "en": "high"},
    "medium": {"zh-CN": "中", "en": "medium"},
    "low": {"zh-CN": "低", "en": "low"},
}


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
            title={"zh-CN": "预警", "en": "Alerts"},
            frame=frames[lang],
            frames=frames,
            labels=LABELS,
            money=("amount",),
            summary=summary,
        )
    ]
